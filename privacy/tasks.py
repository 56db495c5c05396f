"""The nightly retention job."""

from celery import shared_task

from privacy.services import retention_anonymise


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def anonymise_inactive_people() -> int:
    """Every night: anonymise people with no contact for settings.RETENTION_YEARS years."""
    return retention_anonymise()
