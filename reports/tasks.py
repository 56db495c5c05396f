"""Thin entry points: take ids, reload, call a service; retry what is transient; record what failed."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from reports.models import ReportRun
from reports.services import monthly_reach_refresh, monthly_reports_request, report_build


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_report(self, run_id: int) -> str:
    run = ReportRun.objects.select_related("center").get(pk=run_id)
    try:
        run = report_build(run=run)
    except OperationalError:
        if self.request.retries >= self.max_retries:
            _fail(run_id, "database unavailable")
        raise
    except Exception as exc:  # noqa: BLE001 - a visible failed state, not a lost task
        _fail(run_id, f"{exc.__class__.__name__}: {exc}")
        return ReportRun.Status.FAILED
    return run.status


def _fail(run_id: int, error: str) -> None:
    ReportRun.objects.filter(pk=run_id).update(
        status=ReportRun.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


@shared_task(acks_late=True)
def build_monthly_reports() -> int:
    return monthly_reports_request(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def store_monthly_reach() -> int:
    """Nightly: the dashboard's stored counts for the last two closed months."""
    return monthly_reach_refresh(today=timezone.localdate())
