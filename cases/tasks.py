"""Scheduled jobs about cases. Tasks take ids and call services."""

from celery import shared_task

from cases.services import follow_ups_due_notify


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def notify_follow_ups_due() -> int:
    """Every morning: tell each caseworker which follow-ups are due today."""
    return follow_ups_due_notify()
