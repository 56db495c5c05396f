"""Requesting and building reports. The build runs in a Celery task; the request never waits for it.

A run survives faults (pretix-like): the run row is the outbox (``sent_at`` empty until the broker has the
task, so a request never waits on a dead broker), a task builds only a run it claims with one conditional
UPDATE (a queued run, or a running one whose heartbeat stopped), the builder beats while it works, and a
sweeper sent by beat every minute starts lost builds again (a bounded number of times) and sends what the
broker never got.
"""

import contextlib
import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import KombuError

from centers.models import Center
from core.counting import ALL
from core.replica import replica_reads
from listening.selectors import feedback_counts
from reports import costs as money
from reports import document, exports, render
from reports.models import MonthlyFigures, MonthlyReach, ReportFile, ReportRun
from reports.reach import activity_by_month, course_attendance, reach, reach_by_month

logger = logging.getLogger(__name__)

Status = ReportRun.Status
# What a broker that is down, refusing or silent raises through kombu.
BROKER_ERRORS = (KombuError, OSError)
# The error of a run given up after too many interruptions; the run page explains it.
INTERRUPTED = "Interrupted"
SWEEP_BATCH = 100


def stale_after() -> dt.timedelta:
    """A running build whose heartbeat is older than this lost its worker."""
    return dt.timedelta(seconds=getattr(settings, "REPORT_BUILD_STALE_AFTER", 120))


def max_attempts() -> int:
    return getattr(settings, "REPORT_BUILD_MAX_ATTEMPTS", 3)


def _resend_after() -> dt.timedelta:
    """A run sent this long ago and still queued is sent again: the broker lost it (restarted empty)."""
    return dt.timedelta(seconds=getattr(settings, "REPORT_QUEUED_RESEND_AFTER", 15 * 60))


def _silent_since(cutoff: dt.datetime) -> Q:
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)


def run_is_silent(*, run: ReportRun, now: dt.datetime) -> bool:
    """A running build that stopped beating: its worker is gone and the sweeper will start it again."""
    return run.status == Status.RUNNING and (
        run.heartbeat_at is None or run.heartbeat_at < now - stale_after()
    )


def report_request(
    *, center: Center | None, start: dt.date, end: dt.date, by=None, language: str | None = None
) -> ReportRun:
    """Queue a build, or return the one already queued or running for the same parameters.

    The row is written first and sent to the broker after the commit, with a short timeout: with the broker
    down the run stays queued and unsent (``sent_at`` empty) and the sweeper sends it once the broker is back.
    """
    scope = center.code if center else "national"
    running = ReportRun.objects.filter(
        scope=scope, start=start, end=end, status__in=[Status.QUEUED, Status.RUNNING]
    ).first()
    if running:
        return running
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                center=center, start=start, end=end, requested_by=by, language=_known_language(language)
            )
    except IntegrityError:
        # Another request queued the same report a moment ago.
        return ReportRun.objects.get(
            scope=scope, start=start, end=end, status__in=[Status.QUEUED, Status.RUNNING]
        )
    transaction.on_commit(lambda: report_send(runs=[run]))
    return run


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _known_language(language: str | None) -> str:
    return language if language in _languages() else settings.LANGUAGE_CODE


@contextlib.contextmanager
def _broker(app):
    """A connection of its own that fails fast: no retries, sub-second socket timeouts (a page must not hang
    on a dead broker for the pool's default ~20 seconds). Nothing to connect to when tasks run in-process."""
    if app.conf.task_always_eager:
        yield None
        return
    timeout = getattr(settings, "REPORT_BROKER_TIMEOUT", 0.5)
    options = {
        **(app.conf.broker_transport_options or {}),
        "max_retries": 0,
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
    }
    with app.connection_for_write(connect_timeout=timeout, transport_options=options) as broker:
        yield broker


def report_send(*, runs: list[ReportRun]) -> int:
    """Hand queued runs to the task queue and mark them sent; returns how many the broker took.

    A broker that is down fails within a second and the runs stay unsent for the sweeper: never an error.
    """
    from reports.tasks import build_report

    sent = []
    try:
        with _broker(build_report.app) as broker:
            for run in runs:
                build_report.apply_async((run.pk,), connection=broker, retry=False, ignore_result=True)
                sent.append(run)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Task queue unreachable: %d report run(s) left for the sweeper (%s)", len(runs) - len(sent), exc
        )
    now = timezone.now()
    ReportRun.objects.filter(pk__in=[run.pk for run in sent]).update(sent_at=now)
    for run in sent:
        run.sent_at = now
    return len(sent)


