"""Thin entry points on the notify queue (SMS_QUEUE): take ids, call a service, retry what is transient.

Production routes these to their own ``notify`` queue and worker, so a slow provider never holds up reports.
The queue is read from SMS_QUEUE each time a task is sent (``NotifyTask``), not when this module is imported.
"""

import datetime as dt

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from centers.models import Center
from messaging import conf, services
from messaging.backends import TransientError


class NotifyTask(Task):
    """Sent to SMS_QUEUE as it is when the task is sent: by ``delay``, by beat, by a retry. A queue fixed in
    the decorator would be the one of whatever settings the process had when it imported this module."""

    def apply_async(self, args=None, kwargs=None, **options):
        queue = conf.queue()
        if queue and not options.get("queue"):
            options["queue"] = queue
        return super().apply_async(args, kwargs, **options)


@shared_task(
    bind=True,
    acks_late=True,
    base=NotifyTask,
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


@shared_task(base=NotifyTask, acks_late=True)
def send_due() -> int:
    """Every few minutes: send what quiet hours held back (and anything a lost task left queued)."""
    due = services.messages_due(now=timezone.now())
    for message_id in due:
        send_message.delay(message_id)
    return len(due)


@shared_task(base=NotifyTask, acks_late=True)
def queue_reminders() -> int:
    """Daily, in the afternoon: reminders of tomorrow's sessions, follow-up and referral appointments."""
    return services.reminders_for_tomorrow(today=timezone.localdate())


@shared_task(base=NotifyTask, acks_late=True)
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
