"""The day-before reminder of a referral appointment: its day and time only, with consent, once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from beneficiaries.models import CONTACT_SCOPE
from cases.models import Referral
from messaging import services
from messaging.models import Message

ISTANBUL = ZoneInfo("Europe/Istanbul")
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def afternoon():
    with time_machine.travel(dt.datetime(2026, 12, 1, 15, 0, tzinfo=ISTANBUL), tick=False):
        yield


@pytest.fixture
def referral(world, reachable):
    """The world's ANK referral, sent, for a person who agreed to messages, with an appointment tomorrow."""
    person = reachable(first_name="Layla")
    case = world.cases["ANK"]
    case.beneficiary = person
    case.save()
    referral = world.referrals["ANK"]
    referral.reason = "Private words about the family"
    referral.status = Referral.Status.SENT
    referral.sent_on = dt.date(2026, 11, 28)
    referral.appointment_at = dt.datetime(2026, 12, 2, 10, 30, tzinfo=ISTANBUL)
    referral.save()
    return referral


def test_a_referral_appointment_tomorrow_is_reminded_with_its_day_and_time_only(referral):
    assert services.reminders_for_tomorrow(today=TODAY) == 1
    message = Message.objects.get(template="referral_appointment")
    assert message.beneficiary == referral.case.beneficiary
    assert "Layla" in message.text
    assert "Wednesday 2 December 10:30" in message.text
    assert "Private" not in message.text
    assert referral.partner.name not in message.text  # a partner's name may say what the referral is for


def test_an_appointment_on_another_day_is_not_reminded(referral):
    referral.appointment_at = dt.datetime(2026, 12, 3, 0, 30, tzinfo=ISTANBUL)  # just after tomorrow
    referral.save()
    assert services.reminders_for_tomorrow(today=TODAY) == 0
    referral.appointment_at = dt.datetime(2026, 12, 1, 23, 30, tzinfo=ISTANBUL)  # late today
    referral.save()
    assert services.reminders_for_tomorrow(today=TODAY) == 0
    assert not Message.objects.filter(template="referral_appointment").exists()


def test_no_reminder_without_consent_to_be_contacted(referral):
    referral.case.beneficiary.consents.filter(scope=CONTACT_SCOPE).update(given=False)
    assert services.reminders_for_tomorrow(today=TODAY) == 0
    assert not Message.objects.exists()


def test_the_reminder_is_queued_once_however_often_the_job_runs(referral):
    assert services.reminders_for_tomorrow(today=TODAY) == 1
    assert services.reminders_for_tomorrow(today=TODAY) == 0
    assert Message.objects.filter(template="referral_appointment").count() == 1


def test_a_draft_declined_or_closed_case_referral_is_not_reminded(referral):
    for status in (Referral.Status.DRAFT, Referral.Status.DECLINED, Referral.Status.COMPLETED):
        Referral.objects.filter(pk=referral.pk).update(status=status)
        assert services.reminders_for_tomorrow(today=TODAY) == 0
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)
    referral.case.status, referral.case.closed_at = "closed", dt.datetime(2026, 12, 1, 9, 0, tzinfo=ISTANBUL)
    referral.case.save()
    assert services.reminders_for_tomorrow(today=TODAY) == 0
    assert not Message.objects.exists()
