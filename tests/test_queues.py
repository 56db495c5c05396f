"""Queues by latency with real workers: a report worker held by a long build never delays a notice.

Two real ``celery worker`` processes consume a reports queue and a notify queue of their own, routed as
production routes them (config/celery.py, CELERY_QUEUE_REPORTS / CELERY_QUEUE_NOTIFY). The reports worker is
kept busy for longer than the test waits (a long task, then a real report build queued behind it); a message
queued meanwhile is sent by the notify worker within seconds.
"""

import datetime as dt
import os
import time
import uuid

import pytest
import redis
from django.db import connection

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.tests.factories import BeneficiaryFactory
from config.celery import app, latency_group
from config.celery import sleep as sleep_task
from conftest import require_in_ci, start_worker, stop_worker
from messaging import services as messaging
from messaging.models import ContactPreference, Message
from reports import services as reports
from reports.models import ReportRun


def test_tasks_are_grouped_by_latency():
    assert latency_group("messaging.tasks.send_message") == "notify"
    assert latency_group("cases.tasks.notify_follow_ups_due") == "notify"
    assert latency_group("reports.tasks.build_report") == "reports"
    assert latency_group("reports.tasks.sweep_report_runs") is None  # light, and must run while builds do
    assert latency_group("finance.tasks.import_costs") == "imports"
    assert latency_group("listening.tasks.import_interviews") == "imports"
    assert latency_group("api.tasks.deliver_webhook") == "webhooks"
    assert latency_group("privacy.tasks.anonymise_inactive_people") is None


def test_each_group_goes_to_its_queue_when_named_and_to_the_default_otherwise(settings):
    settings.CELERY_QUEUES_BY_LATENCY = {
        "notify": "notify",
        "reports": "reports",
        "imports": "",
        "webhooks": "",
    }
    route = app.amqp.router.route
    assert route({}, "reports.tasks.build_report")["queue"].name == "reports"
    assert route({}, "messaging.tasks.send_due")["queue"].name == "notify"
    default = app.conf.task_default_queue
    assert route({}, "finance.tasks.import_costs")["queue"].name == default
    assert route({}, "core.tasks.worker_heartbeat")["queue"].name == default


def _database_url() -> str:
    db = connection.settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        require_in_ci("DATABASE_URL is not PostgreSQL: worker processes cannot share the test database")
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers_by_latency(django_db_setup, settings, tmp_path):
    if not settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: no broker for real Celery workers")
    suffix = uuid.uuid4().hex[:8]
    queues = {"reports": f"reports-{suffix}", "notify": f"notify-{suffix}"}
    env = {
        "DATABASE_URL": _database_url(),
        "CELERY_QUEUE": f"default-{suffix}",  # nothing in this test goes there
        "CELERY_QUEUE_REPORTS": queues["reports"],
        "CELERY_QUEUE_NOTIFY": queues["notify"],
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SMS_BACKEND": "messaging.backends.file.FileBackend",
        "SMS_QUIET_START": "0",
        "SMS_QUIET_END": "0",
    }
    processes = {
        group: start_worker(queue=queue, env={**os.environ, **env}) for group, queue in queues.items()
    }
    settings.CELERY_QUEUES_BY_LATENCY = {**settings.CELERY_QUEUES_BY_LATENCY, **queues}
    settings.SMS_QUEUE = None
    settings.SMS_QUIET_START = settings.SMS_QUIET_END = 0
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queues, processes
    finally:
        app.conf.task_always_eager = eager
        for process in processes.values():
            stop_worker(process)
        # The long task and the build left behind go with the test's queues.
        redis.Redis.from_url(settings.REDIS_URL).delete(*queues.values())


def _wait_for(condition, *, processes, timeout):
    deadline = time.monotonic() + timeout
    while not condition():
        for group, process in processes.items():
            assert process.poll() is None, f"the {group} worker died"
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_report_build_does_not_delay_a_notice(world, workers_by_latency):
    queues, processes = workers_by_latency
    center = world.centers["ANK"]
    # The reports worker is busy for a minute, and a real build waits behind it on the reports queue.
    sleep_task.apply_async((60,), queue=queues["reports"])
    run = reports.report_request(center=center, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))

    person = BeneficiaryFactory(
        center=center, registered_by=world.user("ANK", "reception"), phone="+905321234567"
    )
    Consent.objects.create(
        beneficiary=person, scope=CONTACT_SCOPE, given=True, recorded_by=world.user("ANK", "reception")
    )
    ContactPreference.objects.create(beneficiary=person, channel="sms", language="en")
    queued_at = time.monotonic()
    message = messaging.message_queue(
        person=person,
        center=center,
        template="centre_notice",
        variables={"note": "Closed on Friday."},
        dedup_key="queues-by-latency",
    )

    def sent():
        message.refresh_from_db()
        return message.status in {
            Message.Status.SENT,
            Message.Status.DELIVERED,
        }  # the file backend delivers at once

    assert _wait_for(sent, processes=processes, timeout=20), "the notice waited behind the report build"
    waited = time.monotonic() - queued_at
    run.refresh_from_db()
    # The build has not even started: its worker is still busy, and the notice did not wait for it.
    assert run.status == ReportRun.Status.QUEUED
    assert waited < 20
