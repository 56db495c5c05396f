"""Messaging tests send through memory (messaging.backends.locmem), never a file or a provider; the worker
test (``notify_worker``) sends through a real Celery worker to a local server that plays Twilio."""

import os
import subprocess
import uuid
from dataclasses import dataclass

import pytest

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import require_in_ci, start_worker, stop_worker
from messaging.backends import locmem
from messaging.models import ContactPreference
from messaging.tests.fake_twilio import SID, TOKEN, serving

PUBLIC_URL = "https://toplum.example.org"
TWILIO_FROM = "+15005550006"


@pytest.fixture(autouse=True)
def memory_backend(settings, celery_eager):
    # Tasks run here, even in CI where a broker is configured (celery_eager): only notify_worker sends to one.
    settings.SMS_BACKEND = "messaging.backends.locmem.MemoryBackend"
    settings.SMS_QUIET_START, settings.SMS_QUIET_END = 21, 8
    settings.SMS_DAILY_CAP = 3
    settings.SMS_PRICE_USD = "0.05"
    locmem.reset()
    yield locmem
    locmem.reset()


@pytest.fixture
def reachable(world):
    """make(center_code, **fields): a person of that centre who agreed to messages, with a Turkish mobile."""

    def make(code="ANK", *, language="en", channel="sms", phone="+905321234567", **fields):
        person = BeneficiaryFactory(
            center=world.centers[code], registered_by=world.user(code, "reception"), phone=phone, **fields
        )
        Consent.objects.create(
            beneficiary=person, scope=CONTACT_SCOPE, given=True, recorded_by=world.user(code, "reception")
        )
        ContactPreference.objects.create(beneficiary=person, channel=channel, language=language)
        return person

    return make


def _worker_database_url() -> str:
    """The test database, as the worker process must reach it (PostgreSQL: an in-memory SQLite is not shared)."""
    from django.db import connection

    db = connection.settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        require_in_ci("DATABASE_URL is not PostgreSQL: a worker process cannot share the test database")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


@dataclass
class NotifyWorker:
    process: subprocess.Popen
    queue: str
    twilio: type  # FakeTwilio: the requests it received


@pytest.fixture
def notify_worker(django_db_setup, settings, tmp_path):
    """A real ``celery worker`` consuming only a ``notify-…`` queue of its own (SMS_QUEUE), sending through the
    Twilio backend to a local server that plays Twilio. Quiet hours are off on both sides: the worker runs on
    the wall clock. The test process sends to the broker (not eagerly) and routes by the same SMS_QUEUE."""
    from config.celery import app

    if not settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: no broker for a real Celery worker")
    database_url = _worker_database_url()
    queue = f"notify-{uuid.uuid4().hex[:8]}"
    settings.SMS_QUEUE = queue
    settings.SMS_QUIET_START = settings.SMS_QUIET_END = 0
    settings.TWILIO_AUTH_TOKEN = TOKEN  # the webhooks check callbacks' signatures in this process
    settings.MESSAGING_PUBLIC_URL = PUBLIC_URL
    with serving() as (twilio, base):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            # Anything sent to Celery's default queue goes nowhere: only SMS_QUEUE reaches this worker.
            "CELERY_QUEUE": f"{queue}-default",
            "MEDIA_ROOT": str(tmp_path / "worker-media"),
            "SMS_QUEUE": queue,
            "SMS_BACKEND": "messaging.backends.twilio.TwilioBackend",
            "SMS_QUIET_START": "0",
            "SMS_QUIET_END": "0",
            "TWILIO_API_BASE": base,
            "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_FROM": TWILIO_FROM,
            "MESSAGING_PUBLIC_URL": PUBLIC_URL,
        }
        process = start_worker(queue=queue, env=env)
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            yield NotifyWorker(process=process, queue=queue, twilio=twilio)
        finally:
            app.conf.task_always_eager = previous
            stop_worker(process)
