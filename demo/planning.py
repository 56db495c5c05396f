"""Kilis, the next centre: a plan, a year of outreach interviews by the Şanlıurfa team (Kilis has no staff yet),
and saved scenarios (Kilis in March 2027, and in June 2027)."""

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from centers.models import Center
from demo.listening import outreach_visit
from finance.models import FundingSource
from planning.models import CenterPlan, PlannedActivity, PlannedCost, PlannedStaff, Scenario, ScenarioOpening
from services.models import ServiceCategory

KILIS_PLACES = [
    ("Merkez", "Ekrem Çetin"),
    ("Merkez", "Mehmet Sanlı"),
    ("Merkez", "Karataş"),
    ("Elbeyli", "Elbeyli"),
]
# category, name, kind, capacity, sessions a week, from, to, room, need
ACTIVITIES = [
    (
        "A",
        "Child-friendly space",
        "group",
        20,
        5,
        "09:30",
        "12:00",
        "Child-friendly space",
        "children_education",
    ),
    ("A", "Homework club", "group", 15, 3, "14:00", "16:00", "Child-friendly space", "children_education"),
    ("B", "Turkish A1", "course", 18, 3, "10:00", "12:00", "Classroom", "language"),
    ("B", "Turkish A2", "course", 18, 3, "14:00", "16:00", "Classroom", "language"),
    ("B", "Tailoring", "course", 10, 2, "13:00", "16:00", "Workshop", "vocational_training"),
    (
        "C",
        "Rights and services seminar",
        "group",
        35,
        1,
        "10:00",
        "12:00",
        "Seminar hall",
        "legal_documentation",
    ),
    ("D", "PSS group", "group", 12, 2, "10:00", "11:30", "Group room", "psychosocial"),
    # One-to-one services: other people every session (reception at the desk, the psychologist, the social
    # workers), where most of a centre's people are reached, as in the open centres.
    ("E", "Information desk", "one_to_one", 12, 5, "09:00", "17:00", "", ""),
    ("E", "Accompanied referral", "one_to_one", 4, 5, "09:00", "17:00", "", "health"),
    ("D", "Individual counselling", "one_to_one", 6, 5, "09:00", "17:00", "Counselling room", "psychosocial"),
    ("F", "Neighbours' tea afternoon", "group", 25, 1, "15:00", "17:00", "Seminar hall", "social_cohesion"),
]


@transaction.atomic
def seed(*, rng: random.Random) -> tuple[int, int] | None:
    """(outreach visits, interviews) recorded for Kilis; None when Kilis already has its plan."""
    kilis = Center.objects.filter(code="KIL", status=Center.Status.PLANNED).first()
    appeal = FundingSource.objects.filter(currency="USD").order_by("pk").first()
    echo = FundingSource.objects.filter(currency="EUR").order_by("pk").first() or appeal
    if kilis is None or appeal is None or CenterPlan.objects.filter(center=kilis).exists():
        return None
    plan = CenterPlan.objects.create(center=kilis, target_month=dt.date(2027, 3, 1), district="Merkez")
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    for category, name, kind, capacity, weekly, start, end, room, need in ACTIVITIES:
        PlannedActivity.objects.create(
            plan=plan,
            category=categories[category],
            name=name,
            kind=kind,
            capacity=capacity,
            sessions_a_week=weekly,
            starts_at=dt.time.fromisoformat(start),
            ends_at=dt.time.fromisoformat(end),
            room_name=room,
            need=need,
        )
    for role, count, cost in (
        ("center_manager", 1, 95_000),
        ("social_worker", 2, 62_000),
        ("psychologist", 1, 65_000),
        ("trainer", 3, 52_000),
        ("reception", 2, 42_000),
    ):
        PlannedStaff.objects.create(
            plan=plan, role=role, count=count, monthly_cost=cost, currency="TRY", funding_source=appeal
        )
    for cost_type, one_off, amount, currency, source in (
        ("rent", False, 85_000, "TRY", appeal),
        ("utilities", False, 22_000, "TRY", appeal),
        ("transport", False, 9_000, "TRY", appeal),
        ("materials", False, 1_800, "EUR", echo),
        ("other", True, 45_000, "USD", appeal),  # fitting out two floors
        ("materials", True, 12_000, "EUR", echo),  # classroom and child-friendly space equipment
    ):
        PlannedCost.objects.create(
            plan=plan,
            type=cost_type,
            one_off=one_off,
            amount=Decimal(amount),
            currency=currency,
            funding_source=source,
        )
    visits, interviews = _outreach(kilis, rng)
    manager = get_user_model().objects.filter(username="national_manager").first()
    if manager is not None:
        for name, month in (
            ("Kilis opens in March 2027", dt.date(2027, 3, 1)),
            ("Kilis opens in June 2027", dt.date(2027, 6, 1)),
        ):
            scenario = Scenario.objects.create(name=name, created_by=manager, submission_token=uuid.uuid4())
            ScenarioOpening.objects.create(scenario=scenario, center=kilis, month=month)
    return visits, interviews


def _outreach(kilis: Center, rng: random.Random) -> tuple[int, int]:
    worker = get_user_model().objects.filter(username="san_social_worker").first()
    if worker is None:
        return 0, 0
    today = timezone.localdate()
    visits = interviews = 0
    for days_ago in range(360, -1, -15):
        visits += 1
        interviews += outreach_visit(
            rng,
            center=kilis,
            day=today - dt.timedelta(days=days_ago),
            place=rng.choice(KILIS_PLACES),
            worker=worker,
            people=(4, 9),
            host_share=0.25,
        )
    return visits, interviews
