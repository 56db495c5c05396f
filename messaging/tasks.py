"""Thin entry points on the notify queue (SMS_QUEUE): take ids, call a service, retry what is transient.

Production routes these to their own ``notify`` queue and worker, so a slow provider never holds up reports.
"""

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from centers.models import Center
from messaging import conf, services
from messaging.backends import TransientError


@shared_task(
    bind=True,
    acks_late=True,
    queue=conf.queue(),
    max_retries=conf.max_attempts() - 1,
    retry_backoff=True,
)
def send_message(self, message_id: int) -> str:
    try:
        message = services.message_send(message_id=message_id)
    except (TransientError, OperationalError) as exc:
        if self.request.retries >= self.max_retries:
            # A visible failed state, not a lost message.
            return services.message_fail(message_id=message_id, error=str(exc)).status
        # 1 min, 2 min, 4 min… (capped): the provider gets time to come back. Run eagerly (no broker),
        # Celery re-applies a returned Retry at once, where a raised one would escape to the caller.
        countdown = min(60 * 2**self.request.retries, 3600)
        if self.request.is_eager:
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return message.status


@shared_task(acks_late=True, queue=conf.queue())
def send_due() -> int:
    """Every few minutes: send what quiet hours held back (and anything a lost task left queued)."""
    due = services.messages_due(now=timezone.now())
    for message_id in due:
        send_message.delay(message_id)
    return len(due)


@shared_task(acks_late=True, queue=conf.queue())
def queue_reminders() -> int:
    """Daily, in the afternoon: reminders of tomorrow's sessions and follow-up appointments."""
    return services.reminders_for_tomorrow(today=timezone.localdate())


@shared_task(acks_late=True, queue=conf.queue())
def record_month_costs(month: str | None = None) -> int:
    """Monthly (and nightly for the running month): the messages' cost into each centre's costs."""
    if month:
        days = [dt.date.fromisoformat(month)]
    else:  # the running month, and the last one: messages sent on its last evening count there too
        today = timezone.localdate()
        days = [today, today.replace(day=1) - dt.timedelta(days=1)]
    written = 0
    for day in days:
        for center in Center.objects.all():
            if services.month_cost_record(center=center, month=day) is not None:
                written += 1
    return written
