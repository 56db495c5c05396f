"""/healthz: always JSON, and it tells whether a worker has been seen lately (issue 14, item 11)."""

import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from conftest import require_in_ci
from core import health


@pytest.fixture
def redis_heartbeat(settings):
    if not django_settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: the heartbeat lives in Redis")
    health._redis().delete(health.HEARTBEAT_KEY)
    yield
    health._redis().delete(health.HEARTBEAT_KEY)


def test_a_worker_never_seen_makes_the_status_degraded_not_down(client, db, redis_heartbeat):
    body = client.get(reverse("healthz")).json()
    assert body["worker"] == "never seen" and body["status"] == "degraded"


def test_a_worker_seen_a_moment_ago_is_ok(client, db, redis_heartbeat):
    health.worker_seen()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["worker"] == "ok" and response.json()["status"] == "ok"
    assert response.json()["worker_last_seen_seconds"] <= 2


def test_a_worker_silent_for_too_long_is_stale(client, db, redis_heartbeat, settings):
    health._redis().set(health.HEARTBEAT_KEY, time.time() - settings.WORKER_HEARTBEAT_STALE_SECONDS - 5)
    body = client.get(reverse("healthz")).json()
    assert body["worker"] == "stale" and body["status"] == "degraded"


def test_the_heartbeat_task_marks_the_worker_seen(db, redis_heartbeat, celery_eager):
    from core.tasks import worker_heartbeat

    worker_heartbeat.delay()
    assert health._redis().get(health.HEARTBEAT_KEY) is not None


def test_health_never_touches_the_session(client, db, django_assert_max_num_queries):
    client.cookies["sessionid"] = "whatever"
    # 1 the database probe; no session or user lookup before it
    with django_assert_max_num_queries(1):
        assert client.get(reverse("healthz"))["Content-Type"] == "application/json"


def test_liveness_answers_without_touching_the_database(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("livez"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_is_ok_when_the_database_answers(client, db):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_readiness_fails_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr(health, "_database_state", lambda: "error: OperationalError")
    response = client.get(reverse("readyz"))
    assert response.status_code == 503 and response.json()["status"] == "error"
    # Liveness is unaffected: restarting the web process would not mend the database.
    assert client.get(reverse("livez")).status_code == 200
