"""Create once per form shown: the one rule behind every form that carries a submission token.

A double click, a retried POST or two tabs send the same token; whichever request commits first creates
the record, and every other one gets that record back — never a duplicate, never an error about the token.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

T = TypeVar("T")


def create_once(queryset, *, create: Callable[[], T], **token) -> tuple[T, bool]:
    """``(record, created)``: the row of ``queryset`` matching ``token`` (``submission_token=…``) if there is
    one, else what ``create`` saves. ``create`` runs in a savepoint; when a concurrent request with the same
    token wins (a unique violation, or model validation that already sees the winner), the winner's row is
    returned."""
    existing = queryset.filter(**token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except (IntegrityError, ValidationError):
        existing = queryset.filter(**token).first()
        if existing is None:
            raise
        return existing, False
