"""The data protection officer's start-page panel (centers/start.py): subject requests and audit alerts.

Read from the audit trail, three queries whatever its size. The pages it links to are privacy's."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from centers import start
from centers.models import Role
from centers.permissions import Perm

from .models import AuditEvent

ALERT_DAYS = 7
SHOWN = 6
# What a DPO should look at: someone guessing passwords or codes, and changes to who may see what.
ALERTS = [
    AuditEvent.Action.LOCKED_OUT,
    AuditEvent.Action.LOGIN_FAILED,
    AuditEvent.Action.TWO_FACTOR_FAILED,
    AuditEvent.Action.ACCESS_CHANGE,
]
SUBJECT_REQUESTS = Q(action=AuditEvent.Action.ANONYMISE) | Q(
    action=AuditEvent.Action.EXPORT, detail__subject_access=True
)


def _dpo(center, user) -> dict:
    since = timezone.localdate() - dt.timedelta(days=ALERT_DAYS)
    recent = AuditEvent.objects.filter(at__date__gte=since)
    counts = dict(recent.filter(action__in=ALERTS).values_list("action").annotate(n=Count("pk")).order_by())
    return {
        "since": since,
        "days": ALERT_DAYS,
        "alert_counts": [(AuditEvent.Action(a), counts.get(a, 0)) for a in ALERTS],
        "alerts": list(
            recent.filter(action__in=ALERTS).select_related("actor", "center").order_by("-at")[:SHOWN]
        ),
        "requests": list(AuditEvent.objects.filter(SUBJECT_REQUESTS).order_by("-at")[:SHOWN]),
    }


start.register(
    "data_protection",
    roles={Role.DATA_PROTECTION_OFFICER},
    order=10,
    template="audit/start_data_protection.html",
    context=_dpo,
    perm=Perm.VIEW_AUDIT_TRAIL,
)
