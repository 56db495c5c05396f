"""Webhooks: a partner's system is told when a referral is sent to its organisation, or withdrawn.

**Signature** (the scheme of Stripe's webhooks). Every request carries::

    Toplum-Signature: t=1764576000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
    Toplum-Event: referral.sent
    Toplum-Delivery: 42

``t`` is the Unix time of the attempt, ``v1`` the hex HMAC-SHA256 of ``"<t>.<raw body>"`` keyed with the
webhook's secret (``whsec_…``). A receiver recomputes it over the raw body it read, compares in constant time
and refuses a ``t`` more than five minutes away from its clock (a replayed request). ``Toplum-Delivery`` is the
same on every retry of one event: a receiver that already has it answers 2xx and does nothing.

**Payload**: ids and states only, never a person. The receiver fetches the referral through the API, which
checks at that moment that it is still addressed to the organisation and what consent still allows to share:
a webhook queued before a withdrawal of consent cannot carry what the withdrawal stopped.

**Delivery**: rows are written in the transaction that changes the referral (the outbox) and sent once it
commits by ``api.tasks.deliver_webhook`` on the ``webhooks`` queue; a 2xx answer delivers, anything else is
tried again after 1, 2, 4, 8… minutes, MAX_ATTEMPTS in all, then the row is marked failed, and the centre
manager sees it (api/views.py: deliveries).
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import time

import requests
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from api.models import Event, Webhook, WebhookDelivery
from cases.models import Referral

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Toplum-Signature"
EVENT_HEADER = "Toplum-Event"
DELIVERY_HEADER = "Toplum-Delivery"
MAX_ATTEMPTS = 6
TOLERANCE_SECONDS = 300
TIMEOUT = (5, 10)  # connect, read (seconds)
MAX_BACKOFF = dt.timedelta(hours=1)


def sign(*, secret: str, body: bytes, timestamp: int) -> str:
    """The value of the Toplum-Signature header for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(*, secret: str, body: bytes, header: str, now: float | None = None) -> bool:
    """What a receiver does (and the tests): the signature matches and is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, 8… minutes, an hour at most."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _payload(*, referral: Referral, event: str, now: dt.datetime) -> dict:
    return {
        "event": event,
        "created": now.isoformat(),
        "data": {
            "referral": {
                "id": referral.pk,
                "status": referral.status,
                "urgency": referral.urgency,
                "service_point": getattr(referral, "service_point_id", None),
                "sent_on": referral.sent_on.isoformat() if referral.sent_on else None,
                "url": reverse("api:referral-detail", kwargs={"pk": referral.pk}),
            }
        },
    }


def referral_event_queue(*, referral: Referral, event: str) -> list[WebhookDelivery]:
    """Write one delivery per active webhook of the referral's organisation that asked for ``event``, in the
    caller's transaction, and send them when it commits (nothing is sent for a change rolled back)."""
    now = timezone.now()
    webhooks = Webhook.objects.filter(
        is_active=True, client__is_active=True, client__partner_id=referral.partner_id
    ).select_related("client")
    center_id = Referral.objects.filter(pk=referral.pk).values_list("case__center_id", flat=True).first()
    deliveries = [
        WebhookDelivery.objects.create(
            webhook=webhook,
            event=event,
            referral=referral,
            center_id=center_id,
            payload=_payload(referral=referral, event=event, now=now),
            next_attempt_at=now,
        )
        for webhook in webhooks
        if event in webhook.events  # in Python: SQLite cannot look inside a JSON list
    ]
    if deliveries:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(ids: list[int]) -> None:
    """Hand the deliveries to the queue. A broker that is down loses nothing: the rows stay pending and the
    sweep (``deliver_due``) sends them; the caseworker's action is not failed for it."""
    from api.tasks import deliver_webhook

    for pk in ids:
        try:
            deliver_webhook.delay(pk)
        except Exception:  # noqa: BLE001 - any broker failure: the sweep resends
            logger.warning("Webhook delivery %s not queued; the sweep will send it", pk, exc_info=True)


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Count the attempt and push the next one back before sending, so a worker lost mid-request leaves a row
    the sweep retries later, and two workers never send the same attempt."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Toplum-Webhooks/1",
        SIGNATURE_HEADER: sign(secret=delivery.webhook.secret, body=body, timestamp=int(time.time())),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
    }
    try:
        response = requests.post(
            delivery.webhook.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send a pending delivery once; afterwards it is delivered, pending (next_attempt_at set) or failed.
    None when it was not pending (delivered already, failed, or claimed by another worker)."""
    delivery = _claim(delivery_id, timezone.now())
    if delivery is None:
        return None
    status_code, error = _post(delivery)
    delivery.last_status_code = status_code
    delivery.last_error = error
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED  # a visible failed state, not a lost event
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=["status", "last_status_code", "last_error", "delivered_at", "next_attempt_at"]
    )
    return delivery


def deliveries_due(*, now: dt.datetime, grace: dt.timedelta = dt.timedelta(minutes=5)) -> list[int]:
    """Pending deliveries whose next attempt is long past: their task was lost (a broker down at commit, a
    worker killed). The grace keeps the sweep from racing a retry that is merely a little late."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now - grace
        ).values_list("pk", flat=True)[:500]
    )


def _on_event(referral: Referral, event: str) -> None:
    # Sent once the referral's change is committed: a failure here must not turn the caseworker's done
    # action into an error page. It is logged; the referral stays readable through the API.
    try:
        referral_event_queue(referral=referral, event=event)
    except Exception:  # noqa: BLE001
        logger.exception("Webhook deliveries for referral %s (%s) not written", referral.pk, event)


def on_referral_sent(sender, referral, **kwargs):
    _on_event(referral, Event.REFERRAL_SENT)


def on_referral_withdrawn(sender, referral, **kwargs):
    _on_event(referral, Event.REFERRAL_WITHDRAWN)
