"""Reads for planning: plans, scenarios, and the observed rates and exchange rates a projection starts from.

"Comparable centres" are every open centre with register marks in the last twelve full months: a planned
centre offers the same six categories as they do, so each category's attendance and repeat rates are those
centres' pooled rates (people, not centres, weigh). A category nobody ran falls back on the defaults of
planning.projection.Rates, and the page says so.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from centers.models import Center
from core.counting import ALL
from finance.models import CostEntry, ExchangeRate
from reports.costs import _usd, runway
from reports.reach import reach_by_month
from services.models import Activity, Attendance, ServiceDelivery

from .models import CenterPlan, PlannedActivity, Scenario, ScenarioOpening
from .projection import CENT, Baseline, Money, PlanInput, Projection, Rates, add_months, project

RATE_PLACES = Decimal("0.0001")


def planned_centers():
    """Planned centres with their plan, and the centres opened from a plan: three queries at most."""
    return (
        Center.objects.filter(Q(status=Center.Status.PLANNED) | Q(plan__isnull=False))
        .select_related("plan")
        .annotate(n_activities=Count("plan__activities", distinct=True))
        .order_by("status", "code")
    )


def plan_by_token(token) -> CenterPlan | None:
    return CenterPlan.objects.filter(submission_token=token).select_related("center").first()


def plans_for(*, center_ids) -> dict:
    """{centre id: CenterPlan} with everything a projection reads, in four queries."""
    plans = (
        CenterPlan.objects.filter(center_id__in=center_ids)
        .select_related("center")
        .prefetch_related(
            Prefetch("activities", queryset=PlannedActivity.objects.select_related("category")),
            "staff",
            "costs",
        )
    )
    return {plan.center_id: plan for plan in plans}


def plan_input(plan: CenterPlan) -> PlanInput:
    monthly = [Money(s.funding_source_id, s.monthly_cost * s.count, s.currency) for s in plan.staff.all()]
    monthly += [Money(c.funding_source_id, c.amount, c.currency) for c in plan.costs.all() if not c.one_off]
    return PlanInput(
        center_id=plan.center_id,
        code=plan.center.code,
        activities=tuple(
            (a.category.code, a.capacity, a.kind, a.sessions_a_week) for a in plan.activities.all()
        ),
        monthly=tuple(monthly),
        one_off=tuple(
            Money(c.funding_source_id, c.amount, c.currency) for c in plan.costs.all() if c.one_off
        ),
    )


def observed_rates(*, today: dt.date) -> Rates:
    """Attendance and repeat rates per category in the comparable centres over the last twelve full months."""
    end = today.replace(day=1)
    start = add_months(end, -12)
    marks = Attendance.objects.filter(
        session__activity__center__status=Center.Status.OPEN, session__date__gte=start, session__date__lt=end
    )
    attendance = {
        row["session__activity__category__code"]: (Decimal(row["present"]) / row["n"]).quantize(RATE_PLACES)
        for row in marks.values("session__activity__category__code")
        .order_by()
        .annotate(n=Count("id"), present=Count("id", filter=Q(present=True)))
        if row["n"]
    }
    cohort_marks = marks.exclude(session__activity__kind=Activity.Kind.ONE_TO_ONE).filter(present=True)
    seen = _person_months(cohort_marks, "session__date", "session__activity__category__code")
    # One-to-one services: their records and the present marks of one-to-one activities, one query each.
    one_marks = marks.filter(present=True, session__activity__kind=Activity.Kind.ONE_TO_ONE)
    deliveries = ServiceDelivery.objects.filter(
        center__status=Center.Status.OPEN, date__gte=start, date__lt=end
    )
    seen_one: set = set()
    contacts: dict = defaultdict(int)
    codes = set(marks.values_list("session__activity__center__code", flat=True).order_by().distinct())
    for rows, date_field, prefix in (
        (deliveries, "date", ""),
        (one_marks, "session__date", "session__activity__"),
    ):
        for person, category, month, code, n in (
            rows.annotate(month=TruncMonth(date_field))
            .values_list("beneficiary_id", f"{prefix}category__code", "month", f"{prefix}center__code")
            .order_by()
            .annotate(n=Count("id"))
        ):
            seen_one.add((person, category, month if isinstance(month, dt.date) else month.date()))
            contacts[category] += n
            codes.add(code)
    people_months = defaultdict(int)
    for _person, category, _month in seen_one:
        people_months[category] += 1
    per_contact = {c: (Decimal(people_months[c]) / n).quantize(RATE_PLACES) for c, n in contacts.items() if n}
    return Rates(
        attendance=attendance,
        repeat=_repeat(seen, start),
        centers=tuple(sorted(codes)),
        per_contact=per_contact,
        repeat_one=_repeat(seen_one, start),
    )


def _person_months(contacts, date_field: str, category_field: str) -> set:
    """{(person, category code, month)} of the contacts."""
    return {
        (person, category, month if isinstance(month, dt.date) else month.date())
        for person, category, month in contacts.annotate(month=TruncMonth(date_field))
        .values_list("beneficiary_id", category_field, "month")
        .distinct()
    }


def _repeat(seen: set, start: dt.date) -> dict:
    """{category: share of a month's people who were there the month before}; the window's first month cannot
    tell (the month before it is outside)."""
    months_of = defaultdict(int)
    repeated = defaultdict(int)
    for person, category, month in seen:
        if month == start:
            continue
        months_of[category] += 1
        if (person, category, add_months(month, -1)) in seen:
            repeated[category] += 1
    return {c: (Decimal(repeated[c]) / n).quantize(RATE_PLACES) for c, n in months_of.items() if n}


def exchange_rates(*, today: dt.date) -> dict:
    """{currency: average units per USD of the last three months}."""
    this_month = today.replace(day=1)
    rows = (
        ExchangeRate.objects.filter(month__gte=add_months(this_month, -3), month__lt=this_month)
        .values("currency")
        .order_by()
        .annotate(avg=Avg("per_usd"))
    )
    return {row["currency"]: Decimal(row["avg"]).quantize(RATE_PLACES) for row in rows if row["avg"]}


def baselines(*, today: dt.date) -> list[Baseline]:
    return [
        Baseline(r["source"].pk, r["source"].name, r["left_usd"], r["monthly_usd"])
        for r in runway(today=today)
    ]


def scenario_projection(
    *, openings: list, today: dt.date, rates: Rates | None = None, fx: dict | None = None
) -> Projection:
    """``openings``: [(Center, opening month)]. A constant number of queries, whatever the centres."""
    plans = plans_for(center_ids=[center.pk for center, _m in openings])
    inputs = [(plan_input(plans[c.pk]), month) for c, month in openings if c.pk in plans]
    return project(
        start=today,
        openings=inputs,
        rates=rates if rates is not None else observed_rates(today=today),
        fx=fx if fx is not None else exchange_rates(today=today),
        baselines=baselines(today=today),
    )


def scenario_list():
    return Scenario.objects.select_related("created_by").prefetch_related(
        Prefetch("openings", queryset=ScenarioOpening.objects.select_related("center"))
    )


def scenario_openings(scenario: Scenario) -> list:
    return [(o.center, o.month) for o in scenario.openings.all()]


def planned_offer(*, center: Center) -> list[PlannedActivity]:
    """The planned activities of a planned centre, for listening's needs versus offer."""
    return list(
        PlannedActivity.objects.filter(plan__center=center)
        .select_related("category")
        .order_by("category__code", "name")
    )


FIRST_MONTHS = 6


def plan_vs_actual(*, center: Center, today: dt.date) -> dict | None:
    """The plan's reach and cost beside the centre's actual ones for its first months (to this month).
    None when the centre has no plan or has not opened. A constant number of queries."""
    if center.status == Center.Status.PLANNED or not center.opened_on:
        return None
    plan = plans_for(center_ids=[center.pk]).get(center.pk)  # one query when there is none
    if plan is None:
        return None
    opening = center.opened_on.replace(day=1)
    months = [
        add_months(opening, i) for i in range(FIRST_MONTHS) if add_months(opening, i) <= today.replace(day=1)
    ]
    if not months:
        return {"plan": plan, "rows": []}
    rates, fx = observed_rates(today=today), exchange_rates(today=today)
    projection = project(
        start=opening, openings=[(plan_input(plan), opening)], rates=rates, fx=fx, baselines=[]
    )
    end = add_months(months[-1], 1) - dt.timedelta(days=1)
    reached = reach_by_month(start=opening, end=end, center_ids=[center.pk])
    costs = monthly_costs_usd(center=center, start=opening, end=end)
    rows = []
    for month, planned in zip(months, projection.rows, strict=False):
        actual_reach, actual_cost = reached.get((month, center.pk, ALL), 0), costs.get(month)
        rows.append(
            {
                "month": month,
                "planned_reach": planned.people,
                "actual_reach": actual_reach,
                "planned_cost": planned.cost_usd,
                "actual_cost": actual_cost,
                # The month's costs / the month's people, as the dashboard's chart counts them.
                "planned_per_person": _per_person(planned.cost_usd, planned.people),
                "actual_per_person": _per_person(actual_cost, actual_reach),
            }
        )
    return {"plan": plan, "rows": rows}


def _per_person(cost, people) -> Decimal | None:
    return (Decimal(cost) / Decimal(people)).quantize(CENT) if cost and people else None


def dashboard_panel(center: Center, today: dt.date) -> dict | None:
    """For reports' centre dashboard: the plan beside the actual figures of a centre opened from a plan."""
    comparison = plan_vs_actual(center=center, today=today)
    if comparison is None:
        return None
    return {
        "template": "planning/_dashboard_panel.html",
        "context": {"comparison": comparison, "center": center},
    }


def monthly_costs_usd(*, center: Center, start: dt.date, end: dt.date) -> dict:
    """{month: USD} of the centre's recorded costs, each at its month's rate (reports.costs)."""
    rows = (
        _usd(CostEntry.objects.in_center(center).filter(month__gte=start, month__lte=end))
        .values("month")
        .order_by()
        .annotate(total=Sum("usd"))
    )
    return {row["month"]: row["total"] for row in rows}
