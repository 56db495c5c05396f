"""The API's test world on top of the shared one: a partner client (the Ministry of Health, to which both
centres' world referrals go), a donor client without a partner, and another organisation's referral."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api import services
from api.models import Scope
from cases import services as case_services
from cases.models import Partner, Referral


@pytest.fixture(autouse=True)
def empty_throttle_buckets():
    cache.clear()  # throttling counts in the cache: each test starts with full buckets
    yield
    cache.clear()


def client_with_token(*, name: str, scopes: list[str], partner=None, days: int = 30):
    """(ApiClient, DRF test client sending its token)."""
    api_client = services.api_client_save(name=name, scopes=scopes, partner=partner)
    _token, text = services.api_token_create(client=api_client, days=days)
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    http.token_text = text
    return api_client, http


@pytest.fixture
def ministry(world):
    return Partner.objects.get(name="Ministry of Health")


@pytest.fixture
def sent(world):
    """Both centres' world referrals, sent to the Ministry of Health."""
    for code in ("ANK", "IST"):
        case_services.referral_send(referral=world.referrals[code])
        world.referrals[code].refresh_from_db()
    return world.referrals


@pytest.fixture
def partner_api(world, ministry):
    return client_with_token(
        name="Ministry of Health system",
        scopes=[Scope.REFERRALS_READ, Scope.REFERRALS_WRITE, Scope.DIRECTORY_READ],
        partner=ministry,
    )


@pytest.fixture
def donor_api(world):
    return client_with_token(name="Donor", scopes=[Scope.REPORTS_READ, Scope.DIRECTORY_READ])


@pytest.fixture
def other_referral(world):
    """A referral of ANK's case, sent to another organisation."""
    unhcr = Partner.objects.get_or_create(name="UNHCR", defaults={"kind": "un_agency"})[0]
    referral = Referral.objects.create(
        case=world.cases["ANK"],
        partner=unhcr,
        reason="Registration",
        shared_fields=["full_name"],
        created_by=world.user("ANK", "social_worker"),
    )
    case_services.referral_send(referral=referral)
    return referral
