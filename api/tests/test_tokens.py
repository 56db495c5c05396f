import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.admin import revoke
from api.models import ApiClient, ApiToken

URL = "/api/v1/service-points/"


def _create(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def _get(token: str, url: str = URL):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return http.get(url)


def test_the_command_prints_a_token_that_works(world):
    token = _create("--client", "Donor", "--scopes", "directory:read,reports:read")
    assert token.startswith("tpl_")
    assert _get(token).status_code == 200
    client = ApiClient.objects.get(name="Donor")
    assert sorted(client.scopes) == ["directory:read", "reports:read"]
    assert client.partner is None


def test_the_secret_is_never_stored(world):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    _tag, prefix, secret = token.split("_", 2)
    row = ApiToken.objects.get()
    assert row.prefix == prefix
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Nowhere in the database: not in the token's row, not in any other table of the app.
    with connection.cursor() as cursor:
        for table in ("api_apitoken", "api_apiclient", "api_apicall"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert secret not in repr(cursor.fetchall())


def test_referral_scopes_need_a_partner(world):
    with pytest.raises(CommandError, match="partner organisation"):
        _create("--client", "Loose", "--scopes", "referrals:read")
    with pytest.raises(CommandError, match="Unknown scope"):
        _create("--client", "Loose", "--scopes", "everything")
    with pytest.raises(CommandError, match="Unknown partner"):
        _create("--client", "Loose", "--scopes", "referrals:read", "--partner", "Nobody")
    token = _create("--client", "MoH", "--scopes", "referrals:read", "--partner", "ministry of health")
    assert ApiClient.objects.get(name="MoH").partner.name == "Ministry of Health"
    assert _get(token, "/api/v1/referrals/").status_code == 200


def test_an_expired_token_is_refused(world):
    token = _create("--client", "Donor", "--scopes", "directory:read", "--days", "1")
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        response = _get(token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(world, rf, admin_user):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    assert _get(token).status_code == 200
    request = rf.post("/")
    request.user = admin_user
    request._messages = type("Messages", (), {"add": lambda *a, **k: None})()
    revoke(site._registry[ApiToken], request, ApiToken.objects.all())
    assert ApiToken.objects.get().revoked_at is not None
    assert _get(token).status_code == 401


def test_an_inactive_client_is_refused(world):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    ApiClient.objects.update(is_active=False)
    assert _get(token).status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer tpl_nope_nope", "Bearer not-a-token", "Bearer tpl_a_b c", "Token abc"],
)
def test_no_or_a_wrong_token_is_401(world, header):
    _create("--client", "Donor", "--scopes", "directory:read")
    http = APIClient()
    if header:
        http.credentials(HTTP_AUTHORIZATION=header)
    assert http.get(URL).status_code == 401


def test_a_right_prefix_with_a_wrong_secret_is_401(world):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    assert _get(token[:-3] + "xyz").status_code == 401


def test_last_use_is_recorded(world):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    _get(token)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_admin_lists_tokens_without_a_secret(client, world, admin_user):
    token = _create("--client", "Donor", "--scopes", "directory:read")
    client.force_login(admin_user)
    page = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert token.split("_")[1] in page
    assert token.split("_", 2)[2] not in page
