"""Requesting and building reports. The build runs in a Celery task; the request never waits for it."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from centers.models import Center
from core.counting import ALL
from listening.selectors import feedback_counts
from reports import costs as money
from reports import exports
from reports.models import MonthlyReach, ReportRun
from reports.reach import course_attendance, reach, reach_by_month


def report_request(*, center: Center | None, start: dt.date, end: dt.date, by=None) -> ReportRun:
    """Queue a build, or return the one already queued or running for the same parameters."""
    from reports.tasks import build_report

    scope = center.code if center else "national"
    running = ReportRun.objects.filter(
        scope=scope, start=start, end=end, status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]
    ).first()
    if running:
        return running
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(center=center, start=start, end=end, requested_by=by)
    except IntegrityError:
        # Another request queued the same report a moment ago.
        return ReportRun.objects.get(
            scope=scope, start=start, end=end, status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]
        )
    transaction.on_commit(lambda: build_report.delay(run.pk))
    return run


def report_tables(*, center: Center | None, start: dt.date, end: dt.date, progress=lambda p: None) -> dict:
    """The report's tables for a centre (or nationally): what the file and the command both write."""
    center_ids = (
        [center.pk]
        if center
        else list(Center.objects.filter(status=Center.Status.OPEN).values_list("pk", flat=True))
    )
    reached = reach(start=start, end=end, center_ids=center_ids)
    progress(60)
    costs, missing = money.costs_usd(start=start, end=end, center_ids=center_ids)
    if center:
        costs.pop("*", None)
    per_person = money.cost_per_beneficiary(costs, reached.totals)
    progress(70)
    year_start = end.replace(month=1, day=1)
    ytd_reached = reach(start=year_start, end=end, center_ids=center_ids).totals
    ytd_costs, ytd_missing = money.costs_usd(start=year_start, end=end, center_ids=center_ids)
    if center:
        ytd_costs.pop("*", None)
    progress(85)
    return exports.tables(
        reach=reached,
        costs=costs,
        cost_per_person=per_person,
        missing_rates=sorted(set(missing) | set(ytd_missing)),
        year_to_date=(ytd_reached, ytd_costs, money.cost_per_beneficiary(ytd_costs, ytd_reached)),
        courses=course_attendance(start=start, end=end, center_ids=center_ids),
        feedback=feedback_counts(start=start, end=end, center_ids=center_ids),
    )


def report_build(*, run: ReportRun) -> ReportRun:
    """Build the file of a queued run. Idempotent: a finished run is left as it is."""
    if run.status == ReportRun.Status.DONE:
        return run
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportRun.Status.RUNNING, started_at=timezone.now(), progress=10
    )

    def progress(percent):
        ReportRun.objects.filter(pk=run.pk).update(progress=percent)

    named_tables = report_tables(center=run.center, start=run.start, end=run.end, progress=progress)
    run.file.save(
        f"{run.kind}-{run.scope}-{run.start:%Y-%m}.xlsx",
        ContentFile(exports.to_xlsx(named_tables)),
        save=False,
    )
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportRun.Status.DONE,
        progress=100,
        file=run.file.name,
        finished_at=timezone.now(),
        error="",
        tables=exports.jsonable(named_tables),
    )
    run.refresh_from_db()
    return run


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def monthly_reports_request(*, today: dt.date) -> int:
    """On the 1st: last month's report for every open centre and the nation."""
    start, end = last_month(today)
    centers = [*Center.objects.filter(status=Center.Status.OPEN), None]
    for center in centers:
        report_request(center=center, start=start, end=end)
    return len(centers)


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def monthly_reach_store(*, month: dt.date) -> int:
    """Count a closed month once (every open centre, every category, the nation) and store it."""
    month = month.replace(day=1)
    center_ids = list(Center.objects.filter(status=Center.Status.OPEN).values_list("pk", flat=True))
    counted = reach_by_month(start=month, end=_month_end(month), center_ids=center_ids)
    rows = [
        MonthlyReach(month=month, center_id=None if center == ALL else center, category=category, people=n)
        for (_month, center, category), n in counted.items()
    ]
    if (month, ALL, ALL) not in counted:
        rows.append(
            MonthlyReach(month=month, center_id=None, category=ALL, people=0)
        )  # marks the month stored
    with transaction.atomic():
        MonthlyReach.objects.filter(month=month).delete()
        MonthlyReach.objects.bulk_create(rows)
    return len(rows)


def monthly_reach_refresh(*, today: dt.date, months: int = 2) -> int:
    """Nightly: store the last closed months again (a register saved late still counts)."""
    month, stored = today.replace(day=1), 0
    for _ in range(months):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        stored += monthly_reach_store(month=month)
    return stored
