"""Reads of the API: the monthly figures as the report has them, the catalogue, the deliveries of a centre."""

import datetime as dt

from django.db.models import Count, Prefetch, QuerySet

from api.models import WebhookDelivery
from centers.models import Center
from core.counting import ALL
from reports.models import ReportRun
from reports.services import report_content
from services.models import Activity, ActivitySlot

# HXL hashtags (https://hxlstandard.org) of the reach rows, the same as the report's HXL download
# (core.tables.HXL_TAGS) for the columns they share.
HXL = {
    "month": "#date+month",
    "adm1": "#adm1+name",
    "center": "#org+centre",
    "category": "#sector+code",
    "sex": "#meta+sex",
    "age": "#meta+age",
    "group": "#population+group",
    "reached": "#reached+ind",
    "contacts": "#activity+contacts+num",
    "registrations": "#affected+registered+num",
}


class MonthNotClosed(Exception):
    """The month is not over: its report does not exist yet."""


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def monthly_report_data(*, month: dt.date, today: dt.date) -> tuple[dict, ReportRun | None]:
    """The national monthly report's figures for ``month`` (every centre, and the nation counted once).

    They are the figures of the month's last finished national build, as the donor's PDF shows them; a month
    with no such build is counted now by the report's own function (reports.services.report_content)."""
    start, end = month.replace(day=1), month_end(month)
    if end >= today:
        raise MonthNotClosed
    run = (
        ReportRun.objects.filter(
            kind=ReportRun.Kind.MONTHLY_REACH,
            center__isnull=True,
            start=start,
            end=end,
            status=ReportRun.Status.DONE,
        )
        .exclude(data={})
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is not None:
        return run.data, run
    return report_content(center=None, start=start, end=end)[1], None


def _people(n: int, threshold: int):
    """As the report prints it: counts from 1 to threshold − 1 are hidden (computed first, suppressed last)."""
    return f"<{threshold}" if 0 < n < threshold else n


def reach_rows(*, data: dict, center_code: str | None = None) -> dict:
    """The report's reach figures as HXL-hashtagged rows: totals per centre (and ``*``, the nation) and
    category (``*``, every category), and the same broken down by sex, age band and group.

    Only what the report shows; small counts of people are suppressed exactly as there."""
    threshold = data["threshold"]
    month = data["start"][:7]
    codes = {pk: code for pk, code, _name in data["centers"]}
    missing = {c for c, *_ in data["totals"]} - set(codes) - {ALL}
    if missing:  # a centre with figures but no name in the document (older builds)
        codes.update(
            {str(pk): code for pk, code in Center.objects.filter(pk__in=missing).values_list("pk", "code")}
        )
    cities = dict(Center.objects.filter(code__in=codes.values()).values_list("code", "city"))
    codes[ALL] = ALL

    def place(center_key) -> dict:
        code = codes.get(center_key, ALL)
        return {HXL["month"]: month, HXL["adm1"]: cities.get(code), HXL["center"]: code}

    def wanted(center_key) -> bool:
        return center_code is None or codes.get(center_key) == center_code

    totals = [
        {
            **place(c),
            HXL["category"]: category,
            HXL["reached"]: _people(n, threshold),
            HXL["contacts"]: contacts,
        }
        for c, category, n, contacts in data["totals"]
        if wanted(c)
    ]
    cells = [
        {
            **place(c),
            HXL["category"]: category,
            HXL["sex"]: sex,
            HXL["age"]: band,
            HXL["group"]: group,
            HXL["reached"]: _people(n, threshold),
        }
        for c, category, sex, band, group, n in data["cells"]
        if wanted(c)
    ]
    registrations = [{**place(c), HXL["registrations"]: n} for c, n in data["new_registrations"] if wanted(c)]
    return {
        "month": month,
        "threshold": threshold,
        "totals": totals,
        "disaggregated": cells,
        "registrations": registrations,
    }


def activity_catalogue() -> QuerySet[Activity]:
    """Activities of centres that are not merely planned, with their category, centre and weekly slots."""
    return (
        Activity.objects.filter(center__in=Center.objects.counted())
        .select_related("center", "category")
        .prefetch_related(Prefetch("slots", queryset=ActivitySlot.objects.order_by("weekday", "starts_at")))
    )


def deliveries_of_center(*, center: Center, status: str = "") -> QuerySet[WebhookDelivery]:
    """The webhook deliveries about the centre's referrals, newest first."""
    deliveries = WebhookDelivery.objects.filter(center=center).select_related("webhook__client")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries


def delivery_summary(*, center: Center, since: dt.datetime) -> dict:
    """Counts per status of the centre's deliveries created since ``since``."""
    rows = (
        WebhookDelivery.objects.filter(center=center, created_at__gte=since)
        .values("status")
        .order_by()
        .annotate(n=Count("id"))
    )
    summary = {status: 0 for status in WebhookDelivery.Status.values}
    summary.update({row["status"]: row["n"] for row in rows})
    return summary
