"""Health for load balancers and monitoring, answered before any other middleware runs.

``/healthz`` always answers JSON, whatever is down and whatever cookie the caller sends: it runs before
sessions and authentication (``HealthMiddleware`` is first), so a dead database cannot turn it into an HTML
error page. It tells the database, the broker, and when a Celery worker was last seen: the beat schedule
sends ``core.tasks.worker_heartbeat`` every minute, and whichever worker runs it writes the time to Redis.
"""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

HEARTBEAT_KEY = "toplum:worker:last-seen"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def _database_state() -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" for a probe
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_and_worker() -> tuple[str, str, int | None]:
    if not settings.REDIS_URL:
        return "not used", "not used", None
    try:
        seen = _redis().get(HEARTBEAT_KEY)
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}", "unknown", None
    if seen is None:
        return "ok", "never seen", None
    age = max(0, int(time.time() - float(seen)))
    return "ok", "ok" if age <= settings.WORKER_HEARTBEAT_STALE_SECONDS else "stale", age


def worker_seen() -> None:
    """Called by a worker (the heartbeat task, and when a worker starts)."""
    _redis().set(HEARTBEAT_KEY, time.time(), ex=24 * 3600)


def health() -> JsonResponse:
    """200 when the database and the broker answer (503 otherwise); ``worker`` says whether a worker ran a
    task lately. A missing worker does not fail the probe of the web process: reports and reminders wait,
    pages do not, so it shows as ``"status": "degraded"`` for monitoring to alert on."""
    broker, worker, age = _broker_and_worker()
    state = {
        "database": _database_state(),
        "broker": broker,
        "worker": worker,
        "worker_last_seen_seconds": age,
    }
    healthy = state["database"] == "ok" and broker in {"ok", "not used"}
    status = "error" if not healthy else "ok" if worker in {"ok", "not used"} else "degraded"
    response = JsonResponse({"status": status, **state}, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


def liveness() -> JsonResponse:
    """``/livez``: the process answers. Nothing else is probed, so a database outage never makes an
    orchestrator restart web containers that restarting would not mend."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


def readiness() -> JsonResponse:
    """``/readyz``, for the load balancer: 200 when this process can serve pages (the database and the
    broker answer), 503 otherwise, so traffic goes to another web replica. The worker's heartbeat is not
    part of it (pages do not need a worker); /healthz reports it."""
    broker, _, _ = _broker_and_worker()
    state = {"database": _database_state(), "broker": broker}
    ready = state["database"] == "ok" and broker in {"ok", "not used"}
    response = JsonResponse({"status": "ok" if ready else "error", **state}, status=200 if ready else 503)
    add_never_cache_headers(response)
    return response


PROBES = {"/healthz": health, "/livez": liveness, "/readyz": readiness}


def healthz(request):
    """The URL pattern, for reverse(); HealthMiddleware answers before it is reached."""
    return health()


def livez(request):
    return liveness()


def readyz(request):
    return readiness()


class HealthMiddleware:
    """First in MIDDLEWARE: the probes (``/healthz``, ``/livez``, ``/readyz``) never touches sessions, users or the database before it probes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path)
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe()
        return self.get_response(request)