def _requeue_or_give_up(*, rows: QuerySet, run: ReportRun, now: dt.datetime, why: str) -> bool:
    """Put a build that stopped back in the queue, unsent, or after too many attempts show it failed.

    ``rows`` is the run, locked by the caller or still claimed by it. True when queued again."""
    if run.attempts >= max_attempts():
        rows.update(
            status=Status.FAILED,
            finished_at=now,
            error=f"{INTERRUPTED} {run.attempts} times ({why}); not started again.",
        )
        logger.error("Report run %s given up after %s attempts (%s)", run.pk, run.attempts, why)
        return False
    rows.update(status=Status.QUEUED, sent_at=None, progress=0, error=why)
    logger.warning("Report run %s queued again after attempt %s (%s)", run.pk, run.attempts, why)
    return True


def report_runs_sweep() -> dict[str, int]:
    """Every minute (beat): start again builds whose worker was lost, and send runs the broker never got.

    Rows are locked with SKIP LOCKED, so two sweepers never handle the same run; sending happens before the
    commit, so a worker that gets the task waits for the row to be queued again before it claims it.
    """
    now = timezone.now()
    requeued = failed = 0
    with transaction.atomic():
        lost = ReportRun.objects.select_for_update(skip_locked=True).filter(
            _silent_since(now - stale_after()), status=Status.RUNNING
        )
        for run in lost[:SWEEP_BATCH]:
            if _requeue_or_give_up(
                rows=ReportRun.objects.filter(pk=run.pk), run=run, now=now, why="worker lost"
            ):
                requeued += 1
            else:
                failed += 1
        unsent = ReportRun.objects.select_for_update(skip_locked=True).filter(
            Q(sent_at__isnull=True) | Q(sent_at__lt=now - _resend_after()), status=Status.QUEUED
        )
        unsent = list(unsent.order_by("created_at")[:SWEEP_BATCH])
        sent = report_send(runs=unsent)
    return {"requeued": requeued, "failed": failed, "sent": sent, "unsent": len(unsent) - sent}


class BuildTakenOver(Exception):
    """The sweeper gave this build's run to another worker (this one stopped beating for too long)."""


def _claim(*, run_id: int, now: dt.datetime) -> ReportRun | None:
    """Take a run for building in one conditional UPDATE: a queued run, or a running one whose builder stopped
    beating. A second delivery of the same task (a redelivered message, a run sent twice) claims nothing."""
    lost = Q(status=Status.RUNNING, attempts__lt=max_attempts()) & _silent_since(now - stale_after())
    claimed = ReportRun.objects.filter(Q(status=Status.QUEUED) | lost, pk=run_id).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress=10,
        finished_at=None,
    )
    return ReportRun.objects.select_related("center").get(pk=run_id) if claimed else None


@contextlib.contextmanager
def _heartbeat(mine: QuerySet, *, every: float | None):
    """Beat from a thread while the build runs, so one long query never looks like a lost worker; the thread
    dies with the process, so a killed worker stops beating. Yields an event set when the run was taken over."""
    taken_over = threading.Event()
    if not every:
        yield taken_over
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(every):
                try:
                    if not mine.update(heartbeat_at=timezone.now()):
                        taken_over.set()
                        return
                except OperationalError:
                    logger.warning("Report heartbeat missed: database unavailable", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name="report-heartbeat", daemon=True)
    thread.start()
    try:
        yield taken_over
    finally:
        stop.set()
        thread.join(timeout=10)


