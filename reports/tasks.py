"""Thin entry points: take ids, reload, call a service; retry what is transient; record what failed."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from reports.models import ReportRun
from reports.services import (
    BROKER_ERRORS,
    monthly_reach_refresh,
    monthly_reach_store,
    monthly_reports_request,
    report_build,
    report_files_complete,
    report_runs_sweep,
)

logger = logging.getLogger(__name__)


# acks_late + reject_on_worker_lost: a build whose worker process is killed goes back to the queue instead of
# being acknowledged and lost. Delivering it twice is harmless: only a claim of the run builds, and the
# sweeper (not a message loop) bounds how often a build is started again.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def build_report(self, run_id: int) -> str:
    # In-process (no broker) the request itself builds: nothing to beat for, no sweeper to tell, and the
    # other languages' files are rendered on their first download instead of holding the request.
    run = report_build(run_id=run_id, heartbeat=not self.request.is_eager)
    if run.status == ReportRun.Status.DONE and not self.request.is_eager:
        try:
            complete_report_files.delay(run.pk)
        except BROKER_ERRORS:
            logger.warning("Report run %s: other languages left for their first download", run.pk)
    return run.status


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3
)
def complete_report_files(run_id: int) -> int:
    """Right after a build: the PDF and XLSX in every other language, so every download comes from storage."""
    return report_files_complete(run_id=run_id)


@shared_task(ignore_result=True)
def sweep_report_runs() -> dict:
    """Sent by beat every minute: lost builds are started again, runs the broker never got are sent."""
    return report_runs_sweep()


@shared_task(acks_late=True)
def build_monthly_reports() -> int:
    return monthly_reports_request(today=timezone.localdate())


@shared_task(ignore_result=True)
def store_current_month() -> int:
    """Every few minutes (beat): this month's counts so far, so the dashboard never counts on a request."""
    return monthly_reach_store(month=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def store_monthly_reach() -> int:
    """Nightly: the dashboard's stored counts for the last two closed months."""
    return monthly_reach_refresh(today=timezone.localdate())
