import datetime as dt
import html

import pytest
from django.urls import reverse

from beneficiaries.tests.factories import BeneficiaryFactory
from services import services
from services.models import Attendance, CheckIn, DeskMessage, Enrollment, ServiceDelivery
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory, once_started


def url(name, **kwargs):
    return reverse(f"services:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def lesson_time(world, time_machine):
    """The clock once the world's session (today, 10:00) has begun: its register is open."""
    time_machine.move_to(once_started(world.sessions["ANK"]))


@pytest.fixture
def trainer(client, world, lesson_time):
    # Logged in after the clock moved: a jump forward must not end the login's idle time.
    client.force_login(world.user("ANK", "trainer"))
    return client


@pytest.fixture
def class_of(world, lesson_time):
    """A session of the ANK trainer's course with n enrolled people, once it has begun."""

    def make(n):
        session = world.sessions["ANK"]
        people = [BeneficiaryFactory(center=world.centers["ANK"], consents=False) for _ in range(n)]
        for person in people:
            EnrollmentFactory(
                activity=session.activity, beneficiary=person, by=world.user("ANK", "reception")
            )
        return session, people

    return make


def test_trainer_marks_attendance_and_adds_a_walk_in(trainer, world, class_of):
    session, people = class_of(5)
    walk_in = BeneficiaryFactory(center=world.centers["ANK"], first_name="Walkin", consents=False)
    data = {"present": [str(p.pk) for p in people[:3]], "walk_ins": f"{walk_in.registration_number}/1"}
    response = trainer.post(url("register", pk=session.pk), data)
    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(session=session).values_list("beneficiary_id", "present"))
    assert sum(marks.values()) == 4 and len(marks) == 7  # 5 enrolled + the world's person + the walk-in
    assert Attendance.objects.get(session=session, beneficiary=walk_in).walk_in


def test_saving_again_changes_marks_without_duplicates(trainer, class_of):
    session, people = class_of(3)
    trainer.post(url("register", pk=session.pk), {"present": [str(people[0].pk)]})
    trainer.post(url("register", pk=session.pk), {"present": [str(people[1].pk)]})
    assert Attendance.objects.filter(session=session).count() == 4
    assert list(
        Attendance.objects.filter(session=session, present=True).values_list("beneficiary_id", flat=True)
    ) == [people[1].pk]


def test_a_walk_in_found_by_name(trainer, world, class_of):
    session, _ = class_of(1)
    BeneficiaryFactory(center=world.centers["ANK"], first_name="Zeynep", last_name="Özdemir", consents=False)
    trainer.post(url("register", pk=session.pk), {"walk_ins": "Zeynep Özdemir"})
    assert Attendance.objects.filter(session=session, beneficiary__first_name="Zeynep", present=True).exists()


