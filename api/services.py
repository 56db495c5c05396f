"""Writes of the API app: clients and their tokens, the record of every call."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiCall, ApiClient, ApiToken, Webhook
from cases.models import Partner

TOKEN_PREFIX = "tpl"  # noqa: S105 - the tag of a token, not a secret
DEFAULT_TOKEN_DAYS = 90
# last_used_at is written at most this often per token: a busy client must not write a row per call.
LAST_USED_EVERY = dt.timedelta(minutes=5)


class TokenInvalid(Exception):
    """Unknown, malformed, expired or revoked: the caller is not told which."""


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_client_save(*, name: str, scopes: list[str], partner: Partner | None) -> ApiClient:
    """Create the client ``name``, or change its scopes and organisation."""
    client = ApiClient.objects.filter(name=name).first() or ApiClient(name=name)
    client.scopes = sorted(set(scopes))
    client.partner = partner
    client.full_clean()
    client.save()
    return client


def api_token_create(*, client: ApiClient, days: int = DEFAULT_TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``client``: the row, and the token text, which exists only in this return value."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        client=client,
        prefix=prefix,
        secret_hash=secret_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def api_token_check(*, text: str, now: dt.datetime | None = None) -> ApiToken:
    """The token ``text`` names, if it is valid now; :class:`TokenInvalid` otherwise."""
    now = now or timezone.now()
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenInvalid
    _tag, prefix, secret = parts
    token = ApiToken.objects.select_related("client__partner").filter(prefix=prefix).first()
    # Compare hashes in constant time even when the prefix is unknown, so timing says nothing.
    expected = token.secret_hash if token else "0" * 64
    if not hmac.compare_digest(expected, secret_hash(secret)) or token is None or not token.is_valid(now):
        raise TokenInvalid
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_call_record(
    *,
    client: ApiClient,
    method: str,
    endpoint: str,
    path: str,
    status_code: int,
    records: int = 0,
    referral_ids: list[int] | None = None,
    ip_address: str | None = None,
) -> ApiCall:
    return ApiCall.objects.create(
        client=client,
        method=method,
        endpoint=endpoint[:80],
        path=path[:255],
        status_code=status_code,
        records=records,
        referral_ids=sorted(referral_ids or []),
        ip_address=ip_address,
    )


def webhook_create(*, client: ApiClient, url: str, events: list[str]) -> Webhook:
    """A webhook with a new signing secret (``whsec_…``), shown to the client's administrator once."""
    webhook = Webhook(client=client, url=url, events=sorted(set(events)), secret=new_webhook_secret())
    webhook.full_clean()
    with transaction.atomic():
        webhook.save()
    return webhook


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)
