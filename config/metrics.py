"""``/metrics`` for Prometheus.

- Requests, responses, latencies and database calls: django-prometheus's middleware, per web process; under
  gunicorn (several processes) prometheus_client's multiprocess mode adds them up (PROMETHEUS_MULTIPROC_DIR,
  set in the image; config/gunicorn.py tidies up after a worker exits).
- Celery queue lengths, read from the broker at each scrape.
- Task runs, seconds and failures per task: workers run in other containers, so each worker adds its figures
  to a Redis hash (config/celery.py, task signals) that this view reads.
- Report builds and messages by status, counted in the database at each scrape (a few aggregate queries).

Open to Prometheus with ``Authorization: Bearer $METRICS_TOKEN``; without a token set, only from loopback.
"""

import hmac
import os

import redis
from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

TASK_METRICS_KEY = "toplum:metrics:tasks"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def _queues() -> list[str]:
    named = [q for q in settings.CELERY_QUEUES_BY_LATENCY.values() if q]
    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *named})


def task_finished(*, task: str, seconds: float, failed: bool) -> None:
    """Called in a worker when a task ends (config/celery.py). Metrics never fail a task."""
    if not settings.REDIS_URL:
        return
    try:
        pipe = _redis().pipeline()
        pipe.hincrby(TASK_METRICS_KEY, f"{task}|runs", 1)
        pipe.hincrbyfloat(TASK_METRICS_KEY, f"{task}|seconds", seconds)
        if failed:
            pipe.hincrby(TASK_METRICS_KEY, f"{task}|failures", 1)
        pipe.execute()
    except redis.RedisError:
        pass


class ToplumCollector:
    """Figures read at scrape time from the broker and the database."""

    def describe(self):
        return []  # registering must not query anything: the figures are read at scrape time

    def collect(self):
        yield from self._broker()
        yield from self._database()

    def _broker(self):
        if not settings.REDIS_URL:
            return
        queued = GaugeMetricFamily("toplum_queue_length", "Tasks waiting in a Celery queue", labels=["queue"])
        runs = CounterMetricFamily("toplum_task_runs", "Celery task runs", labels=["task"])
        seconds = CounterMetricFamily(
            "toplum_task_seconds", "Seconds spent running Celery tasks", labels=["task"]
        )
        failures = CounterMetricFamily("toplum_task_failures", "Celery task failures", labels=["task"])
        try:
            client = _redis()
            for queue in _queues():
                queued.add_metric([queue], client.llen(queue))
            for key, value in client.hgetall(TASK_METRICS_KEY).items():
                task, kind = key.decode().rsplit("|", 1)
                {"runs": runs, "seconds": seconds, "failures": failures}[kind].add_metric(
                    [task], float(value)
                )
        except redis.RedisError:
            return
        yield from (queued, runs, seconds, failures)

    def _database(self):
        from messaging.models import Message
        from reports.models import ReportRun

        builds = GaugeMetricFamily("toplum_report_runs", "Report runs by status", labels=["status"])
        for row in ReportRun.objects.values("status").annotate(n=Count("pk")).order_by():
            builds.add_metric([row["status"]], row["n"])
        yield builds
        messages = GaugeMetricFamily(
            "toplum_messages", "Messages to beneficiaries by channel and status", labels=["channel", "status"]
        )
        for row in Message.objects.values("channel", "status").annotate(n=Count("pk")).order_by():
            messages.add_metric([row["channel"], row["status"]], row["n"])
        yield messages


_collector = ToplumCollector()
REGISTRY.register(_collector)  # single-process servers (runserver, tests) read the default registry


def _allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


def metrics(request):
    if not _allowed(request):
        return HttpResponseForbidden("metrics: token required\n", content_type="text/plain")
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_collector)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
