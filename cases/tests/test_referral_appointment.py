"""A referral's appointment: recorded on the referral form, never before the referral was sent."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Partner, Referral

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def post_referral(client, world, appointment):
    client.force_login(world.user("ANK", "social_worker"))
    return client.post(
        reverse("cases:referral_add", kwargs={"center": "ANK", "pk": world.cases["ANK"].pk}),
        {
            "partner": Partner.objects.get(name="Ministry of Health").pk,
            "reason": "Vaccination",
            "urgency": "routine",
            "shared_fields": ["full_name"],
            "appointment_at": appointment,
        },
    )


def test_the_referral_form_offers_an_appointment(client, world):
    client.force_login(world.user("ANK", "social_worker"))
    page = client.get(reverse("cases:referral_add", kwargs={"center": "ANK", "pk": world.cases["ANK"].pk}))
    assert 'name="appointment_at"' in page.content.decode()


def test_a_referral_is_drafted_with_its_appointment(client, world):
    response = post_referral(client, world, "2026-12-03T10:30")
    assert response.status_code == 302
    referral = Referral.objects.filter(case=world.cases["ANK"]).order_by("-pk").first()
    assert referral.appointment_at == dt.datetime(2026, 12, 3, 10, 30, tzinfo=ZoneInfo("Europe/Istanbul"))


def test_the_appointment_may_stay_empty(client, world):
    assert post_referral(client, world, "").status_code == 302
    assert Referral.objects.filter(case=world.cases["ANK"]).order_by("-pk").first().appointment_at is None


def test_an_appointment_before_the_referral_is_sent_is_refused(client, world):
    before = Referral.objects.count()
    response = post_referral(client, world, "2026-11-30T10:30")
    assert response.status_code == 200
    assert "The appointment cannot be before the day the referral was sent." in response.content.decode()
    assert Referral.objects.count() == before


def test_nonsense_in_the_appointment_is_a_form_error(client, world):
    response = post_referral(client, world, "next tuesday-ish")
    assert response.status_code == 200
    assert response.context["form"].errors["appointment_at"]


def test_the_model_refuses_an_appointment_before_the_day_it_was_sent(world):
    referral = world.referrals["ANK"]
    referral.sent_on = dt.date(2026, 12, 1)
    referral.appointment_at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    with pytest.raises(ValidationError) as refused:
        referral.full_clean()
    assert "appointment_at" in refused.value.message_dict
    referral.appointment_at = dt.datetime(2026, 12, 1, 16, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    referral.full_clean()  # the same day is fine
