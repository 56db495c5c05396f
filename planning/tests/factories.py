"""A planned centre with a small plan, and a saved scenario opening it, for the shared URL rules and tests."""

import datetime as dt
from decimal import Decimal

from centers.models import Center
from centers.tests.factories import CenterFactory
from finance.models import FundingSource
from planning.models import CenterPlan, PlannedActivity, PlannedCost, PlannedStaff, Scenario, ScenarioOpening
from services.models import ServiceCategory


def funding_source() -> FundingSource:
    return FundingSource.objects.get_or_create(
        name="Appeal fund",
        defaults={
            "donor": "Donors",
            "currency": "USD",
            "amount": Decimal(100000),
            "starts_on": dt.date(2025, 1, 1),
            "ends_on": dt.date(2028, 12, 31),
        },
    )[0]


def planned_center(code: str = "KIL") -> Center:
    center = CenterFactory(
        code=code,
        name=f"{code} Community Centre",
        city="Kilis",
        status=Center.Status.PLANNED,
        opened_on=None,
        floors=2,
    )
    if not CenterPlan.objects.filter(center=center).exists():
        plan = CenterPlan.objects.create(center=center, target_month=dt.date(2027, 3, 1), district="Merkez")
        PlannedActivity.objects.create(
            plan=plan,
            category=ServiceCategory.objects.get_or_create(code="B")[0],
            name="Turkish A1",
            capacity=18,
            sessions_a_week=3,
            room_name="Classroom 1",
            need="language",
        )
        fund = funding_source()
        PlannedStaff.objects.create(
            plan=plan, role="trainer", count=2, monthly_cost=900, currency="USD", funding_source=fund
        )
        PlannedCost.objects.create(plan=plan, type="rent", amount=40000, currency="TRY", funding_source=fund)
        PlannedCost.objects.create(
            plan=plan, type="materials", one_off=True, amount=5000, currency="USD", funding_source=fund
        )
    return center


def scenario(world, code: str = "KIL") -> Scenario:
    saved = Scenario.objects.create(name="Kilis in March", created_by=world.user(None, "national_manager"))
    ScenarioOpening.objects.create(scenario=saved, center=planned_center(code), month=dt.date(2027, 3, 1))
    return saved
