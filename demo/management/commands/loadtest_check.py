"""After `make loadtest`: every registration the server accepted is saved exactly once, and registration
numbers have no gaps (every centre and year runs 1, 2, 3… with none skipped or used twice)."""

import json
import re
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Value
from django.db.models.functions import Concat

from beneficiaries.models import Beneficiary

NUMBER = re.compile(r"^([A-Z]+)-(\d{4})-(\d+)$")


class Command(BaseCommand):
    help = "Check the database after a load test: accepted registrations saved once, numbers gap-free."

    def add_arguments(self, parser):
        parser.add_argument("names", help="The JSON list of 'first last' names the load test saw accepted.")

    def handle(self, *args, names, **options):
        with open(names) as source:
            accepted = json.load(source)
        saved = dict(
            Beneficiary.objects.annotate(full=Concat("first_name", Value(" "), "last_name"))
            .filter(full__in=accepted)
            .values_list("full")
            .annotate(n=Count("pk"))
        )
        missing = [name for name in accepted if name not in saved]
        twice = {name: n for name, n in saved.items() if n > 1}
        sequences = defaultdict(list)
        for number in Beneficiary.objects.values_list("registration_number", flat=True):
            match = NUMBER.match(number or "")
            if match:
                sequences[(match[1], match[2])].append(int(match[3]))
        gaps = {
            f"{code}-{year}": sorted(set(range(1, max(seen) + 1)) - set(seen))[:10]
            for (code, year), seen in sequences.items()
            if sorted(seen) != list(range(1, max(seen) + 1))
        }
        self.stdout.write(
            f"accepted registrations: {len(accepted)}; saved once: {len(accepted) - len(missing) - len(twice)}; "
            f"missing: {len(missing)}; saved twice: {len(twice)}; sequences with gaps: {len(gaps)}"
        )
        if missing or twice or gaps:
            raise CommandError(f"missing {missing[:5]}, twice {list(twice)[:5]}, gaps {gaps}")
