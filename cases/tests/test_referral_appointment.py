"""A referral's appointment: recorded on the referral form, never before the referral was sent."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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


def _sent(world, code="ANK", sent_on=dt.date(2026, 11, 28)):
    Referral.objects.filter(pk=world.referrals[code].pk).update(status=Referral.Status.SENT, sent_on=sent_on)
    return world.referrals[code]


def post_appointment(client, world, appointment, *, user=None, code="ANK"):
    client.force_login(user or world.user("ANK", "social_worker"))
    url = reverse("cases:referral_appointment", kwargs={"center": "ANK", "pk": world.referrals[code].pk})
    return client.post(url, {"appointment_at": appointment})


def test_the_appointment_of_a_sent_referral_is_set_later_and_shown_on_the_case(client, world):
    referral = _sent(world)
    response = post_appointment(client, world, "2026-12-04T09:15")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.appointment_at == dt.datetime(2026, 12, 4, 9, 15, tzinfo=ZoneInfo("Europe/Istanbul"))
    page = client.get(response.url).content.decode()
    shown = date_format(timezone.localtime(referral.appointment_at), "SHORT_DATETIME_FORMAT")
    assert f"Appointment: {shown}" in page
    assert "9:15" in shown


def test_the_appointment_is_audited_like_the_status(client, world):
    from audit.models import AuditEvent

    _sent(world)
    before = AuditEvent.objects.count()
    post_appointment(client, world, "2026-12-04T09:15")
    assert AuditEvent.objects.count() > before


def test_the_appointment_can_be_changed_and_cleared(client, world):
    referral = _sent(world)
    post_appointment(client, world, "2026-12-04T09:15")
    post_appointment(client, world, "2026-12-05T14:00")
    referral.refresh_from_db()
    assert referral.appointment_at == dt.datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert post_appointment(client, world, "").status_code == 302
    referral.refresh_from_db()
    assert referral.appointment_at is None


def test_an_appointment_before_the_sent_date_is_refused_and_nothing_saved(client, world):
    referral = _sent(world)
    response = post_appointment(client, world, "2026-11-27T10:00")
    assert response.status_code == 200
    assert "The appointment cannot be before the day the referral was sent." in response.content.decode()
    referral.refresh_from_db()
    assert referral.appointment_at is None


def test_a_draft_referral_gets_no_appointment_here(client, world):
    response = post_appointment(client, world, "2026-12-04T09:15")
    assert response.status_code == 200
    assert "its appointment cannot be changed now" in response.content.decode()
    world.referrals["ANK"].refresh_from_db()
    assert world.referrals["ANK"].appointment_at is None


def test_another_centres_social_worker_gets_404(client, world):
    _sent(world)
    response = post_appointment(client, world, "2026-12-04T09:15", user=world.user("IST", "social_worker"))
    assert response.status_code == 404
    world.referrals["ANK"].refresh_from_db()
    assert world.referrals["ANK"].appointment_at is None


def test_a_psychologist_may_see_the_case_but_not_set_the_appointment(client, world):
    _sent(world)
    response = post_appointment(client, world, "2026-12-04T09:15", user=world.user("ANK", "psychologist"))
    assert response.status_code == 403
