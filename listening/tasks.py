"""Thin entry points: take ids, reload, call a service; retry what is transient; record what failed."""

from celery import shared_task
from django.db import OperationalError

from core.imports import job_fail
from listening.models import InterviewImport
from listening.xlsform import interview_import_run


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_interviews(self, job_id: int) -> str:
    job = InterviewImport.objects.select_related("center", "requested_by").get(pk=job_id)
    try:
        job = interview_import_run(job=job)
    except OperationalError:
        if self.request.retries >= self.max_retries:
            job_fail(job, "database unavailable")
        raise
    except Exception as exc:  # noqa: BLE001 - a visible failed state, not a lost task
        job_fail(job, f"{exc.__class__.__name__}: {exc}")
        return InterviewImport.Status.FAILED
    return job.status
