"""What the spreadsheet imports (costs, needs interviews) share: the states of an import job, where its
upload waits for the worker, and how the task records its progress and its end.

Each app owns its job model (core has none). These helpers work on any model with the fields ``status``,
``progress``, ``file``, ``problems``, ``error``, ``started_at`` and ``finished_at``.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    # The file had problems: nothing was saved, each problem is named.
    REFUSED = "refused", _("Refused")
    # The import itself broke (after its retries): nothing was saved.
    FAILED = "failed", _("Failed")


FINISHED = {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}


def upload_path(instance, filename: str) -> str:
    """``imports/<app>/<random>.xlsx`` under MEDIA_ROOT, which is never served: not the name sent."""
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{instance._meta.app_label}/{uuid.uuid4().hex}{extension}"


def _jobs(job):
    return type(job)._default_manager.filter(pk=job.pk)


def job_start(job) -> bool:
    """Mark the job running. False when it has already finished: a task delivered twice does nothing.

    A job left running by a worker that died is started again: each import saves in one transaction with
    the job's end, so nothing is saved twice."""
    job.refresh_from_db()
    if job.status in FINISHED:
        if job.file:  # the worker died between the end and the file's deletion
            job_discard_file(job)
        return False
    _jobs(job).update(status=ImportStatus.RUNNING, started_at=timezone.now(), progress=5)
    job.refresh_from_db()
    return True


class Progress:
    """Writes a job's progress as it moves, at most once per 5 points: a big file costs some 20 UPDATEs."""

    def __init__(self, job):
        self.job = job
        self.written = job.progress

    def set(self, percent: float) -> None:
        percent = max(0, min(int(percent), 99))
        if percent >= self.written + 5:
            _jobs(self.job).update(progress=percent)
            self.written = percent

    def part(self, start: int, end: int, total: int):
        """The callback of one phase: ``done`` of ``total`` moves the bar from ``start`` to ``end``."""
        return lambda done: self.set(start + (end - start) * min(done, total) / max(total, 1))


def job_discard_file(job) -> None:
    """The upload is kept only until its job ends: an interview export holds people's answers."""
    if job.file:
        job.file.delete(save=False)
    _jobs(job).update(file="")


def job_refuse(job, problems: list) -> None:
    """The file had problems: nothing was saved, and each is kept in words for the page."""
    _jobs(job).update(
        status=ImportStatus.REFUSED, problems=problems, progress=100, finished_at=timezone.now()
    )
    job_discard_file(job)
    job.refresh_from_db()


def job_fail(job, error: str) -> None:
    """The import broke: a visible failed state, the cause kept for the team (not shown to the user)."""
    _jobs(job).update(status=ImportStatus.FAILED, error=error[:2000], finished_at=timezone.now())
    job_discard_file(job)
