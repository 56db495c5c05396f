"""Tasks every deployment runs: the worker's heartbeat, which /healthz reads."""

import contextlib

from celery import shared_task
from celery.signals import worker_ready

from .health import worker_seen


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Sent by beat every minute; whichever worker runs it is alive and consuming its queue."""
    worker_seen()


@worker_ready.connect
def _worker_started(**kwargs):
    # A worker without Redis still works; /healthz says so.
    with contextlib.suppress(Exception):
        worker_seen()
