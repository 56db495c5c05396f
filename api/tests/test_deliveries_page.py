"""The centre manager's page of webhook deliveries: their centre's only."""

import pytest
from django.urls import reverse

from api import services
from api.models import Event, WebhookDelivery


@pytest.fixture
def deliveries(world, partner_api):
    client, _http = partner_api
    webhook = services.webhook_create(
        client=client, url="https://moh.example/hooks", events=[Event.REFERRAL_SENT]
    )
    made = {}
    for code in ("ANK", "IST"):
        made[code] = WebhookDelivery.objects.create(
            webhook=webhook,
            event=Event.REFERRAL_SENT,
            referral=world.referrals[code],
            center=world.centers[code],
            payload={},
            status="failed",
            attempts=6,
            last_status_code=500,
            last_error=f"HTTP 500 for {code}",
        )
    return made


def _url(code="ANK", query=""):
    return reverse("api_center:deliveries", kwargs={"center": code}) + query


def test_the_manager_sees_the_centres_deliveries_and_failures(client, world, deliveries):
    client.force_login(world.user("ANK", "center_manager"))
    response = client.get(_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "HTTP 500 for ANK" in page and "HTTP 500 for IST" not in page
    assert "Ministry of Health system" in page
    assert response.context["summary"]["failed"] == 1
    assert list(client.get(_url(query="?status=delivered")).context["deliveries"]) == []
    assert client.get(_url(query="?status=nonsense")).status_code == 200


def test_another_centres_manager_gets_404(client, world, deliveries):
    client.force_login(world.user("IST", "center_manager"))
    assert client.get(_url("ANK")).status_code == 404


@pytest.mark.parametrize("role", ["reception", "social_worker", "psychologist", "trainer"])
def test_other_roles_get_403(client, world, deliveries, role):
    client.force_login(world.user("ANK", role))
    assert client.get(_url()).status_code == 403


def test_the_page_has_a_query_budget(client, world, deliveries, django_assert_max_num_queries):
    client.force_login(world.user("ANK", "center_manager"))
    client.get(_url())
    with django_assert_max_num_queries(12):
        # session, user, OTP device, memberships and centre (middleware), navigation, the summary, the
        # deliveries with their webhook and client
        assert client.get(_url()).status_code == 200
