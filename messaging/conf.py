"""Messaging settings, each with a local default, read when used (tests change them with ``settings``).

Credentials come from the environment only; nothing here is a secret.
"""

import os
from pathlib import Path

from django.conf import settings


def _setting(name: str, default):
    return getattr(settings, name, default)


def backend_path() -> str:
    # The file backend for `make run`: the messages the app would send are written down, nothing leaves.
    return _setting("SMS_BACKEND", "messaging.backends.file.FileBackend")


def file_path() -> str:
    # Under the private MEDIA_ROOT (never served): tests move it to a temporary folder.
    return str(_setting("SMS_FILE_PATH", "") or Path(settings.MEDIA_ROOT) / "sent-messages.log")


def twilio_account_sid() -> str:
    return _setting("TWILIO_ACCOUNT_SID", os.environ.get("TWILIO_ACCOUNT_SID", ""))


def twilio_auth_token() -> str:
    return _setting("TWILIO_AUTH_TOKEN", os.environ.get("TWILIO_AUTH_TOKEN", ""))


def twilio_from() -> str:
    """The sending number (E.164) or Messaging Service SID ("MG…")."""
    return _setting("TWILIO_FROM", os.environ.get("TWILIO_FROM", ""))


def twilio_whatsapp_from() -> str:
    return _setting("TWILIO_WHATSAPP_FROM", os.environ.get("TWILIO_WHATSAPP_FROM", ""))


def twilio_api_base() -> str:
    # Tests point this at a local server that plays Twilio.
    return _setting("TWILIO_API_BASE", os.environ.get("TWILIO_API_BASE", "https://api.twilio.com"))


def public_base_url() -> str:
    """The address Twilio calls back (https://toplum.example.org); empty: the address of the request."""
    return _setting("MESSAGING_PUBLIC_URL", os.environ.get("MESSAGING_PUBLIC_URL", "")).rstrip("/")


def price_usd():
    from decimal import Decimal

    return Decimal(str(_setting("SMS_PRICE_USD", "0.05")))


def daily_cap() -> int:
    return int(_setting("SMS_DAILY_CAP", 3))


def quiet_hours() -> tuple[int, int]:
    """(start, end) hours of local time between which nothing is sent: 21:00–08:00."""
    return int(_setting("SMS_QUIET_START", 21)), int(_setting("SMS_QUIET_END", 8))


def max_attempts() -> int:
    return int(_setting("SMS_MAX_ATTEMPTS", 4))


def queue() -> str | None:
    """The queue of the messaging tasks: SMS_QUEUE ("notify" in production, with its own worker); unset,
    None, which Celery reads as its default queue when the task is sent (so a test worker, which consumes a
    queue of its own named by CELERY_QUEUE, receives them too). Read each time a task is sent
    (messaging.tasks.NotifyTask), never at import."""
    return _setting("SMS_QUEUE", None) or None
