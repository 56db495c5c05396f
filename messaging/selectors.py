"""Reads of messaging that pages share."""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from beneficiaries.models import CONTACT_SCOPE, Beneficiary, Consent
from centers.models import Center
from messaging.models import ContactPreference, Message
from messaging.services import month_bounds, phone_e164

OUTBOX_PAGE = 200


def person_messages(*, person: Beneficiary, center: Center) -> dict:
    """The profile panel: the last messages sent (1 query). The profile's list of consents already says
    whether the person agreed to be contacted; the contact page shows the channel and language."""
    return {
        "sent_messages": list(Message.objects.filter(beneficiary=person).order_by("-created_at", "-pk")[:10])
    }


def contact_answer(*, person: Beneficiary) -> dict:
    """The contact page: the answer recorded and the channel and language chosen."""
    return {
        "contact_consent": Consent.objects.filter(beneficiary=person, scope=CONTACT_SCOPE).first(),
        "contact_preference": ContactPreference.objects.filter(beneficiary=person).first(),
    }


def outbox(*, center: Center, status: str = ""):
    messages = Message.objects.in_center(center).select_related("beneficiary")
    if status in Message.Status.values:
        messages = messages.filter(status=status)
    return messages[:OUTBOX_PAGE]


def month_summary(*, center: Center, month: dt.date | None = None) -> dict:
    """Messages sent this month, what they cost, and how many failed (one query)."""
    start, end = month_bounds(month or timezone.localdate())
    return Message.objects.in_center(center).aggregate(
        sent=Count("pk", filter=Q(sent_at__gte=start, sent_at__lt=end, status__in=["sent", "delivered"])),
        cost=Sum("cost_usd", filter=Q(sent_at__gte=start, sent_at__lt=end, status__in=["sent", "delivered"])),
        failed=Count(
            "pk", filter=Q(status_changed_at__gte=start, status_changed_at__lt=end, status="failed")
        ),
        queued=Count("pk", filter=Q(status="queued")),
    )


def audience_reach(people) -> dict:
    """How many of ``people`` a broadcast would reach, and why the others would not (two queries)."""
    people = list(people.only("pk", "phone", "first_name"))
    consenting = set(
        Consent.objects.filter(
            beneficiary__in=[p.pk for p in people], scope=CONTACT_SCOPE, given=True, withdrawn_at__isnull=True
        ).values_list("beneficiary_id", flat=True)
    )
    no_phone = [p for p in people if p.pk in consenting and phone_e164(p.phone) is None]
    return {
        "audience": len(people),
        "no_consent": len(people) - len(consenting),
        "no_phone": len(no_phone),
        "reachable": len(consenting) - len(no_phone),
    }
