"""The projection of a small case computed by hand: one funding source, one open centre whose registers give
known rates, one planned centre with known costs."""

import datetime as dt
from decimal import Decimal

import pytest

from beneficiaries.tests.factories import BeneficiaryFactory
from centers.models import Center
from centers.tests.factories import CenterFactory, UserFactory
from finance.models import CostEntry, ExchangeRate, FundingSource
from planning import selectors
from planning.models import CenterPlan, PlannedActivity, PlannedCost, PlannedStaff
from planning.projection import Baseline, Money, PlanInput, Rates, project, runs_out
from services.models import Activity, Attendance, ServiceCategory, ServiceDelivery
from services.tests.factories import ActivityFactory, SessionFactory

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def small_case(db):
    ank = CenterFactory(code="ANK")
    fund = FundingSource.objects.create(
        name="Appeal",
        donor="Many",
        currency="USD",
        amount=Decimal(10000),
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )
    # Spent 4,000 before this month, 1,000 in each of the last three months: 6,000 left, 6.0 months.
    for month in (dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        CostEntry.objects.create(
            center=ank, month=month, type="rent", amount=1000, currency="USD", funding_source=fund
        )
    for month, rate in ((dt.date(2026, 3, 1), 30), (dt.date(2026, 4, 1), 32), (dt.date(2026, 5, 1), 34)):
        ExchangeRate.objects.create(month=month, currency="TRY", per_usd=rate)
    ExchangeRate.objects.create(month=dt.date(2026, 2, 1), currency="TRY", per_usd=10)  # too old to count
    # Category B registers: 8 marks, 6 present (attendance 0.75); both people came in April and came back in
    # May: of 4 person-months, the 2 of May follow one in April (repeat 0.5).
    course = ActivityFactory(center=ank, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 5, 31))
    p1, p2 = BeneficiaryFactory(center=ank), BeneficiaryFactory(center=ank)
    by = UserFactory()
    marks = {
        dt.date(2026, 4, 6): (True, True),
        dt.date(2026, 4, 13): (True, True),
        dt.date(2026, 5, 4): (True, True),
        dt.date(2026, 5, 11): (False, False),
    }
    for date, (one, two) in marks.items():
        session = SessionFactory(activity=course, date=date)
        Attendance.objects.create(session=session, beneficiary=p1, present=one, recorded_by=by)
        Attendance.objects.create(session=session, beneficiary=p2, present=two, recorded_by=by)
    # Category E one-to-one services: April p3 twice and p4, May p3 and p5: 4 people-months over 5 contacts
    # (0.8 people per contact); of May's 2 people, p3 came in April: of the 4 people-months, 1 repeats (0.25).
    p3, p4, p5 = (
        BeneficiaryFactory(center=ank),
        BeneficiaryFactory(center=ank),
        BeneficiaryFactory(center=ank),
    )
    desk = ServiceCategory.objects.get(code="E")
    for person, date in (
        (p3, dt.date(2026, 4, 2)),
        (p3, dt.date(2026, 4, 20)),
        (p4, dt.date(2026, 4, 9)),
        (p3, dt.date(2026, 5, 7)),
        (p5, dt.date(2026, 5, 7)),
    ):
        ServiceDelivery.objects.create(
            center=ank, beneficiary=person, category=desk, type="information", date=date, staff=by
        )
    kil = CenterFactory(code="KIL", status=Center.Status.PLANNED, opened_on=None, city="Kilis")
    plan = CenterPlan.objects.create(center=kil, target_month=dt.date(2026, 7, 1))
    PlannedActivity.objects.create(
        plan=plan, category=ServiceCategory.objects.get(code="B"), name="Turkish", capacity=20
    )
    PlannedStaff.objects.create(
        plan=plan, role="trainer", count=1, monthly_cost=500, currency="USD", funding_source=fund
    )
    PlannedCost.objects.create(plan=plan, type="rent", amount=3000, currency="TRY", funding_source=fund)
    PlannedCost.objects.create(
        plan=plan, type="other", one_off=True, amount=1000, currency="USD", funding_source=fund
    )
    return fund, kil


def test_observed_rates_are_those_of_the_open_centres_registers(small_case):
    rates = selectors.observed_rates(today=TODAY)
    assert rates.attendance == {"B": Decimal("0.75")}
    assert rates.repeat == {"B": Decimal("0.5")}
    assert rates.centers == ("ANK",)
    assert rates.per_contact == {"E": Decimal("0.8")}
    assert rates.repeat_one == {"E": Decimal("0.25")}
    assert selectors.exchange_rates(today=TODAY) == {"TRY": Decimal(32)}


