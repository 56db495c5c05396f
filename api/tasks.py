"""Thin entry points on the ``webhooks`` queue (config.celery routes ``api.tasks.deliver*`` there)."""

from celery import shared_task
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery


@shared_task(bind=True, acks_late=True, max_retries=webhooks.MAX_ATTEMPTS - 1)
def deliver_webhook(self, delivery_id: int) -> str | None:
    """One attempt; while the delivery stays pending, the next after its backoff (bounded by MAX_ATTEMPTS in
    the row, which survives a lost task, not only by Celery's retry count)."""
    delivery = webhooks.delivery_attempt(delivery_id=delivery_id)
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status if delivery else None
    countdown = webhooks.backoff(delivery.attempts).total_seconds()
    # Run eagerly (no broker), Celery re-applies a returned Retry at once; a raised one would reach the caller.
    if self.request.is_eager:
        return self.retry(countdown=countdown, throw=False, max_retries=webhooks.MAX_ATTEMPTS)
    raise self.retry(countdown=countdown, max_retries=webhooks.MAX_ATTEMPTS)


@shared_task(acks_late=True)
def deliver_due() -> int:
    """Every few minutes (beat): send again the pending deliveries whose task was lost."""
    due = webhooks.deliveries_due(now=timezone.now())
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)
