import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import roles
from centers.models import PARTNER_ROLES, Role
from centers.services import staff_create


class Command(BaseCommand):
    help = "Create a staff account with a role in a centre (or a national role)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--center", help="Centre code, e.g. ANK. Omit for national roles.")
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        parser.add_argument(
            "--partner",
            help="The partner organisation's name, for --role partner_focal_point (no centre: "
            "a focal point sees only the referrals addressed to its organisation).",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, center, role, first_name, last_name, email, partner=None, **options):
        if role in PARTNER_ROLES or partner:
            return self._partner_account(username, center, role, partner, first_name, last_name, email)
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

    def _partner_account(self, username, center, role, partner, first_name, last_name, email):
        create = roles.creator_for(role)
        if create is None or role not in PARTNER_ROLES:
            raise CommandError(f"--partner goes with --role {', '.join(sorted(PARTNER_ROLES))}.")
        if center:
            raise CommandError("A partner's focal point belongs to no centre: give --partner, not --center.")
        if not partner:
            raise CommandError("Give the partner organisation: --partner NAME.")
        password = os.environ.get("STAFF_PASSWORD") or self._prompt_password()
        try:
            create(
                username=username,
                password=password,
                partner_name=partner,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} ({partner})"))

    def _prompt_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except EOFError as exc:
            raise CommandError("No password: set STAFF_PASSWORD or run interactively.") from exc
        if first != second:
            raise CommandError("The passwords do not match.")
        return first