def test_an_unknown_walk_in_saves_nothing_and_keeps_the_ticks(trainer, class_of):
    session, people = class_of(3)
    response = trainer.post(
        url("register", pk=session.pk), {"present": [str(people[0].pk)], "walk_ins": "ANK-2026-999999"}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "No one found for “ANK-2026-999999”" in page
    assert f'value="{people[0].pk}" id="present-{people[0].pk}" checked' in page
    assert not Attendance.objects.filter(session=session).exists()


def test_an_ineligible_walk_in_is_refused(trainer, world, class_of):
    session, _ = class_of(1)
    session.activity.min_age = 18
    session.activity.save()
    child = BeneficiaryFactory(center=world.centers["ANK"], birth_year=2018, consents=False)
    response = trainer.post(url("register", pk=session.pk), {"walk_ins": child.registration_number})
    assert "this activity is for ages 18 and over" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()


def test_a_register_that_fails_half_way_saves_nothing(world, class_of, monkeypatch):
    session, people = class_of(4)
    Attendance.objects.create(
        session=session, beneficiary=people[0], present=False, recorded_by=world.user("ANK", "trainer")
    )

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # New rows are written first, then the changed ones: fail on the second step.
    monkeypatch.setattr(Attendance.objects, "bulk_update", fail)
    with pytest.raises(RuntimeError):
        services.register_save(
            session=session, marks={p.pk: True for p in people}, walk_ins=[], by=world.user("ANK", "trainer")
        )
    assert list(Attendance.objects.filter(session=session).values_list("beneficiary_id", "present")) == [
        (people[0].pk, False)
    ]


def test_a_trainer_reaches_only_the_registers_of_their_own_activities(client, world):
    someone_elses = SessionFactory(
        activity=ActivityFactory(center=world.centers["ANK"], facilitator=world.user("ANK", "social_worker"))
    )
    client.force_login(world.user("ANK", "trainer"))
    assert client.get(url("register", pk=someone_elses.pk)).status_code == 404
    assert client.get(url("register", pk=world.sessions["ANK"].pk)).status_code == 200
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(url("register", pk=someone_elses.pk)).status_code == 200


def test_a_30_person_register_costs_the_same_queries_as_a_3_person_one(
    trainer, class_of, django_assert_max_num_queries
):
    session, people = class_of(30)
    # 1 session, 2 user, 3 roles, 4 centre, 5 session+activity+room, 6 attendance marks,
    # 7 enrolled people, 8-9 navigation, 10-12 session save
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    with django_assert_max_num_queries(13):
        page = trainer.get(url("register", pk=session.pk)).content.decode()
    assert page.count('name="present"') == 31
    # The POST adds: 13-14 savepoint, lock the marks, 15 insert, 16 update, 17 the saved time, 18 release.
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    with django_assert_max_num_queries(19):
        trainer.post(url("register", pk=session.pk), {"present": [str(p.pk) for p in people[::2]]})
    assert Attendance.objects.filter(session=session, present=True).count() == 15


def test_today_lists_sessions_free_places_and_check_ins(client, world, django_assert_max_num_queries):
    client.force_login(world.user("ANK", "reception"))
    for _ in range(5):
        SessionFactory(activity=ActivityFactory(center=world.centers["ANK"], capacity=10))
    # 1 session, 2 user, 3 roles, 4 centre, 5 today's sessions with counts, 6 check-ins, 7-8 navigation, 9-11 session save
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    with django_assert_max_num_queries(12):
        page = client.get(url("today")).content.decode()
    assert page.count("Turkish A1") == 6


def test_check_in_shows_what_the_desk_must_say_and_nothing_confidential(client, world):
    person = world.people["ANK"]
    course = ActivityFactory(center=world.centers["ANK"], name="Hairdressing")
    Enrollment.objects.create(
        activity=course, beneficiary=person, status="offered", by=world.user("ANK", "reception")
    )
    client.force_login(world.user("ANK", "reception"))
    page = html.unescape(client.post(url("today"), {"number": person.card_payload}).content.decode())
    assert "Please see the social worker" in page
    assert "A place in “Hairdressing” is offered" in page
    assert CheckIn.objects.filter(beneficiary=person).count() == 1

    message = world.desk_messages["ANK"]
    client.post(url("desk_message_done", pk=message.pk))
    message.refresh_from_db()
    assert message.done_at is not None


def test_a_one_to_one_service_is_recorded_from_the_profile(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    from services.models import ServiceCategory

    category = ServiceCategory.objects.get(code="E")
    response = client.post(
        url("delivery_record", pk=person.pk),
        {"category": category.pk, "type": "information", "date": "2026-11-02", "duration_minutes": "15"},
    )
    assert response.status_code == 302
    delivery = ServiceDelivery.objects.get(beneficiary=person)
    assert (delivery.center.code, delivery.category.code, delivery.staff.username) == (
        "ANK",
        "E",
        "ank_reception",
    )
    page = client.get(
        reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    ).content.decode()
    assert "Information desk" in page


def test_a_future_service_date_is_refused(client, world):
    client.force_login(world.user("ANK", "reception"))
    from services.models import ServiceCategory

    response = client.post(
        url("delivery_record", pk=world.people["ANK"].pk),
        {
            "category": ServiceCategory.objects.get(code="E").pk,
            "type": "information",
            "date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "duration_minutes": "15",
        },
    )
    assert "This date is in the future." in response.content.decode()
    assert not ServiceDelivery.objects.exists()


def test_a_desk_message_is_left_by_a_social_worker(client, world):
    client.force_login(world.user("ANK", "social_worker"))
    client.post(
        url("desk_message_leave", pk=world.people["ANK"].pk), {"text": "Ask her to see Leyla on Tuesday"}
    )
    assert DeskMessage.objects.filter(text="Ask her to see Leyla on Tuesday", done_at__isnull=True).exists()


def test_host_community_members_take_part_like_anyone(trainer, world, class_of):
    session, _ = class_of(0)
    neighbour = BeneficiaryFactory(
        center=world.centers["ANK"], population_group="host_community", nationality="TR", consents=False
    )
    trainer.post(url("register", pk=session.pk), {"walk_ins": neighbour.registration_number})
    assert Attendance.objects.get(session=session, beneficiary=neighbour).present