def report_build(*, run_id: int, heartbeat: bool = False) -> ReportRun:
    """Build a run's file if this call can claim the run; otherwise leave it as it is (idempotent).

    With ``heartbeat`` (a real worker) a thread keeps the run's heartbeat fresh. A lost database puts the run
    back in the queue and raises (the task retries); any other error shows the run failed.
    """
    run = _claim(run_id=run_id, now=timezone.now())
    if run is None:
        run = ReportRun.objects.get(pk=run_id)
        logger.info("Report run %s not claimed (%s): nothing to build here", run.pk, run.status)
        return run
    mine = ReportRun.objects.filter(pk=run.pk, status=Status.RUNNING, attempts=run.attempts)
    every = stale_after().total_seconds() / 6 if heartbeat else None
    try:
        with _heartbeat(mine, every=every) as taken_over:

            def progress(percent):
                if taken_over.is_set() or not mine.update(progress=percent, heartbeat_at=timezone.now()):
                    raise BuildTakenOver

            # Counting only reads: a streaming replica serves it while it keeps up (core/replica.py).
            with replica_reads():
                content = report_content(center=run.center, start=run.start, end=run.end, progress=progress)
            progress(90)
            _finish(run=run, mine=mine, content=content)
    except BuildTakenOver:
        logger.warning("Report run %s attempt %s was taken over; its work is dropped", run.pk, run.attempts)
    except OperationalError:
        with contextlib.suppress(OperationalError):
            _requeue_or_give_up(rows=mine, run=run, now=timezone.now(), why="database unavailable")
        raise
    except Exception as exc:  # noqa: BLE001 - a visible failed state, not a lost task
        logger.exception("Report run %s failed", run.pk)
        mine.update(
            status=Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _finish(*, run: ReportRun, mine: QuerySet, content: tuple[dict, dict]) -> None:
    """Store the run's figures and every download, then mark it done; a run taken over meanwhile keeps none."""
    named_tables, data = content
    wanted = [("csv", ""), ("hxl", ""), ("pdf", run.language), ("xlsx", run.language)]
    files = report_files_render(run=run, named_tables=named_tables, data=data, wanted=wanted)
    xlsx = files[-1]  # the run's own file, kept for what reads ReportRun.file
    finished = mine.update(
        status=Status.DONE,
        progress=100,
        file=xlsx.file.name,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        error="",
        tables=exports.jsonable(named_tables),
        data=data,
    )
    if not finished:
        for stored in files:
            stored.file.delete(save=False)
        ReportFile.objects.filter(pk__in=[f.pk for f in files]).delete()
        raise BuildTakenOver


def _file_name(run: ReportRun, fmt: str, language: str) -> str:
    extension = "csv" if fmt == "hxl" else fmt
    suffix = "-hxl" if fmt == "hxl" else (f"-{language}" if language else "")
    return f"{run.kind}-{run.scope}-{run.start:%Y-%m}{suffix}.{extension}"


def _render(*, fmt: str, language: str, named_tables: dict | None, data: dict) -> bytes:
    if fmt in ("csv", "hxl"):
        return exports.RENDERERS[fmt][0](named_tables)
    return {"pdf": render.to_pdf, "xlsx": render.to_xlsx}[fmt](data, language)


def _store(*, run: ReportRun, fmt: str, language: str, content: bytes) -> ReportFile:
    stored = ReportFile(run=run, format=fmt, language=language, size=len(content))
    stored.file.save(_file_name(run, fmt, language), ContentFile(content), save=False)
    try:
        with transaction.atomic():
            ReportFile.objects.filter(run=run, format=fmt, language=language).delete()
            stored.save()
    except IntegrityError:  # stored a moment ago by another request: keep that one
        stored.file.delete(save=False)
        stored = ReportFile.objects.get(run=run, format=fmt, language=language)
    return stored


def report_files_render(
    *, run: ReportRun, named_tables: dict | None, data: dict, wanted: list[tuple[str, str]]
) -> list[ReportFile]:
    """Render and store the files ``wanted`` as (format, language) pairs."""
    return [
        _store(
            run=run,
            fmt=fmt,
            language=language,
            content=_render(fmt=fmt, language=language, named_tables=named_tables, data=data),
        )
        for fmt, language in wanted
    ]


def report_files_complete(*, run_id: int) -> int:
    """After a build (the worker): the PDF and XLSX in every other language, so each download is served from
    storage. Returns how many files it rendered."""
    run = ReportRun.objects.filter(pk=run_id, status=Status.DONE).exclude(data={}).first()
    if run is None:
        return 0
    have = set(run.files.values_list("format", "language"))
    wanted = [(fmt, lang) for lang in _languages() for fmt in ("pdf", "xlsx") if (fmt, lang) not in have]
    report_files_render(run=run, named_tables=None, data=run.data, wanted=wanted)
    return len(wanted)


def report_file(*, run: ReportRun, fmt: str, language: str) -> tuple[str, bytes]:
    """A done run's download, from storage. A file lost from storage (or a run built before files were
    stored) is rendered again from the run's stored figures, so it is the same document, and kept."""
    language = "" if fmt in ("csv", "hxl") else language
    stored = ReportFile.objects.filter(run=run, format=fmt, language=language).first()
    if stored is not None:
        try:
            with stored.file.open("rb") as handle:
                return _file_name(run, fmt, language), handle.read()
        except OSError:
            logger.warning("Report file %s is missing from storage; rendering it again", stored.file.name)
    if run.data and (fmt in ("pdf", "xlsx") or run.tables):
        named_tables = dict(run.tables) if run.tables else None
        content = _render(fmt=fmt, language=language, named_tables=named_tables, data=run.data)
        _store(run=run, fmt=fmt, language=language, content=content)
    else:  # built before the document existed: its flat tables, as they were downloaded then
        content = exports.RENDERERS[fmt][0](dict(run.tables))
    return _file_name(run, fmt, language), content


def report_content(
    *, center: Center | None, start: dt.date, end: dt.date, progress=lambda p: None
) -> tuple[dict, dict]:
    """The report's flat tables (CSV, HXL) and its document's figures (PDF, XLSX), counted once."""
    centers = Center.objects.filter(pk=center.pk) if center else Center.objects.counted()
    rows = list(centers.values_list("pk", "code", "name", "status"))
    center_ids = [row[0] for row in rows]
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
    year_to_date = (ytd_reached, ytd_costs, money.cost_per_beneficiary(ytd_costs, ytd_reached))
    courses = course_attendance(start=start, end=end, center_ids=center_ids)
    feedback = feedback_counts(start=start, end=end, center_ids=center_ids)
    missing_rates = sorted(set(missing) | set(ytd_missing))
    # The document names the centres open then: open now, or closed since with figures in the period.
    active = {k[0] for k in reached.totals} | set(costs) | set(ytd_costs) | set(reached.new_registrations)
    names = {
        pk: (code, name)
        for pk, code, name, status in rows
        if center is not None or status == Center.Status.OPEN or pk in active
    }
    named_tables = exports.tables(
        reach=reached,
        costs=costs,
        cost_per_person=per_person,
        missing_rates=missing_rates,
        year_to_date=year_to_date,
        courses=courses,
        feedback=feedback,
    )
    data = document.document_data(
        national=center is None,
        reach=reached,
        costs=costs,
        per_person=per_person,
        missing_rates=missing_rates,
        year_to_date=year_to_date,
        courses=courses,
        feedback=feedback,
        runway=money.runway(today=end + dt.timedelta(days=1)),
        centers=names,
    )
    return named_tables, data


def report_tables(*, center: Center | None, start: dt.date, end: dt.date, progress=lambda p: None) -> dict:
    """The report's flat tables for a centre (or nationally)."""
    return report_content(center=center, start=start, end=end, progress=progress)[0]


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
    center_ids = list(Center.objects.counted().values_list("pk", flat=True))
    counted = reach_by_month(start=month, end=_month_end(month), center_ids=center_ids)
    rows = [
        MonthlyReach(month=month, center_id=None if center == ALL else center, category=category, people=n)
        for (_month, center, category), n in counted.items()
    ]
    if (month, ALL, ALL) not in counted:
        rows.append(
            MonthlyReach(month=month, center_id=None, category=ALL, people=0)
        )  # marks the month stored
    figures = [
        MonthlyFigures(month=month, center_id=center_id, **values)
        for (_month, center_id), values in activity_by_month(
            start=month, end=_month_end(month), center_ids=center_ids
        ).items()
    ]
    with transaction.atomic():
        MonthlyReach.objects.filter(month=month).delete()
        MonthlyReach.objects.bulk_create(rows)
        MonthlyFigures.objects.filter(month=month).delete()
        MonthlyFigures.objects.bulk_create(figures)
    return len(rows)


def monthly_reach_refresh(*, today: dt.date, months: int = 2) -> int:
    """Nightly: store the last closed months again (a register saved late still counts)."""
    month, stored = today.replace(day=1), 0
    for _ in range(months):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        stored += monthly_reach_store(month=month)
    return stored
