"""Logs and metrics an operator reads: JSON lines with request id, user id and centre, never personal data;
/metrics for Prometheus behind a token (config/metrics.py, core/logs.py)."""

import json
import logging

import pytest
from django.urls import reverse

from core.logs import formatter


@pytest.fixture
def json_lines():
    """The request logger's records, rendered by the JSON formatter production uses."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("toplum.request")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    spec = formatter("json")
    render = spec["()"](processors=spec["processors"], foreign_pre_chain=spec["foreign_pre_chain"])
    yield lambda: [json.loads(render.format(record)) for record in records]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_a_request_line_names_the_user_and_centre_by_id_and_never_the_search(client, world, json_lines):
    user = world.user("ANK", "reception")
    client.force_login(user)
    response = client.get(reverse("beneficiaries:search", kwargs={"center": "ANK"}), {"q": "Amina Haddad"})
    assert response.status_code == 200
    [line] = [line for line in json_lines() if line["event"] == "request"]
    assert line["user_id"] == user.pk and line["center"] == "ANK" and line["status"] == 200
    assert line["path"] == "/c/ANK/people/" and line["request_id"] == response["X-Request-ID"]
    assert "Amina" not in json.dumps(line) and "Haddad" not in json.dumps(line)
    assert user.username not in json.dumps(line)


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client, db):
    assert (
        client.get("/accounts/login/", HTTP_X_REQUEST_ID="4f1c2a9e0b7d4c1e")["X-Request-ID"]
        == "4f1c2a9e0b7d4c1e"
    )
    replaced = client.get("/accounts/login/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_metrics_answer_loopback_without_a_token(client, db):
    client.get("/accounts/login/")
    response = client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert "toplum_report_runs" in body and "toplum_messages" in body


def test_metrics_need_the_token_once_one_is_set(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer s3cret-metrics", REMOTE_ADDR="10.0.0.7")
    assert ok.status_code == 200


def test_metrics_from_another_address_without_a_token_are_refused(client, db):
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.0.0.7").status_code == 403


def test_a_finished_task_is_counted_for_metrics(settings):
    import redis

    from config.metrics import TASK_METRICS_KEY, task_finished

    if not settings.REDIS_URL:
        from conftest import require_in_ci

        require_in_ci("REDIS_URL is not set: task figures live in Redis")
    client = redis.Redis.from_url(settings.REDIS_URL)
    before = float(client.hget(TASK_METRICS_KEY, "tests.example|failures") or 0)
    task_finished(task="tests.example", seconds=0.25, failed=True)
    assert float(client.hget(TASK_METRICS_KEY, "tests.example|failures")) == before + 1
    client.hdel(TASK_METRICS_KEY, "tests.example|runs", "tests.example|seconds", "tests.example|failures")
