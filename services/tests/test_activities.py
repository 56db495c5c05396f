import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beneficiaries.tests.factories import BeneficiaryFactory
from services import services
from services.models import Activity, ActivitySlot, Enrollment, ServiceCategory, Session
from services.tests.factories import ActivityFactory, EnrollmentFactory, once_started


def url(name, **kwargs):
    return reverse(f"services:{name}", kwargs={"center": "ANK", **kwargs})


def slot(weekday, start, end):
    return ActivitySlot(weekday=weekday, starts_at=dt.time(*start), ends_at=dt.time(*end))


@pytest.fixture
def manager(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    return client


def activity_post(world, **fields):
    data = {
        "name": "Tailoring for women",
        "category": ServiceCategory.objects.get(code="B").pk,
        "kind": "course",
        "room": world.rooms["ANK"].pk,
        "capacity": "12",
        "starts_on": "2026-01-05",
        "ends_on": "2026-03-27",
        "target_sex": "female",
        "min_age": "16",
        "needs_enrolment": "on",
        "completion_threshold": "70",
        "slots-TOTAL_FORMS": "3",
        "slots-INITIAL_FORMS": "0",
        "slots-0-weekday": "0",
        "slots-0-starts_at": "10:00",
        "slots-0-ends_at": "12:00",
        "slots-1-weekday": "2",
        "slots-1-starts_at": "10:00",
        "slots-1-ends_at": "12:00",
    }
    data.update(fields)
    return data


def test_manager_creates_an_activity_and_its_sessions_are_laid_out(manager, world):
    response = manager.post(url("activity_create"), activity_post(world))
    activity = Activity.objects.get(name="Tailoring for women")
    assert response["Location"] == url("activity_detail", pk=activity.pk)
    # 12 weeks from Monday 5 January to Friday 27 March, two sessions a week.
    assert activity.sessions.count() == 24
    assert set(activity.sessions.values_list("starts_at", flat=True)) == {dt.time(10)}


def test_a_room_cannot_be_double_booked_and_the_error_names_the_clash(manager, world):
    services.activity_save(
        activity=Activity(
            center=world.centers["ANK"],
            category=ServiceCategory.objects.get(code="A"),
            name="Homework club",
            room=world.rooms["ANK"],
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 6, 30),
        ),
        slots=[slot(0, (11, 0), (13, 0))],
    )
    response = manager.post(url("activity_create"), activity_post(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "already booked for “Homework club” on Monday 11:00–13:00" in page
    assert not Activity.objects.filter(name="Tailoring for women").exists()


def test_the_same_room_at_another_time_is_fine(manager, world):
    services.activity_save(
        activity=Activity(
            center=world.centers["ANK"],
            category=ServiceCategory.objects.get(code="A"),
            name="Homework club",
            room=world.rooms["ANK"],
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 6, 30),
        ),
        slots=[slot(0, (12, 0), (14, 0))],
    )
    assert manager.post(url("activity_create"), activity_post(world)).status_code == 302


def test_sessions_must_fall_inside_opening_hours(manager, world):
    response = manager.post(url("activity_create"), activity_post(world, **{"slots-0-starts_at": "07:30"}))
    assert "outside the centre's opening hours (09:00–18:00)" in html.unescape(response.content.decode())


def test_bad_dates_are_form_errors(manager, world):
    response = manager.post(
        url("activity_create"), activity_post(world, ends_on="2025-01-01", capacity="abc")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "The activity must end after it starts." in page
    assert "Enter a whole number." in page


def test_a_mistyped_year_cannot_lay_out_decades_of_sessions(manager, world):
    response = manager.post(url("activity_create"), activity_post(world, starts_on="1026-01-05"))
    assert response.status_code == 200
    assert "An activity runs for two years at most" in response.content.decode()
    assert not Activity.objects.filter(name="Tailoring for women").exists()


def test_a_forged_number_of_timetable_rows_is_refused_without_building_them(manager, world):
    response = manager.post(url("activity_create"), activity_post(world, **{"slots-TOTAL_FORMS": "100000"}))
    assert response.status_code == 200
    assert not Activity.objects.filter(name="Tailoring for women").exists()


def test_an_ad_hoc_session_cannot_take_a_booked_room(manager, world):
    activity = world.activities["ANK"]
    other = ActivityFactory(
        center=world.centers["ANK"], room=world.rooms["ANK"], name="Seminar on labour law"
    )
    services.session_add(
        activity=other, date=dt.date(2026, 12, 1), starts_at=dt.time(14), ends_at=dt.time(16)
    )
    response = manager.post(
        url("session_add", pk=activity.pk), {"date": "2026-12-01", "starts_at": "15:00", "ends_at": "17:00"}
    )
    assert "already booked for “Seminar on labour law” from 14:00 to 16:00" in response.content.decode()


# ---------------------------------------------------------------- enrolment


@pytest.fixture
def small_course(world):
    return ActivityFactory(center=world.centers["ANK"], capacity=2, name="Computer skills")


def enrol(course, person, by):
    return services.enrollment_request(activity=course, person=person, by=by)


def test_the_third_person_waits_and_gets_the_freed_place_as_an_offer(world, small_course):
    by = world.user("ANK", "reception")
    people = [BeneficiaryFactory(center=world.centers["ANK"], birth_year=1990) for _ in range(4)]
    statuses = [enrol(small_course, p, by).status for p in people]
    assert statuses == ["enrolled", "enrolled", "waitlisted", "waitlisted"]

    first = Enrollment.objects.get(activity=small_course, beneficiary=people[0])
    services.enrollment_change(enrollment=first, action="drop", by=by)
    third = Enrollment.objects.get(activity=small_course, beneficiary=people[2])
    assert third.status == "offered"
    assert Enrollment.objects.get(activity=small_course, beneficiary=people[3]).status == "waitlisted"

    services.enrollment_change(enrollment=third, action="decline", by=by)
    assert Enrollment.objects.get(activity=small_course, beneficiary=people[3]).status == "offered"


def test_enrolling_twice_keeps_one_enrolment(world, small_course):
    person, by = world.people["ANK"], world.user("ANK", "reception")
    enrol(small_course, person, by)
    enrol(small_course, person, by)
    assert Enrollment.objects.filter(activity=small_course, beneficiary=person).count() == 1


@pytest.mark.parametrize(
    ("activity_fields", "person_fields", "message"),
    [
        ({"target_sex": "female"}, {"sex": "male"}, "this activity is for women and girls only"),
        ({"min_age": 6, "max_age": 11}, {"birth_year": 1990}, "this activity is for ages up to 11"),
        ({"min_age": 18}, {"birth_year": 2016}, "this activity is for ages 18 and over"),
    ],
)
def test_eligibility_is_checked_with_a_clear_error(client, world, activity_fields, person_fields, message):
    course = ActivityFactory(center=world.centers["ANK"], **activity_fields)
    person = BeneficiaryFactory(center=world.centers["ANK"], **person_fields)
    client.force_login(world.user("ANK", "reception"))
    response = client.post(url("enrol", pk=course.pk), {"number": person.registration_number}, follow=True)
    assert message in response.content.decode()
    assert not Enrollment.objects.filter(activity=course, beneficiary=person).exists()


def test_completion_needs_the_attendance_threshold_then_gives_a_certificate(client, world):
    course = ActivityFactory(center=world.centers["ANK"], completion_threshold=75)
    person, by = world.people["ANK"], world.user("ANK", "trainer")
    enrollment = EnrollmentFactory(
        activity=course, beneficiary=person, requested_at=timezone.now() - dt.timedelta(days=40)
    )
    today = timezone.localdate()
    sessions = [
        Session.objects.create(
            activity=course, date=today - dt.timedelta(days=7 * i), starts_at=dt.time(10), ends_at=dt.time(12)
        )
        for i in range(1, 5)  # the last four weeks: sessions already held, whatever the time of day
    ]
    services.register_save(session=sessions[0], marks={person.pk: True}, walk_ins=[], by=by)
    services.register_save(session=sessions[1], marks={person.pk: True}, walk_ins=[], by=by)
    with pytest.raises(ValidationError, match="Attendance is 50%; 75% is needed"):
        services.enrollment_change(enrollment=enrollment, action="complete", by=by)
    services.register_save(session=sessions[2], marks={person.pk: True}, walk_ins=[], by=by)
    services.enrollment_change(enrollment=enrollment, action="complete", by=by)

    client.force_login(world.user("ANK", "reception"))
    pdf = client.get(url("certificate", pk=enrollment.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_certificate_needs_a_completed_course(client, world, small_course):
    enrollment = EnrollmentFactory(activity=small_course, beneficiary=world.people["ANK"])
    client.force_login(world.user("ANK", "reception"))
    assert client.get(url("certificate", pk=enrollment.pk)).status_code == 404


def test_other_centre_gets_404_on_activities(world, assert_other_center_gets_404):
    activity, enrollment = world.activities["ANK"], world.enrollments["ANK"]
    other = world.user("IST", "center_manager")
    for name in ("activity_detail", "activity_edit", "session_add", "enrol"):
        assert_other_center_gets_404(other, f"services:{name}", center="ANK", pk=activity.pk)
    assert_other_center_gets_404(other, "services:certificate", center="ANK", pk=enrollment.pk)
    assert_other_center_gets_404(
        other, "services:enrollment_change", center="ANK", pk=enrollment.pk, action="drop"
    )
    assert_other_center_gets_404(other, "services:register", center="ANK", pk=world.sessions["ANK"].pk)


def test_changing_the_timetable_moves_future_sessions_but_keeps_attended_ones(manager, world, time_machine):
    manager.post(url("activity_create"), activity_post(world, starts_on="2026-11-02", ends_on="2027-01-29"))
    activity = Activity.objects.get(name="Tailoring for women")
    attended = activity.sessions.filter(date__gte=timezone.localdate()).first()
    # Attendance is taken once a session has begun: the timetable changes on the attended session's day.
    time_machine.move_to(once_started(attended))
    manager.force_login(world.user("ANK", "center_manager"))
    services.register_save(
        session=attended, marks={world.people["ANK"].pk: True}, walk_ins=[], by=world.user("ANK", "trainer")
    )
    data = activity_post(
        world,
        starts_on="2026-11-02",
        ends_on="2027-01-29",
        **{"slots-1-weekday": "4", "slots-INITIAL_FORMS": "0", "slots-TOTAL_FORMS": "3"},
    )
    assert manager.post(url("activity_edit", pk=activity.pk), data).status_code == 302
    future = activity.sessions.filter(date__gt=timezone.localdate())
    assert set(future.values_list("date__week_day", flat=True)) <= {2, 6} | {
        attended.date.isoweekday() % 7 + 1
    }
    assert activity.sessions.filter(pk=attended.pk).exists()
    assert activity.slots.count() == 2


def test_a_reception_user_may_see_activities_but_not_change_them(client, world):
    client.force_login(world.user("ANK", "reception"))
    assert client.get(url("activity_detail", pk=world.activities["ANK"].pk)).status_code == 200
    assert client.post(url("activity_edit", pk=world.activities["ANK"].pk), {}).status_code == 403
    assert client.post(url("today"), {"number": "x"}).status_code == 200
    client.force_login(world.user("ANK", "psychologist"))
    assert client.post(url("today"), {"number": "x"}).status_code == 403
