import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centers.models import Role
from centers.services import staff_create


class Command(BaseCommand):
    help = "Create a staff account with a role in a centre (or a national role)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--center", help="Centre code, e.g. ANK. Omit for national roles.")
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, center, role, first_name, last_name, email, **options):
        password = os.environ.get("STAFF_PASSWORD") or self._prompt_password()
        try:
            staff_create(
                username=username,
                password=password,
                center_code=center,
                role=role,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        where = center.upper() if center else "all centres"
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} ({where})"))

    def _prompt_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except EOFError as exc:
            raise CommandError("No password: set STAFF_PASSWORD or run interactively.") from exc
        if first != second:
            raise CommandError("The passwords do not match.")
        return first
