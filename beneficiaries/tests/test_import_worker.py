"""The people import through a real Celery worker over the broker, as production runs it."""

import time

import pytest

from beneficiaries.importing import services
from beneficiaries.importing.models import PeopleImport
from beneficiaries.models import Beneficiary
from beneficiaries.tests.test_import_people import csv_file, row
from config.celery import latency_group


def _wait_for(job, status, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        assert job.status not in ("failed", "refused"), (job.status, job.error, job.problems)
        time.sleep(0.5)
    raise AssertionError(f"still {job.status} after {timeout} s")


def test_both_tasks_go_to_the_imports_queue():
    assert latency_group("beneficiaries.tasks.import_people_check") == "imports"
    assert latency_group("beneficiaries.tasks.import_people") == "imports"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_is_checked_and_imported_by_a_real_worker(world, celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process.media_root  # the upload is kept where the worker reads it
    file = csv_file([row("Hiba", "Nasser", sex="female", year="1994"), row("Anas", "Nasser", year="1992")])
    job = services.people_import_start(
        center=world.centers["ANK"], by=world.user("ANK", "center_manager"), upload=file, kind="csv"
    )
    services.people_import_map(
        job=job, mapping=job.mapping
    )  # sent to the worker (no transaction to wait for)
    job = _wait_for(PeopleImport.objects.get(pk=job.pk), "checked")
    assert job.counts["new"] == 2
    services.people_import_request(job=job)
    job = _wait_for(job, "done")
    assert job.counts["created"] == 2
    assert Beneficiary.objects.filter(last_name="Nasser").count() == 2
    assert celery_worker_process.poll() is None, "the worker died"
