"""Providers as backends chosen by ``SMS_BACKEND``: a real provider's HTTP API, a file, memory for tests.

A backend sends one message and answers with the provider's id and the status it reached; it raises
``TransientError`` for what is worth retrying (the provider is down, throttling) and ``PermanentError``
for what never will succeed (an invalid number).
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from messaging import conf


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


@dataclass(frozen=True)
class Outgoing:
    to: str  # E.164
    channel: str  # "sms" | "whatsapp"
    body: str
    status_callback: str = ""  # where the provider reports delivery, when it does


@dataclass(frozen=True)
class Sent:
    provider_id: str
    # "sent" when the provider accepted it and will report delivery; "delivered" when the backend is the
    # end of the line (a file, memory).
    status: str


class Backend:
    #: whether the provider calls back with delivery receipts
    reports_delivery = False

    def send(self, message: Outgoing) -> Sent:
        raise NotImplementedError


def get_backend() -> Backend:
    return import_string(conf.backend_path())()
