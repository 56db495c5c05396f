"""The managers' dashboard: twelve months of reach, cost per person and runway, drawn as SVG on the server."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum

from centers.models import Center
from core.counting import ALL
from finance.models import CostEntry
from reports import costs as money
from reports.models import MonthlyReach
from reports.reach import reach_by_month

BAR_MAX = 120  # pixels


def _months(today: dt.date) -> list[dt.date]:
    month, months = today.replace(day=1), []
    for _ in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _bars(values: list) -> list[dict]:
    top = max((v for v in values if v), default=0) or 1
    bars = []
    for i, value in enumerate(values):
        height = round(BAR_MAX * float(value or 0) / float(top))
        bars.append({"value": value, "height": height, "x": 8 + i * 40, "y": 10 + BAR_MAX - height})
    return bars


def _reached(*, months: list[dt.date], end: dt.date, center: Center | None, center_ids: list[int]) -> dict:
    """People reached per month: closed months from MonthlyReach where stored (one query), the rest —
    always the current month — counted now. Keys as reach_by_month's."""
    rows = MonthlyReach.objects.filter(month__in=months, month__lt=end.replace(day=1))
    if center:
        rows = rows.filter(Q(center=center) | Q(center__isnull=True, category=ALL))
    result, stored = {}, set()
    for month, center_id, category, people in rows.values_list("month", "center_id", "category", "people"):
        if people:
            result[(month, center_id or ALL, category)] = people
        if center_id is None and category == ALL:
            stored.add(month)
    missing = [m for m in months if m not in stored]
    if missing:
        live = reach_by_month(start=missing[0], end=end, center_ids=center_ids)
        result.update({key: n for key, n in live.items() if key[0] in missing})
    return result


def dashboard(*, center: Center | None, today: dt.date) -> dict:
    months = _months(today)
    start, end = months[0], today
    center_ids = [center.pk] if center else list(Center.objects.counted().values_list("pk", flat=True))
    scope = center.pk if center else ALL
    reached = _reached(months=months, end=end, center=center, center_ids=center_ids)
    totals = [reached.get((m, scope if center else ALL, ALL), 0) for m in months]
    costs_by_month = {
        row["month"]: row["usd"] or Decimal(0)
        for row in money._usd(CostEntry.objects.filter(center_id__in=center_ids, month__gte=start))
        .values("month")
        .order_by()
        .annotate(usd=Sum("usd"))
    }
    per_person = [
        (costs_by_month.get(m, Decimal(0)) / n).quantize(Decimal("0.01"))
        if n and costs_by_month.get(m)
        else None
        for m, n in zip(months, totals, strict=True)
    ]
    categories = sorted({k[2] for k in reached if k[2] != ALL})
    by_category = [
        [c, *[reached.get((m, ALL, c), 0) if not center else None for m in months]] for c in categories
    ]
    by_center = []
    if center is None:
        names = dict(Center.objects.filter(pk__in=center_ids).values_list("pk", "code"))
        by_center = [[names[pk], *[reached.get((m, pk, ALL), 0) for m in months]] for pk in center_ids]
    return {
        "months": months,
        "reach_bars": [{**bar, "month": m} for bar, m in zip(_bars(totals), months, strict=True)],
        "cost_bars": [{**bar, "month": m} for bar, m in zip(_bars(per_person), months, strict=True)],
        "by_category": by_category if center is None else [],
        "by_center": by_center,
        "runway": money.runway(today=today),
        "usd_range": money.USD_RANGE,
        "chart_width": 8 + 40 * len(months),
    }