def test_scenario_matches_the_hand_computed_case_to_the_cent(small_case):
    fund, kil = small_case
    result = selectors.scenario_projection(openings=[(kil, dt.date(2026, 7, 1))], today=TODAY)
    june, july, august, september = result.rows[:4]
    # Nothing before the opening month.
    assert june.people == 0 and june.cost_usd == 0 and june.cost_per_person is None
    # 20 places × 0.75 attendance = 15 people; costs: 500 staff + 3,000 TRY / 32 = 93.75 rent + 1,000 set-up.
    assert july.people == 15 and july.reach == {"KIL": 15}
    assert july.cost_usd == Decimal("1593.75")
    assert july.cost_per_person == Decimal("106.25")
    # August: 15 people of whom half new: 22.5 distinct; 2,187.50 spent since opening: 97.22 a person.
    assert august.new_people == Decimal("7.5") and august.distinct_people == Decimal("22.5")
    assert august.total_cost_usd == Decimal("2187.50")
    assert august.cost_per_person == Decimal("97.22")
    assert september.cost_per_person == Decimal("92.71")  # 2,781.25 / 30 people
    (source,) = result.sources
    assert source.left_usd == Decimal(6000) and source.monthly_usd == Decimal(1000)
    assert source.months_without == Decimal("6.0") and source.runs_out_without == dt.date(2026, 12, 1)
    # With Kilis: June 1,000 → 5,000; July 2,593.75 → 2,406.25; August 1,593.75 → 812.50;
    # September's 1,593.75 is more than what is left: 3 + 812.50 / 1,593.75 = 3.5 months, out in September.
    assert [b.quantize(Decimal("0.01")) for b in source.balance_with[:3]] == [
        Decimal("5000.00"),
        Decimal("2406.25"),
        Decimal("812.50"),
    ]
    assert source.balance_without[:3] == [Decimal(5000), Decimal(4000), Decimal(3000)]
    assert source.months_with == Decimal("3.5") and source.runs_out_with == dt.date(2026, 9, 1)
    assert source.months_lost == Decimal("2.5")


def test_a_one_to_one_service_reaches_other_people_every_session(small_case):
    """An information desk with 8 places a session, 5 sessions a week, beside the Turkish course."""
    fund, kil = small_case
    PlannedActivity.objects.create(
        plan=kil.plan,
        category=ServiceCategory.objects.get(code="E"),
        name="Information desk",
        kind=Activity.Kind.ONE_TO_ONE,
        capacity=8,
        sessions_a_week=5,
    )
    result = selectors.scenario_projection(openings=[(kil, dt.date(2026, 7, 1))], today=TODAY)
    july, august, september = result.rows[1:4]
    # The desk: 8 places × 5 sessions × 52 / 12 weeks = 173.33 places a month; × 0.75 attendance (no E
    # register: the default) = 130 contacts; × 0.8 people per contact = 104 people. With the course's 15: 119.
    assert july.reach == {"KIL": Decimal(119)} and july.new_people == 119
    assert july.cost_per_person == Decimal("13.39")  # 1,593.75 / 119 = 13.393
    # August: the course brings 7.5 new people, the desk 104 × (1 − 0.25) = 78: 204.5 since opening.
    assert august.new_people == Decimal("85.5") and august.distinct_people == Decimal("204.5")
    assert august.cost_per_person == Decimal("10.70")  # 2,187.50 / 204.5 = 10.697
    assert september.distinct_people == 290
    assert september.cost_per_person == Decimal("9.59")  # 2,781.25 / 290 = 9.590


def test_a_source_the_openings_do_not_use_keeps_its_runway():
    plan = PlanInput(
        center_id=1, code="KIL", activities=(("A", 10),), monthly=(Money(1, Decimal(100), "USD"),)
    )
    result = project(
        start=TODAY,
        openings=[(plan, dt.date(2026, 6, 1))],
        rates=Rates(attendance={}, repeat={}),
        fx={},
        baselines=[
            Baseline(1, "Used", Decimal(1000), Decimal(100)),
            Baseline(2, "Other", Decimal(1000), Decimal(0)),
        ],
    )
    used, other = result.sources
    assert used.months_without == Decimal("10.0") and used.months_with == Decimal("5.0")
    assert other.months_without is None and other.months_with is None  # spends nothing: never runs out
    # No rate observed: the defaults (0.75 attendance) apply.
    assert result.rows[0].people == Decimal("7.5")


def test_a_spent_source_has_no_runway_left():
    assert runs_out(Decimal(-5), iter([Decimal(1)])) == 0
    assert runs_out(None, iter([Decimal(1)])) is None
