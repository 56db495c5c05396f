"""Thin entry points of the people import (beneficiaries.importing.services): take ids, reload, run.

Named ``import_*`` so that config/celery.py routes them to the ``imports`` queue."""

from celery import shared_task
from django.db import OperationalError

from beneficiaries.importing.models import PeopleImport
from beneficiaries.importing.services import job_fail, people_import_check_run, people_import_run


def _run(task, job_id: int, service) -> str:
    job = PeopleImport.objects.select_related("center", "requested_by").get(pk=job_id)
    try:
        job = service(job=job)
    except OperationalError:
        if task.request.retries >= task.max_retries:
            job_fail(job, "database unavailable")
        raise
    except Exception as exc:  # noqa: BLE001 - a visible failed state, not a lost task
        job_fail(job, f"{exc.__class__.__name__}: {exc}")
        return PeopleImport.Status.FAILED
    return job.status


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_people_check(self, job_id: int) -> str:
    """The dry run of an uploaded file."""
    return _run(self, job_id, people_import_check_run)


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_people(self, job_id: int) -> str:
    """The import of the rows the manager accepted."""
    return _run(self, job_id, people_import_run)
