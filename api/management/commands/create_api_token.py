"""``manage.py create_api_token --client NAME --scopes referrals:read,referrals:write [--partner NAME] [--days 90]``

Creates the client (or updates its scopes and organisation) and a new token, printed once: only its hash is
kept, so a lost token is revoked in the admin and replaced with a new one."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.models import Scope
from cases.models import Partner


class Command(BaseCommand):
    help = "Create an API client's token and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="The client's name (created if new).")
        parser.add_argument(
            "--scopes", required=True, help=f"Comma-separated, among: {', '.join(Scope.values)}."
        )
        parser.add_argument("--partner", default="", help="The partner organisation (for referral scopes).")
        parser.add_argument(
            "--days", type=int, default=services.DEFAULT_TOKEN_DAYS, help="Days until it expires."
        )

    def handle(self, *args, client, scopes, partner, days, **options):
        if not 1 <= days <= 730:
            raise CommandError("--days must be between 1 and 730.")
        partner_row = None
        if partner:
            partner_row = Partner.objects.filter(name__iexact=partner.strip()).first()
            if partner_row is None:
                raise CommandError(f"Unknown partner “{partner}”.")
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        try:
            api_client = services.api_client_save(name=client.strip(), scopes=wanted, partner=partner_row)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        token, text = services.api_token_create(client=api_client, days=days)
        self.stdout.write(text)
        self.stderr.write(
            f"Token {token} for {api_client.name} ({', '.join(api_client.scopes)}), "
            f"expires {token.expires_at:%Y-%m-%d}. It is shown once: keep it now."
        )
