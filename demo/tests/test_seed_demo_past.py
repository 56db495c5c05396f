"""The demo records only what has happened: nothing it seeds as done is dated after the moment it runs."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q

from beneficiaries.models import Beneficiary
from cases.models import Case, FollowUp, Referral
from listening.models import Feedback, OutreachVisit
from services.models import Attendance, ServiceDelivery, Session

# Monday 30 November 2026, 12:30 in Istanbul: the Monday 10:00 courses have begun, the 13:00 and 14:00
# sessions are still to come.
MONDAY_LUNCHTIME = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    settings.TIME_ZONE = "Europe/Istanbul"
    with time_machine.travel(MONDAY_LUNCHTIME, tick=False):
        call_command("seed_demo", "--beneficiaries", "40", stdout=io.StringIO())
    return MONDAY_LUNCHTIME


@pytest.mark.django_db
def test_today_s_later_sessions_have_no_attendance(seeded):
    later_today = Session.objects.filter(date=TODAY, starts_at__gt=dt.time(12, 30))
    begun_today = Session.objects.filter(date=TODAY, starts_at__lte=dt.time(12, 30))
    assert later_today.exists() and begun_today.exists()  # the demo's Monday timetable has both
    assert not Attendance.objects.filter(session__in=later_today).exists()
    assert not Attendance.objects.filter(session__date__gt=TODAY).exists()
    # Sessions that have begun are kept as on any other day.
    assert Attendance.objects.filter(session__in=begun_today).exists()
    assert not Attendance.objects.filter(recorded_at__gt=seeded).exists()


@pytest.mark.django_db
def test_no_delivery_follow_up_or_answer_is_dated_after_now(seeded):
    assert ServiceDelivery.objects.exists() and FollowUp.objects.exists() and Referral.objects.exists()
    assert not ServiceDelivery.objects.filter(date__gt=TODAY).exists()
    assert not FollowUp.objects.filter(date__gt=TODAY).exists()
    assert not Referral.objects.filter(
        Q(sent_on__gt=TODAY) | Q(answered_on__gt=TODAY) | Q(completed_on__gt=TODAY)
    ).exists()
    # A referral said to be answered or completed carries the day it was.
    assert not Referral.objects.filter(
        status__in=["accepted", "completed"], answered_on__isnull=True
    ).exists()
    assert not Referral.objects.filter(status="completed", completed_on__isnull=True).exists()
    assert not Case.objects.filter(opened_at__gt=seeded).exists()
    assert not Beneficiary.objects.filter(registered_at__gt=seeded).exists()
    assert not OutreachVisit.objects.filter(date__gt=TODAY).exists()
    assert not Feedback.objects.filter(Q(received_on__gt=TODAY) | Q(closed_on__gt=TODAY)).exists()
