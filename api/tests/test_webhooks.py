"""Webhooks against a local HTTP server: signed, retried with backoff, visible when they fail."""

import json

import pytest

from api import services, webhooks
from api.models import Event, WebhookDelivery
from api.tests.receiver import receiving
from cases import services as case_services
from cases.models import Partner


@pytest.fixture(autouse=True)
def plain_http_allowed(settings, celery_eager):
    # Tasks run here, even in CI where a broker is configured (celery_eager): test_worker sends to one.
    settings.API_WEBHOOK_ALLOW_HTTP = True  # the local receiver has no certificate


@pytest.fixture
def hook(world, partner_api):
    client, _http = partner_api

    def make(url, events=(Event.REFERRAL_SENT, Event.REFERRAL_WITHDRAWN)):
        return services.webhook_create(client=client, url=url, events=list(events))

    return make


def _send(referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_services.referral_send(referral=referral)


def test_a_sent_referral_is_delivered_signed(world, hook, django_capture_on_commit_callbacks):
    with receiving() as (receiver, url):
        webhook = hook(url)
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["toplum-event"] == "referral.sent"
    assert webhooks.verify(secret=webhook.secret, body=request["body"], header=headers["toplum-signature"])
    # Tampered body, other secret, or an old timestamp: refused.
    assert not webhooks.verify(
        secret=webhook.secret, body=request["body"] + b" ", header=headers["toplum-signature"]
    )
    assert not webhooks.verify(secret="whsec_other", body=request["body"], header=headers["toplum-signature"])
    timestamp = int(headers["toplum-signature"].split(",")[0][2:])
    assert not webhooks.verify(
        secret=webhook.secret, body=request["body"], header=headers["toplum-signature"], now=timestamp + 301
    )
    payload = json.loads(request["body"])
    assert payload["event"] == "referral.sent"
    assert payload["data"]["referral"]["id"] == world.referrals["ANK"].pk
    # Ids and states only: no one's name, phone or reason travels in a webhook.
    assert "Ahmad" not in request["body"].decode() and "Vaccinations" not in request["body"].decode()
    delivery = WebhookDelivery.objects.get()
    assert headers["toplum-delivery"] == str(delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert delivery.center == world.centers["ANK"]


def test_a_failing_receiver_is_retried_with_backoff(world, hook, django_capture_on_commit_callbacks):
    with receiving(500, 503) as (receiver, url):
        hook(url)
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    # The same delivery each time: a receiver can tell a retry from a new event.
    assert len({r["headers"]["Toplum-Delivery"] for r in receiver.requests}) == 1
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_a_receiver_that_never_answers_well_ends_failed(world, hook, django_capture_on_commit_callbacks):
    with receiving(*[500] * webhooks.MAX_ATTEMPTS) as (receiver, url):
        hook(url)
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "failed",
        webhooks.MAX_ATTEMPTS,
        500,
    )
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at is None
    # A failed delivery is not sent again by the sweep.
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) is None


def test_an_unreachable_receiver_is_recorded(world, hook, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 1)
    with receiving() as (_receiver, url):
        pass  # closed: nothing listens there any more
    hook(url)
    _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_status_code is None and "ConnectionError" in delivery.last_error


def test_only_the_organisations_hooks_for_that_event_are_called(
    world, hook, partner_api, django_capture_on_commit_callbacks
):
    unhcr = Partner.objects.get_or_create(name="UNHCR", defaults={"kind": "un_agency"})[0]
    other = services.api_client_save(name="UNHCR system", scopes=["referrals:read"], partner=unhcr)
    with receiving() as (receiver, url):
        services.webhook_create(client=other, url=url, events=[Event.REFERRAL_SENT])
        hook(url, events=[Event.REFERRAL_WITHDRAWN])
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_withdrawn_referral_is_told(world, hook, django_capture_on_commit_callbacks):
    with receiving() as (receiver, url):
        hook(url, events=[Event.REFERRAL_WITHDRAWN])
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            case_services.referral_withdraw(referral=world.referrals["ANK"])
    assert [json.loads(r["body"])["event"] for r in receiver.requests] == ["referral.withdrawn"]
    assert json.loads(receiver.requests[0]["body"])["data"]["referral"]["status"] == "withdrawn"


def test_the_sweep_sends_what_a_lost_task_left(world, hook, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from api.tasks import deliver_due

    with receiving() as (receiver, url):
        webhook = hook(url)
        # A delivery whose task never reached a worker (written, then the broker was down).
        WebhookDelivery.objects.create(
            webhook=webhook,
            event=Event.REFERRAL_SENT,
            center=world.centers["ANK"],
            payload={"event": "referral.sent"},
            next_attempt_at=timezone.now() - dt.timedelta(minutes=10),
        )
        assert deliver_due() == 1
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_deliveries_go_to_the_webhooks_queue():
    from config.celery import latency_group

    assert latency_group("api.tasks.deliver_webhook") == "webhooks"
    assert latency_group("api.tasks.deliver_due") == "webhooks"


def test_a_broker_that_is_down_fails_nothing_and_the_sweep_sends_later(
    world, hook, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from api.tasks import deliver_due, deliver_webhook

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    with receiving() as (receiver, url):
        hook(url)
        monkeypatch.setattr(deliver_webhook, "delay", down)
        _send(world.referrals["ANK"], django_capture_on_commit_callbacks)  # the caseworker's action succeeds
        world.referrals["ANK"].refresh_from_db()
        assert world.referrals["ANK"].status == "sent"
        assert WebhookDelivery.objects.get().status == "pending"
        monkeypatch.undo()
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
            assert deliver_due() == 1
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
