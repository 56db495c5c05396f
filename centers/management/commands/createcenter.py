from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centers.services import center_create


class Command(BaseCommand):
    help = "Create an open centre (a new installation has none): createcenter ANK --name … --city …"

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help="Three or more capital letters, e.g. ANK; it starts registration numbers."
        )
        parser.add_argument("--name", required=True)
        parser.add_argument("--city", required=True)
        parser.add_argument("--address", default="")

    def handle(self, *args, code, name, city, address, **options):
        try:
            center = center_create(code=code, name=name, city=city, address=address)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{center.code}: {center.name} ({center.city}), open"))
