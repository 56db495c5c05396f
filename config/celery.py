"""The Celery app. Tasks live in each app's ``tasks.py`` and are found here."""

import os
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("toplum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Which latency group a task belongs to, by the start of its name; the first match wins. Notices (SMS, the
# morning's follow-ups) must start within seconds; imports and report builds may run for minutes. Everything
# else (sweeps, heartbeats, retention) is light and stays on the default queue.
LATENCY_GROUPS = (
    ("messaging.", "notify"),
    ("cases.tasks.notify_", "notify"),
    ("api.tasks.deliver", "webhooks"),
    ("reports.tasks.sweep_", None),
    ("reports.", "reports"),
    ("planning.", "reports"),
)


def latency_group(name: str) -> str | None:
    """The group of task ``name``: notify, imports, reports, webhooks or None (the default queue)."""
    if name.rsplit(".", 1)[-1].startswith("import_"):
        return "imports"
    for prefix, group in LATENCY_GROUPS:
        if name.startswith(prefix):
            return group
    return None


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (settings.CELERY_TASK_ROUTES): the queue named for the task's group, read when the task
    is sent. A group without a queue of its own (CELERY_QUEUE_<GROUP> unset) uses the default queue, so one
    worker runs everything in development and in the test suite."""
    from django.conf import settings

    group = latency_group(name)
    queue = settings.CELERY_QUEUES_BY_LATENCY.get(group) if group else None
    return {"queue": queue} if queue else None


_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    from core.logs import bind_task

    bind_task(task_id, task.name)
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_ended(task_id=None, task=None, state=None, **kwargs):
    """Each task's run time and outcome go to Redis, where /metrics reads them (config/metrics.py)."""
    from config.metrics import task_finished
    from core.logs import unbind_task

    started = _started.pop(task_id, None)
    if started is not None:
        task_finished(task=task.name, seconds=time.monotonic() - started, failed=state == "FAILURE")
    unbind_task()


@app.task(name="toplum.ping")
def ping() -> str:
    """Answered by a worker: proves a task crossed the broker and came back."""
    return "pong"


@app.task(name="toplum.sleep")
def sleep(seconds: float) -> float:
    """Holds a worker for ``seconds``: operators check queue isolation with it (a busy reports worker must not
    delay notices), as tests/test_queues.py does."""
    time.sleep(min(float(seconds), 600))
    return seconds
