"""Scheduled jobs about people and cases. Tasks take ids and call services."""

from celery import shared_task

from .case_services import follow_ups_due_notify
from .subject import retention_anonymise


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def notify_follow_ups_due() -> int:
    """Every morning: tell each caseworker which follow-ups are due today."""
    return follow_ups_due_notify()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def anonymise_inactive_people() -> int:
    """Every night: anonymise people with no contact for settings.RETENTION_YEARS years."""
    return retention_anonymise()
