"""A register is kept for a session that has begun: no one can have attended a session still to come."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import translation

from beneficiaries.tests.factories import BeneficiaryFactory
from services import services
from services.models import Attendance, Session
from services.tests.factories import ActivityFactory, EnrollmentFactory

ONE_MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def session(world, settings):
    """The ANK trainer's session on Tuesday 1 December 2026 at 10:00 (Istanbul), with one learner."""
    settings.TIME_ZONE = "Europe/Istanbul"
    session = Session.objects.create(
        activity=ActivityFactory(center=world.centers["ANK"], facilitator=world.user("ANK", "trainer")),
        date=dt.date(2026, 12, 1),
        starts_at=dt.time(10, 0),
        ends_at=dt.time(12, 0),
    )
    learner = BeneficiaryFactory(center=world.centers["ANK"], first_name="Learner", consents=False)
    EnrollmentFactory(activity=session.activity, beneficiary=learner, by=world.user("ANK", "reception"))
    session.learner = learner
    return session


def register(client, world, session, **data):
    client.force_login(world.user("ANK", "trainer"))
    url = reverse("services:register", kwargs={"center": "ANK", "pk": session.pk})
    if data:
        return client.post(url, data)
    return client.get(url)


def test_a_register_saved_before_the_session_starts_is_refused_and_saves_nothing(
    client, world, session, time_machine
):
    time_machine.move_to(session.starts - ONE_MINUTE, tick=False)  # 09:59 Istanbul
    response = register(client, world, session, present=[str(session.learner.pk)])
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "This register opens when the session starts, on Tuesday 1 December 2026 at 10:00." in page
    assert not Attendance.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.register_saved_at is None


def test_the_register_of_a_session_to_come_is_shown_read_only_with_when_it_opens(
    client, world, session, time_machine
):
    time_machine.move_to(session.starts - dt.timedelta(hours=3), tick=False)
    page = html.unescape(register(client, world, session).content.decode())
    assert "Learner" in page
    assert "This register opens when the session starts, on Tuesday 1 December 2026 at 10:00." in page
    assert f'id="present-{session.learner.pk}" disabled' in page
    assert "Save the register" not in page and 'name="walk_ins"' not in page


def test_the_register_opens_at_the_start_and_saves(client, world, session, time_machine):
    time_machine.move_to(session.starts, tick=False)
    page = register(client, world, session).content.decode()
    assert "Save the register" in page and f'id="present-{session.learner.pk}">' in page
    response = register(client, world, session, present=[str(session.learner.pk)])
    assert response.status_code == 302
    assert Attendance.objects.get(session=session).present


def test_the_service_refuses_a_session_still_to_come(world, session, time_machine):
    time_machine.move_to(session.starts - ONE_MINUTE, tick=False)
    with translation.override("en"), pytest.raises(services.RegisterNotOpen) as refused:
        services.register_save(
            session=session, marks={session.learner.pk: True}, walk_ins=[], by=world.user("ANK", "trainer")
        )
    assert refused.value.message == (
        "This register opens when the session starts, on Tuesday 1 December 2026 at 10:00."
    )
    assert not Attendance.objects.exists()


def test_the_start_is_read_in_the_centres_time_zone(world, session, time_machine):
    # 10:00 in Istanbul is 07:00 UTC: at 07:30 UTC the session has begun, at 06:30 UTC it has not.
    time_machine.move_to(dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC), tick=False)
    assert not session.has_started()
    time_machine.move_to(dt.datetime(2026, 12, 1, 7, 30, tzinfo=dt.UTC), tick=False)
    assert session.has_started()
