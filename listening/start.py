"""Start-page panel of feedback (centers/start.py): open sensitive feedback and feedback left unanswered."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from centers import start
from centers.models import Role
from centers.permissions import Perm

from .models import FEEDBACK_ANSWER_DAYS, Feedback

SHOWN = 6


def _feedback(center, user) -> dict:
    """Open feedback that is sensitive or waiting longer than FEEDBACK_ANSWER_DAYS, oldest first (two queries).

    Shown only to a role granted VIEW_SENSITIVE_FEEDBACK (the registration below), so no filter hides it."""
    today = timezone.localdate()
    late_before = today - dt.timedelta(days=FEEDBACK_ANSWER_DAYS)
    needing = (
        Feedback.objects.in_center(center)
        .exclude(status=Feedback.Status.CLOSED)
        .filter(Q(sensitive=True) | Q(received_on__lt=late_before))
    )
    rows = list(needing.order_by("received_on", "pk")[:SHOWN])
    for feedback in rows:
        feedback.age = feedback.days_open(today)
        feedback.late = feedback.received_on < late_before
    return {"feedback": rows, "total": needing.count(), "days": FEEDBACK_ANSWER_DAYS}


start.register(
    "feedback",
    roles={Role.CENTER_MANAGER},
    order=40,
    template="listening/start_feedback.html",
    context=_feedback,
    perm=Perm.VIEW_SENSITIVE_FEEDBACK,
)
