import os
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import cases, directory, listening
from demo import centers as centers_demo
from demo import messaging as messaging_demo
from demo import people as beneficiaries_demo
from demo import planning as planning_demo
from demo import reports as reports_demo
from demo import services as services_demo

DEFAULT_PASSWORD = "toplum-demo-2026"  # noqa: S105 - demo only; the command refuses DEBUG=0


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent). Refuses to run with DEBUG=0."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--beneficiaries",
            type=int,
            default=900,
            help="People to register in Ankara (other centres get a share of it).",
        )

    def handle(self, *args, seed, beneficiaries, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a known password: it only runs with DEBUG=1.")
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
        logins = centers_demo.seed(rng=rng, password=password)
        registered = beneficiaries_demo.seed(rng=rng, beneficiaries=beneficiaries)
        for code, count in registered.items():
            self.stdout.write(f"Registered {count} people at {code}.")
        for code, count in services_demo.seed(rng=rng).items():
            self.stdout.write(f"Laid out a year of activities at {code} ({count} attendance marks).")
        logins += directory.seed(rng=rng, password=password)
        self.stdout.write("Filled the service directory: a few service points per city.")
        for code, count in cases.seed(rng=rng).items():
            self.stdout.write(f"Opened {count} case files at {code}.")
        for code, (visits, interviews, feedback) in listening.seed(rng=rng).items():
            self.stdout.write(
                f"Recorded {visits} outreach visits ({interviews} people asked) and {feedback} feedback at {code}."
            )
        costs = reports_demo.seed(rng=rng)
        if costs:
            self.stdout.write(f"Recorded {costs} monthly costs, exchange rates and two funding sources.")
        planned = planning_demo.seed(rng=rng)
        if planned:
            self.stdout.write(
                f"Planned Kilis: {planned[0]} outreach visits ({planned[1]} people asked), a plan and two scenarios."
            )
        for code, count in messaging_demo.seed(rng=rng).items():
            self.stdout.write(f"Queued {count} messages to people of {code}: see {messaging_demo.where()}.")

        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000 with:"))
        for username, role, center in logins:
            self.stdout.write(f"  {username:<28} {role:<26} {center}")
        self.stdout.write(f"  password for every demo account: {password}")
