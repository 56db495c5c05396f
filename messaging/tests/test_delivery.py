"""Queuing and sending: consent, quiet hours, the daily cap, de-duplication, retries, notices."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.tests.factories import BeneficiaryFactory
from messaging import services, tasks
from messaging.models import Message
from services import services as service_writes
from services.models import Enrollment, ServiceCategory
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

ISTANBUL = ZoneInfo("Europe/Istanbul")
AFTERNOON = dt.datetime(2026, 12, 1, 15, 0, tzinfo=ISTANBUL)
NIGHT = dt.datetime(2026, 12, 1, 22, 30, tzinfo=ISTANBUL)


def queue(person, world, key="k", **extra):
    return services.message_queue(
        person=person,
        center=world.centers["ANK"],
        template="centre_notice",
        variables={"note": "The centre is closed on Friday."},
        dedup_key=key,
        **extra,
    )


@pytest.fixture
def afternoon():
    with time_machine.travel(AFTERNOON, tick=False):
        yield


@pytest.mark.usefixtures("afternoon")
def test_a_message_is_sent_by_the_task_after_the_commit(
    world, reachable, memory_backend, django_capture_on_commit_callbacks
):
    person = reachable(first_name="Amina", last_name="Haddad")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(person, world)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.attempts == 1 and message.cost_usd > 0
    [sent] = memory_backend.outbox
    assert sent.to == "+905321234567"
    assert sent.body.startswith("Hello Amina, a message from Ankara Community Centre: The centre is closed")
    assert "Haddad" not in sent.body  # the given name only


@pytest.mark.usefixtures("afternoon")
def test_no_message_without_consent_to_be_contacted(world, memory_backend):
    person = BeneficiaryFactory(center=world.centers["ANK"], phone="+905321234567")  # every other consent
    with pytest.raises(services.NotQueued) as refused:
        queue(person, world)
    assert refused.value.reason == "no_consent"
    assert not Message.objects.exists()


@pytest.mark.usefixtures("afternoon")
def test_no_message_without_a_valid_phone(world, reachable):
    person = reachable(phone="")
    with pytest.raises(services.NotQueued) as refused:
        queue(person, world)
    assert refused.value.reason == "no_phone"


def test_phone_numbers_are_normalised_to_e164():
    assert services.phone_e164("0532 123 45 67") == "+905321234567"
    assert services.phone_e164("+90 (532) 123-4567") == "+905321234567"
    assert services.phone_e164("+963 944 123 456") == "+963944123456"
    assert services.phone_e164("12") is None


@pytest.mark.usefixtures("afternoon")
def test_a_withdrawal_stops_queued_messages_at_once(
    world, reachable, memory_backend, django_capture_on_commit_callbacks
):
    person = reachable()
    with time_machine.travel(NIGHT, tick=False):
        message = queue(person, world)  # held back by quiet hours
    services.contact_consent_record(
        person=person, given=False, channel="sms", language="en", by=world.user("ANK", "reception")
    )
    message.refresh_from_db()
    assert message.status == Message.Status.CANCELLED
    with (
        time_machine.travel(NIGHT + dt.timedelta(hours=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.send_due.delay()
    assert memory_backend.outbox == []
    consent = Consent.objects.get(beneficiary=person, scope=CONTACT_SCOPE)
    assert consent.withdrawn_at is not None  # kept, not deleted


@pytest.mark.usefixtures("afternoon")
def test_a_withdrawal_from_any_page_cancels_too(world, reachable):
    person = reachable()
    with time_machine.travel(NIGHT, tick=False):
        message = queue(person, world)
    consent = Consent.objects.get(beneficiary=person, scope=CONTACT_SCOPE)
    consent.withdrawn_at = timezone.now()
    consent.save()
    message.refresh_from_db()
    assert message.status == Message.Status.CANCELLED


def test_quiet_hours_hold_a_message_until_eight_in_the_morning(
    world, reachable, memory_backend, django_capture_on_commit_callbacks
):
    person = reachable()
    with time_machine.travel(NIGHT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(person, world)
        assert timezone.localtime(message.send_after) == dt.datetime(2026, 12, 2, 8, 0, tzinfo=ISTANBUL)
        tasks.send_due.delay()
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED and memory_backend.outbox == []
    with time_machine.travel(dt.datetime(2026, 12, 2, 7, 59, tzinfo=ISTANBUL), tick=False):
        assert tasks.send_due.delay().get() == 0
    with (
        time_machine.travel(dt.datetime(2026, 12, 2, 8, 1, tzinfo=ISTANBUL), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_due.delay().get() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert len(memory_backend.outbox) == 1


def test_early_morning_waits_for_eight_the_same_day(world, reachable):
    with time_machine.travel(dt.datetime(2026, 12, 2, 6, 0, tzinfo=ISTANBUL), tick=False):
        message = queue(reachable(), world)
    assert timezone.localtime(message.send_after) == dt.datetime(2026, 12, 2, 8, 0, tzinfo=ISTANBUL)


@pytest.mark.usefixtures("afternoon")
def test_a_person_gets_at_most_the_daily_cap(world, reachable, settings):
    settings.SMS_DAILY_CAP = 2
    person = reachable()
    queue(person, world, key="a")
    queue(person, world, key="b")
    with pytest.raises(services.NotQueued) as refused:
        queue(person, world, key="c")
    assert refused.value.reason == "daily_cap"
    with time_machine.travel(AFTERNOON + dt.timedelta(days=1), tick=False):
        queue(person, world, key="c")  # a new day


@pytest.mark.usefixtures("afternoon")
def test_the_same_notice_is_never_queued_twice(world, reachable):
    person = reachable()
    queue(person, world, key="session_cancelled:1")
    with pytest.raises(services.NotQueued) as refused:
        queue(person, world, key="session_cancelled:1")
    assert refused.value.reason == "duplicate"
    assert Message.objects.count() == 1


@pytest.mark.usefixtures("afternoon")
def test_a_transient_failure_is_retried_until_it_goes(
    world, reachable, memory_backend, django_capture_on_commit_callbacks
):
    memory_backend.fail_next[:] = ["transient", "transient"]
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(reachable(), world)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.attempts == 3
    assert len(memory_backend.outbox) == 1


@pytest.mark.usefixtures("afternoon")
def test_retries_are_bounded_and_end_in_a_visible_failure(
    world, reachable, memory_backend, settings, django_capture_on_commit_callbacks
):
    memory_backend.fail_next[:] = ["transient"] * 10
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(reachable(), world)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == tasks.send_message.max_retries + 1
    assert "transient" in message.error
    assert message.cost_usd == 0


@pytest.mark.usefixtures("afternoon")
def test_a_permanent_failure_is_not_retried(
    world, reachable, memory_backend, django_capture_on_commit_callbacks
):
    memory_backend.fail_next[:] = ["permanent", "transient"]
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(reachable(), world)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)


# ---------------------------------------------------------------- notices from services


def _course(world, category="B"):
    activity = ActivityFactory(
        center=world.centers["ANK"],
        category=ServiceCategory.objects.get(code=category),
        name="Turkish A1",
        capacity=1,
    )
    return activity


@pytest.mark.usefixtures("afternoon")
def test_cancelling_a_session_tells_the_people_enrolled_in_their_language(world, reachable):
    activity = _course(world)
    amina = reachable(first_name="Amina", language="fr")
    EnrollmentFactory(
        activity=activity, beneficiary=amina, status="enrolled", by=world.user("ANK", "reception")
    )
    session = SessionFactory(activity=activity, date=dt.date(2026, 12, 3))
    session.is_cancelled = True
    session.save()
    [message] = Message.objects.all()
    assert message.template == "session_cancelled" and message.language == "fr"
    assert "Turkish A1" in message.text and "Amina" in message.text
    session.save()  # saved again: no second notice
    assert Message.objects.count() == 1


@pytest.mark.usefixtures("afternoon")
def test_moving_a_session_says_from_when_to_when(world, reachable):
    activity = _course(world)
    EnrollmentFactory(
        activity=activity, beneficiary=reachable(), status="enrolled", by=world.user("ANK", "reception")
    )
    session = SessionFactory(activity=activity, date=dt.date(2026, 12, 3))
    session.date = dt.date(2026, 12, 4)
    session.save()
    [message] = Message.objects.all()
    assert message.template == "session_moved"
    assert "Thursday 3 December" in message.text and "Friday 4 December" in message.text


@pytest.mark.usefixtures("afternoon")
def test_psychosocial_activities_are_never_named_in_a_message(world, reachable):
    activity = _course(world, category="D")
    EnrollmentFactory(
        activity=activity, beneficiary=reachable(), status="enrolled", by=world.user("ANK", "reception")
    )
    session = SessionFactory(activity=activity, date=dt.date(2026, 12, 3))
    session.is_cancelled = True
    session.save()
    assert services.reminders_for_tomorrow(today=dt.date(2026, 12, 2)) == 0
    assert not Message.objects.exists()


@pytest.mark.usefixtures("afternoon")
def test_a_freed_place_is_offered_by_message_with_a_deadline(world, reachable):
    activity = _course(world)
    reception = world.user("ANK", "reception")
    holder = EnrollmentFactory(activity=activity, beneficiary=reachable(), status="enrolled", by=reception)
    waiting = reachable(first_name="Layla")
    EnrollmentFactory(activity=activity, beneficiary=waiting, status="waitlisted", by=reception)
    service_writes.enrollment_change(enrollment=holder, action="drop", by=reception)
    [message] = Message.objects.filter(beneficiary=waiting)
    assert message.template == "place_offered"
    assert "Friday 4 December" in message.text  # three days to answer
    assert Enrollment.objects.get(beneficiary=waiting).status == "offered"


@pytest.mark.usefixtures("afternoon")
def test_reminders_the_day_before_sessions_and_follow_ups(world, reachable):
    from cases.models import FollowUp

    activity = _course(world)
    person = reachable()
    EnrollmentFactory(
        activity=activity, beneficiary=person, status="enrolled", by=world.user("ANK", "reception")
    )
    SessionFactory(activity=activity, date=dt.date(2026, 12, 2))
    case = world.cases["ANK"]
    case.beneficiary = person
    case.save()
    FollowUp.objects.create(
        case=case,
        center=world.centers["ANK"],
        date=dt.date(2026, 11, 20),
        type="phone",
        summary="Private words about the family",
        next_date=dt.date(2026, 12, 2),
        by=world.user("ANK", "social_worker"),
    )
    assert services.reminders_for_tomorrow(today=dt.date(2026, 12, 1)) == 2
    texts = sorted(Message.objects.values_list("template", "text"))
    assert [t for t, _ in texts] == ["follow_up_tomorrow", "session_tomorrow"]
    assert all("Private" not in text for _, text in texts)
    assert services.reminders_for_tomorrow(today=dt.date(2026, 12, 1)) == 0  # run twice: no duplicates
