"""Planning pages: who may plan, what staff of a planned centre may do, saving and comparing scenarios,
opening a centre from its plan, and a planned centre's needs against its plan."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from centers.models import Center, Membership
from centers.tests.factories import UserFactory
from listening import selectors as listening
from listening.models import OutreachVisit
from listening.services import interview_save
from planning import selectors
from planning.models import CenterPlan, Scenario
from planning.tests.factories import funding_source, planned_center, scenario
from services.models import Activity, ServiceCategory, Session

pytestmark = pytest.mark.django_db


def _staff_of(center, role="social_worker"):
    user = UserFactory()
    Membership.objects.create(user=user, center=center, role=role)
    return user


def _plan_post(**overrides):
    fund = funding_source()
    data = {
        "token": str(uuid.uuid4()),
        "centre-code": "GAZ",
        "centre-name": "Gaziantep Community Centre",
        "centre-city": "Gaziantep",
        "centre-address": "",
        "centre-floors": "2",
        "centre-area_m2": "450",
        "plan-target_month": "2027-06",
        "plan-district": "Şahinbey",
        "plan-notes": "",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-category": str(ServiceCategory.objects.get_or_create(code="B")[0].pk),
        "activities-0-name": "Turkish A1",
        "activities-0-kind": "course",
        "activities-0-capacity": "18",
        "activities-0-sessions_a_week": "3",
        "activities-0-starts_at": "10:00",
        "activities-0-ends_at": "12:00",
        "activities-0-room_name": "Classroom 1",
        "activities-0-need": "language",
        "staff-TOTAL_FORMS": "1",
        "staff-INITIAL_FORMS": "0",
        "staff-0-role": "trainer",
        "staff-0-count": "2",
        "staff-0-monthly_cost": "900",
        "staff-0-currency": "USD",
        "staff-0-funding_source": str(fund.pk),
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-0-type": "rent",
        "costs-0-amount": "40000",
        "costs-0-currency": "TRY",
        "costs-0-funding_source": str(fund.pk),
        "costs-0-note": "",
    }
    data.update(overrides)
    return data


def test_national_manager_plans_a_centre_once_however_often_the_form_is_sent(client, world):
    client.force_login(world.user(None, "national_manager"))
    data = _plan_post()
    first = client.post(reverse("planning:center_create"), data)
    again = client.post(reverse("planning:center_create"), data)
    assert first.status_code == again.status_code == 302
    center = Center.objects.get(code="GAZ")
    assert center.status == Center.Status.PLANNED
    plan = CenterPlan.objects.get(center=center)
    assert plan.target_month == dt.date(2027, 6, 1)
    assert (
        plan.activities.get().capacity == 18
        and plan.staff.get().count == 2
        and plan.costs.get().amount == 40000
    )
    assert AuditEvent.objects.filter(object_type="planning.centerplan").exists()


def test_bad_plan_input_is_a_form_error(client, world):
    client.force_login(world.user(None, "national_manager"))
    response = client.post(
        reverse("planning:center_create"),
        _plan_post(
            **{"plan-target_month": "June", "activities-0-capacity": "-3", "activities-0-ends_at": "09:00"}
        ),
    )
    assert response.status_code == 200
    assert "Give a month as YYYY-MM." in response.content.decode()
    assert not Center.objects.filter(code="GAZ").exists()


def test_centre_manager_may_not_plan(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(reverse("planning:centers")).status_code == 403
    assert client.post(reverse("planning:center_create"), _plan_post()).status_code == 403


def test_staff_of_a_planned_centre_record_outreach_and_nothing_else(client, world):
    kilis = planned_center()
    for role in ("social_worker", "center_manager", "reception"):
        user = _staff_of(kilis, role)
        client.force_login(user)
        assert client.get(reverse("centers:dashboard", kwargs={"center": "KIL"})).status_code == 200
        assert client.get(reverse("beneficiaries:register", kwargs={"center": "KIL"})).status_code == 403
        assert client.get(reverse("services:activity_create", kwargs={"center": "KIL"})).status_code == 403
        assert client.get(reverse("finance:costs", kwargs={"center": "KIL"})).status_code == 403
        recording = client.get(reverse("listening:visit_create", kwargs={"center": "KIL"})).status_code
        assert recording == (403 if role == "reception" else 200), role
        assert client.get(reverse("listening:interview_import", kwargs={"center": "KIL"})).status_code == (
            403 if role == "reception" else 200
        )


def test_planned_centres_needs_are_set_against_its_plan(world):
    kilis = planned_center()
    staff = _staff_of(kilis)
    today = dt.date.today()
    visit = OutreachVisit.objects.create(center=kilis, date=today, district="Merkez", created_by=staff)
    for i in range(5):
        interview_save(
            visit=visit,
            by=staff,
            submission_id=f"k{i}",
            needs=["employment", "language"],
            respondent_sex="female",
            age_band="18-59",
            population_group="temporary_protection",
        )
    result = listening.needs_offer(center=kilis, start=today - dt.timedelta(days=30), end=today)
    assert result.planned
    language = next(r for r in result.needs if r.need == "language")
    assert language.places == 18 and [a.name for a in language.activities] == ["Turkish A1"]
    assert any("Employment" in gap and "nothing in the plan answers it" in gap for gap in result.gaps)
    assert not any(gap.startswith("Language") for gap in result.gaps)


def test_needs_offer_page_of_a_planned_centre_names_the_plan(client, world):
    kilis = planned_center()
    client.force_login(_staff_of(kilis))
    response = client.get(reverse("listening:needs_offer", kwargs={"center": "KIL"}))
    assert response.status_code == 200
    assert "the offer below is its plan" in response.content.decode()


def test_scenario_is_saved_once_and_shows_runway_with_and_without(client, world):
    planned_center()
    client.force_login(world.user(None, "national_manager"))
    month = (dt.date.today().replace(day=1) + dt.timedelta(days=95)).strftime("%Y-%m")
    shown = client.get(reverse("planning:scenario"), {"open_KIL": month})
    page = shown.content.decode()
    assert shown.status_code == 200 and "Appeal fund" in page and 'data-testid="runway-chart"' in page
    data = {"open_KIL": month, "name": "Kilis soon", "token": str(uuid.uuid4())}
    first = client.post(reverse("planning:scenario"), data)
    again = client.post(reverse("planning:scenario"), data)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    saved = Scenario.objects.get()
    assert saved.name == "Kilis soon" and saved.openings.get().center.code == "KIL"
    assert client.get(first["Location"]).status_code == 200


def test_scenario_in_the_past_or_with_nothing_chosen_is_a_form_error(client, world):
    planned_center()
    client.force_login(world.user(None, "national_manager"))
    past = client.get(reverse("planning:scenario"), {"open_KIL": "2020-01"})
    assert "Choose this month or a later one." in past.content.decode()
    nothing = client.post(reverse("planning:scenario"), {"name": "x", "token": str(uuid.uuid4())})
    assert nothing.status_code == 200 and not Scenario.objects.exists()


def test_two_saved_scenarios_compare_side_by_side(client, world):
    one, two = scenario(world), scenario(world)
    client.force_login(world.user(None, "national_manager"))
    response = client.get(reverse("planning:compare"), {"scenarios": [one.pk, two.pk]})
    assert response.status_code == 200
    assert len(response.context["columns"]) == 2


def test_list_and_scenario_pages_use_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for code in ("KIL", "GAZ", "HAT"):
        planned_center(code)
        scenario(world, code)
    client.force_login(world.user(None, "national_manager"))
    month = (dt.date.today().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    # session, user, national roles, centres (+ plans), scenarios, their openings, messages.
    with django_assert_max_num_queries(12):
        client.get(reverse("planning:centers"))
    # session, user, roles, planned centres; plans + activities + staff + costs; rates (5: attendance, cohort
    # repeat, centres, one-to-one services, one-to-one marks), exchange rates;
    # runway (3); categories; the page's rates and exchange rates again.
    with django_assert_max_num_queries(24):
        response = client.get(
            reverse("planning:scenario"), {f"open_{c}": month for c in ("KIL", "GAZ", "HAT")}
        )
    assert len(response.context["codes"]) == 3


def test_opening_carries_the_plan_over(client, world):
    kilis = planned_center()
    client.force_login(world.user(None, "national_manager"))
    on = dt.date.today() + dt.timedelta(days=10)
    response = client.post(
        reverse("planning:center_open", kwargs={"code": "KIL"}), {"opened_on": on.isoformat()}
    )
    assert response.status_code == 302
    kilis.refresh_from_db()
    assert kilis.status == Center.Status.OPEN and kilis.opened_on == on
    activity = Activity.objects.get(center=kilis)
    assert (activity.name, activity.capacity, activity.need, activity.room.name) == (
        "Turkish A1",
        18,
        "language",
        "Classroom 1",
    )
    assert sorted(activity.slots.values_list("weekday", flat=True)) == [0, 1, 2]
    assert Session.objects.filter(activity=activity).exists()
    # Opening again is refused, with a message, not an error page.
    again = client.post(
        reverse("planning:center_open", kwargs={"code": "KIL"}), {"opened_on": on.isoformat()}
    )
    assert again.status_code == 302 and Activity.objects.filter(center=kilis).count() == 1
    assert AuditEvent.objects.filter(object_type="centers.center", object_id=str(kilis.pk)).exists()


def test_centre_manager_sees_their_own_centres_plan_and_actuals(client, world):
    kilis = planned_center()
    from planning import services

    services.center_open(
        center=kilis, on=dt.date.today().replace(day=1), by=world.user(None, "national_manager")
    )
    manager = _staff_of(kilis, "center_manager")
    client.force_login(manager)
    response = client.get(reverse("planning:plan_actual", kwargs={"center": "KIL"}))
    assert response.status_code == 200
    assert len(response.context["comparison"]["rows"]) == 1
    assert client.get(reverse("planning:plan_actual", kwargs={"center": "ANK"})).status_code == 404
    assert client.get(reverse("planning:scenario")).status_code == 403


def test_a_centre_opened_from_its_plan_shows_plan_and_actual_on_its_dashboard(client, world):
    from beneficiaries.tests.factories import BeneficiaryFactory
    from finance.models import CostEntry
    from planning import services
    from services.models import Attendance

    kilis = planned_center()
    today = timezone.localdate()
    services.center_open(center=kilis, on=today.replace(day=1), by=world.user(None, "national_manager"))
    activity = Activity.objects.get(center=kilis)
    session = Session.objects.create(
        activity=activity, date=today, starts_at=dt.time(0, 0), ends_at=dt.time(0, 30)
    )
    manager = _staff_of(kilis, "center_manager")
    Attendance.objects.create(
        session=session, beneficiary=BeneficiaryFactory(center=kilis), present=True, recorded_by=manager
    )
    CostEntry.objects.create(
        center=kilis,
        month=today.replace(day=1),
        type="rent",
        amount=Decimal(1000),
        currency="USD",
        funding_source=funding_source(),
    )
    client.force_login(manager)
    response = client.get(reverse("reports:dashboard", kwargs={"center": "KIL"}))
    (panel,) = response.context["panels"]
    (row,) = panel["context"]["comparison"]["rows"]
    # The plan: 18 places × the attendance rate; the month: one person reached for USD 1,000.
    assert row["planned_reach"] == 18 * selectors.observed_rates(today=today).attendance_of("B")
    assert row["actual_reach"] == 1 and row["actual_per_person"] == Decimal("1000.00")
    assert row["planned_per_person"] == (row["planned_cost"] / row["planned_reach"]).quantize(Decimal("0.01"))
    page = response.content.decode()
    assert "Plan and actual" in page and "1,000.00" in page
    assert reverse("planning:plan_actual", kwargs={"center": "KIL"}) in page
    # Another centre's dashboard has no such panel, and it costs it one query at most.
    client.force_login(world.user("ANK", "center_manager"))
    with CaptureQueriesContext(connection) as queries:
        other = client.get(reverse("reports:dashboard", kwargs={"center": "ANK"}))
    assert sum("planning_" in q["sql"] for q in queries.captured_queries) == 1
    assert other.context["panels"] == [] and "Plan and actual" not in other.content.decode()
