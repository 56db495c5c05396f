"""The managers' dashboard: twelve months of reach, registrations, cost per person, course attendance, runway and
feedback, drawn as SVG on the server. Closed months come from the nightly store; the current month is counted."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from centers.models import Center
from core.counting import ALL
from core.replica import replica_reads
from finance.models import CostEntry
from listening.models import Feedback
from listening.selectors import feedback_counts
from reports import costs as money
from reports.document import category_name, number
from reports.models import MonthlyFigures, MonthlyReach
from reports.reach import activity_by_month, reach_by_month

# Panels from apps below reports (planning's plan beside actual): each fn(center, today) returns None or
# {"template": ..., "context": {...}}; the centre dashboard shows those that answer. Reports imports none of them.
DASHBOARD_PANELS: list = []


def add_dashboard_panel(fn):
    if fn not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(fn)
    return fn


def panels(*, center: Center, today: dt.date) -> list[dict]:
    return [panel for fn in DASHBOARD_PANELS if (panel := fn(center, today))]


# The charts' drawing area, in SVG units: the SVG scales to its column, so text keeps its proportions.
WIDTH, HEIGHT = 640, 230
MARGIN = {"axis": 56, "end": 12, "top": 22, "bottom": 46}


def _months(today: dt.date) -> list[dt.date]:
    month, months = today.replace(day=1), []
    for _i in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _nice_top(peak: float) -> float:
    """The axis' top: 1, 2, 2.5 or 5 times a power of ten, at or above the highest value."""
    if peak <= 0:
        return 1
    power = 10 ** (len(str(int(peak))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= peak:
            return step * power
    return 10 * power


def chart(
    values: list,
    months: list[dt.date],
    *,
    title: str,
    unit: str = "",
    decimals: int = 0,
    band=None,
    top: float | None = None,
) -> dict:
    """Bars with a labelled value axis, month labels and values; mirrored right to left for Arabic (the
    oldest month on the right, the axis on the right), so months read in the page's direction."""
    rtl = translation.get_language_bidi()
    plot_w = WIDTH - MARGIN["axis"] - MARGIN["end"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    numbers = [float(v) for v in values if v is not None]
    top = top or _nice_top(max([*numbers, float(band[1]) if band else 0]))
    slot = plot_w / len(months)

    def x_of(i: int, width: float) -> float:
        left = MARGIN["axis"] + i * slot + (slot - width) / 2
        return WIDTH - left - width if rtl else left

    def y_of(value: float) -> float:
        return MARGIN["top"] + plot_h - plot_h * value / top

    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        height = plot_h * float(value) / top if value else 0
        x = x_of(i, slot * 0.62)
        label = number(value, decimals) + unit if value is not None else "—"
        bars.append(
            {
                "x": round(x, 1),
                "y": round(MARGIN["top"] + plot_h - height, 1),
                "value_y": round(MARGIN["top"] + plot_h - height - 4, 1),
                "width": round(slot * 0.62, 1),
                "height": round(height, 1),
                "centre": round(x + slot * 0.31, 1),
                "value": label,
                "month": formats.date_format(month, "M"),
                "year": month.year if month.month == 1 or i == 0 else "",
                "title": f"{formats.date_format(month, 'YEAR_MONTH_FORMAT')}: {label}",
            }
        )
    axis_x = WIDTH - MARGIN["axis"] + 6 if rtl else MARGIN["axis"] - 6
    ticks = [
        {"y": round(y_of(v), 1), "label": number(v, decimals if v != int(v) else 0) + unit}
        for v in (0, top / 2, top)
    ]
    shaded = None
    if band:
        shaded = {
            "y": round(y_of(float(band[1])), 1),
            "height": round(y_of(float(band[0])) - y_of(float(band[1])), 1),
            "label_y": round(y_of(float(band[1])) - 4, 1),
            # At the end of the plot in reading order: the right in English, the left in Arabic.
            "label_x": MARGIN["end"] if rtl else WIDTH - MARGIN["end"],
            "label_anchor": "start" if rtl else "end",
            "x": MARGIN["end"] if rtl else MARGIN["axis"],
            "width": plot_w,
            "label": _("case study: USD %(low)s–%(high)s") % {"low": band[0], "high": band[1]},
        }
    return {
        "title": title,
        "bars": bars,
        "ticks": ticks,
        "band": shaded,
        "axis_x": axis_x,
        "axis_anchor": "start" if rtl else "end",
        "plot_left": MARGIN["end"] if rtl else MARGIN["axis"],
        "plot_right": WIDTH - MARGIN["axis"] if rtl else WIDTH - MARGIN["end"],
        "baseline": MARGIN["top"] + plot_h,
        "month_y": MARGIN["top"] + plot_h + 14,
        "year_y": MARGIN["top"] + plot_h + 27,
        "width": WIDTH,
        "height": HEIGHT,
        "empty": not any(numbers),
    }


def _reached(
    *, months: list[dt.date], end: dt.date, center: Center | None, center_ids: list[int]
) -> tuple[dict, set, dt.datetime | None]:
    """People reached per month from MonthlyReach (one query): closed months stored nightly, the current one
    every few minutes (beat). A month not stored yet is counted now. Returns counts keyed as reach_by_month's,
    the months that were stored, and when the current month was."""
    rows = MonthlyReach.objects.filter(month__in=months)
    if center:
        rows = rows.filter(Q(center=center) | Q(center__isnull=True, category=ALL))
    result, stored, as_of = {}, set(), None
    fields = ("month", "center_id", "category", "people", "computed_at")
    for month, center_id, category, people, computed_at in rows.values_list(*fields):
        if people:
            result[(month, center_id or ALL, category)] = people
        if center_id is None and category == ALL:
            stored.add(month)
            if month == end.replace(day=1):
                as_of = computed_at
    missing = [m for m in months if m not in stored]
    if missing:
        live = reach_by_month(start=missing[0], end=end, center_ids=center_ids)
        result.update({key: n for key, n in live.items() if key[0] in missing})
    return result, stored, as_of


def _activity(*, months: list[dt.date], end: dt.date, center_ids: list[int], stored_months: set) -> dict:
    """{month: {registrations, course_marks, course_present}} over the centres: stored where the month is."""
    totals = {m: {"registrations": 0, "course_marks": 0, "course_present": 0} for m in months}
    for row in MonthlyFigures.objects.filter(month__in=stored_months, center_id__in=center_ids).values(
        "month", "registrations", "course_marks", "course_present"
    ):
        for key in ("registrations", "course_marks", "course_present"):
            totals[row["month"]][key] += row[key]
    missing = [m for m in months if m not in stored_months]
    if missing:
        for (month, _center), figures in activity_by_month(
            start=missing[0], end=end, center_ids=center_ids
        ).items():
            if month in missing:
                for key, value in figures.items():
                    totals[month][key] += value
    return totals


def _feedback(*, start: dt.date, end: dt.date, center_ids: list[int]) -> list[dict]:
    """Feedback of the twelve months by kind: received, closed, open today and open for too long."""
    by_kind: dict = {}
    for row in feedback_counts(start=start, end=end, center_ids=center_ids):
        kind = by_kind.setdefault(row["kind"], {"received": 0, "closed": 0, "open": 0, "late": 0})
        for key in kind:
            kind[key] += row[key]
    return [{"kind": Feedback.Kind(kind).label, **counts} for kind, counts in sorted(by_kind.items())]


@replica_reads()  # only reads: a streaming replica serves them while it keeps up (core/replica.py)
def dashboard(*, center: Center | None, today: dt.date) -> dict:
    months = _months(today)
    start, end = months[0], today
    center_ids = [center.pk] if center else list(Center.objects.counted().values_list("pk", flat=True))
    scope = center.pk if center else ALL
    reached, stored, current_as_of = _reached(months=months, end=end, center=center, center_ids=center_ids)
    totals = [reached.get((m, scope, ALL), 0) for m in months]
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
    activity = _activity(months=months, end=end, center_ids=center_ids, stored_months=stored)
    registrations = [activity[m]["registrations"] for m in months]
    attendance = [
        round(100 * activity[m]["course_present"] / activity[m]["course_marks"])
        if activity[m]["course_marks"]
        else None
        for m in months
    ]
    categories = sorted({k[2] for k in reached if k[2] != ALL and k[1] == scope})
    by_category = [
        [category_name(c), *[number(reached.get((m, scope, c), 0)) for m in months]] for c in categories
    ]
    by_center = []
    if center is None:
        names = dict(Center.objects.filter(pk__in=center_ids).values_list("pk", "code"))
        by_center = [
            [names[pk], *[number(reached.get((m, pk, ALL), 0)) for m in months]]
            for pk in center_ids
            if any(reached.get((m, pk, ALL)) for m in months) or pk in names
        ]
    runway = [
        {
            "source": r["source"].name,
            "left": number(r["left_usd"], 0),
            "monthly": number(r["monthly_usd"], 0),
            "months": number(r["months"], 1),
        }
        for r in money.runway(today=today)
    ]
    return {
        "months": months,
        "charts": [
            chart(totals, months, title=_("People reached per month")),
            chart(registrations, months, title=_("New registrations per month")),
            chart(
                per_person,
                months,
                title=_("Cost per person per month (USD)"),
                decimals=2,
                band=money.USD_RANGE,
            ),
            chart(attendance, months, title=_("Attendance rate of courses per month"), unit=" %", top=100),
        ],
        "by_category": by_category,
        "by_center": by_center,
        "runway": runway,
        "feedback": _feedback(start=start, end=end, center_ids=center_ids),
        "usd_range": money.USD_RANGE,
        "current_as_of": current_as_of,
    }
