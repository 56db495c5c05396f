"""The notify queue end to end: a real Celery worker consumes SMS_QUEUE and delivers through a local server that
plays Twilio, whose signed receipt then marks the message delivered. And, without a worker, that every way a
messaging task is sent (the service, beat) lands on SMS_QUEUE as it is set when it is sent."""

import base64
import time
import uuid

import pytest
from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings as django_settings
from django.urls import reverse

from config.celery import app
from messaging import services, tasks
from messaging.backends.twilio import signature
from messaging.models import Message
from messaging.tests.conftest import PUBLIC_URL, TWILIO_FROM
from messaging.tests.fake_twilio import SID, TOKEN


def _wait_for(condition, *, worker, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert worker.process.poll() is None, "the notify worker died"
        assert time.monotonic() < deadline, "the notify worker did not deliver in time"
        time.sleep(0.2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_on_the_notify_queue_delivers_through_twilio_and_the_receipt_marks_it_delivered(
    client, world, reachable, notify_worker
):
    message = services.message_queue(
        person=reachable(first_name="Amina"),
        center=world.centers["ANK"],
        template="centre_notice",
        variables={"note": "Closed on Friday."},
        dedup_key="worker-delivery",
    )
    # Sent by the worker, not here: this process sends to the broker and its own backend is memory.
    _wait_for(lambda: notify_worker.twilio.requests, worker=notify_worker)
    [request] = notify_worker.twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert {name: values for name, values in request["form"].items()} == {
        "To": ["+905321234567"],
        "From": [TWILIO_FROM],
        "Body": [message.text],
        "StatusCallback": [f"{PUBLIC_URL}/messaging/twilio/status/"],
    }
    assert message.text.startswith("Hello Amina, a message from Ankara Community Centre: Closed on Friday.")

    def sent():
        message.refresh_from_db()
        return message.status != Message.Status.QUEUED

    _wait_for(sent, worker=notify_worker)
    assert (message.status, message.provider_id, message.attempts) == (
        Message.Status.SENT,
        "SM" + "1".zfill(32),
        1,
    )

    # Twilio's delivery receipt, signed as Twilio signs it, to the address the message named.
    path = reverse("messaging_hooks:twilio_status")
    params = {"MessageSid": message.provider_id, "MessageStatus": "delivered", "AccountSid": SID}
    response = client.post(
        path,
        params,
        HTTP_X_TWILIO_SIGNATURE=signature(url=PUBLIC_URL + path, params=params, auth_token=TOKEN),
    )
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


# ---------------------------------------------------------------- routing, without a worker


@pytest.fixture
def broker(settings):
    """Tasks go to the broker (memory locally, Redis in CI), not run here; ``take(queue)`` reads one back."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    connection = app.connection_for_read()
    declared = {}

    def listen(queue: str):
        # Declared before anything is sent, so a broker that drops unroutable messages keeps them.
        declared[queue] = connection.SimpleQueue(queue)

    def take(queue: str) -> str:
        received = declared[queue].get(timeout=5)
        received.ack()
        return received.headers["task"]

    try:
        yield listen, take
    finally:
        app.conf.task_always_eager = previous
        for simple in declared.values():
            simple.clear()
            simple.close()
        connection.release()


def _send_due_by_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["messages-due"]
    scheduled = ScheduleEntry(
        name="messages-due",
        task=entry["task"],
        schedule=entry["schedule"],
        options=entry.get("options", {}),
        app=app,
    )
    Scheduler(app, lazy=True).apply_async(scheduled, advance=False)


SENDS = {
    "the service's send": ("messaging.tasks.send_message", lambda: tasks.send_message.delay(0)),
    "beat": ("messaging.tasks.send_due", _send_due_by_beat),
}


@pytest.mark.parametrize("how", SENDS)
def test_messaging_tasks_go_to_sms_queue_as_it_is_set_when_they_are_sent(settings, broker, how):
    listen, take = broker
    # Set after messaging.tasks was imported: the decorators never saw it.
    queue = settings.SMS_QUEUE = f"notify-{uuid.uuid4().hex[:8]}"
    listen(queue)
    task_name, send = SENDS[how]
    send()
    assert take(queue) == task_name


def test_without_sms_queue_they_go_to_celerys_default_queue(settings, broker):
    listen, take = broker
    settings.SMS_QUEUE = None
    # A default queue of this test's own: a session worker may be consuming the suite's default queue.
    previous, default = app.conf.task_default_queue, f"default-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = default
    try:
        listen(default)
        tasks.send_message.delay(0)
        assert take(default) == "messaging.tasks.send_message"
    finally:
        app.conf.task_default_queue = previous
