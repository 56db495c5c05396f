"""The webhooks queue end to end: a real Celery worker consuming only CELERY_QUEUE_WEBHOOKS delivers a signed
event to a partner's local receiver (PostgreSQL and Redis: CI, or DATABASE_URL and REDIS_URL set locally)."""

import os
import time
import uuid

import pytest

from api import services, webhooks
from api.models import Event, Scope, WebhookDelivery
from api.tests.receiver import receiving
from cases import services as case_services
from conftest import require_in_ci, start_worker, stop_worker
from tests.servers import database_url_of_tests


@pytest.fixture
def webhooks_worker(django_db_setup, settings, tmp_path):
    from config.celery import app

    if not settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: no broker for a real Celery worker")
    if not database_url_of_tests().startswith("postgres"):
        require_in_ci("DATABASE_URL is not PostgreSQL: a worker process cannot share the test database")
    database_url = database_url_of_tests()
    queue = f"webhooks-{uuid.uuid4().hex[:8]}"
    # This process routes api.tasks.deliver* to the queue as it sends (config.celery.route_task).
    settings.CELERY_QUEUES_BY_LATENCY = {**settings.CELERY_QUEUES_BY_LATENCY, "webhooks": queue}
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_QUEUE": f"{queue}-default",  # only the webhooks queue reaches this worker
        "CELERY_QUEUE_WEBHOOKS": queue,
        "MEDIA_ROOT": str(tmp_path / "worker-media"),
    }
    process = start_worker(queue=queue, env=env)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = previous
        stop_worker(process)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_on_the_webhooks_queue_delivers_a_signed_event(world, settings, webhooks_worker):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    client = services.api_client_save(
        name="Ministry of Health system", scopes=[Scope.REFERRALS_READ], partner=world.partner
    )
    with receiving() as (receiver, url):
        webhook = services.webhook_create(client=client, url=url, events=[Event.REFERRAL_SENT])
        case_services.referral_send(referral=world.referrals["ANK"])  # commits: the event goes to the broker
        deadline = time.monotonic() + 60
        while not (
            receiver.requests
            and WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED).exists()
        ):
            assert webhooks_worker.poll() is None, "the webhooks worker died"
            assert time.monotonic() < deadline, "the webhooks worker did not deliver in time"
            time.sleep(0.2)
    [request] = receiver.requests
    assert webhooks.verify(
        secret=webhook.secret, body=request["body"], header=request["headers"]["Toplum-Signature"]
    )
    assert WebhookDelivery.objects.get().attempts == 1
