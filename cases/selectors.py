"""Reads for case management: caseload, supervision, a case file."""

import datetime as dt

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases.models import Case, ConfidentialNote, FollowUp, Referral, RiskLevel, Transfer
from centers.models import Center

# A high-risk case needs a contact at least this often, and always a next follow-up date.
HIGH_RISK_CONTACT_DAYS = 14
LONG_OPEN_DAYS = 183
REFERRAL_ANSWER_DAYS = 14


def cases_with_due_dates(*, center: Center) -> QuerySet[Case]:
    """Open cases with their last contact and the next follow-up promised at that contact."""
    latest = FollowUp.objects.filter(case=OuterRef("pk")).order_by("-date", "-pk")
    return (
        Case.objects.in_center(center)
        .exclude(status=Case.Status.CLOSED)
        .select_related("beneficiary", "caseworker")
        .annotate(
            last_contact=Max("follow_ups__date"),
            next_due=Subquery(latest.values("next_date")[:1], output_field=DateField()),
        )
    )


def _with_last_contact_or_opened(queryset):
    return queryset.annotate(last_contact_or_opened=Coalesce("last_contact", TruncDate("opened_at")))


class Due:
    """How soon a case needs its caseworker, most urgent first."""

    NOW = 0  # overdue, or a high-risk case left without contact or without a next date
    TODAY = 1
    THIS_WEEK = 2
    LATER = 3


def my_caseload(*, center: Center, user, today: dt.date) -> list[Case]:
    """The open cases the user works on (as caseworker, or as one of its psychologists), most urgent first.

    A high-risk case is flagged, and sorted with the overdue ones, when its last contact is more than
    HIGH_RISK_CONTACT_DAYS old or no next follow-up is set."""
    quiet_since = today - dt.timedelta(days=HIGH_RISK_CONTACT_DAYS)
    high_risk_unattended = Q(risk_level=RiskLevel.HIGH) & (
        Q(last_contact_or_opened__lt=quiet_since) | Q(next_due__isnull=True)
    )
    cases = (
        _with_last_contact_or_opened(
            cases_with_due_dates(center=center).filter(Q(caseworker=user) | Q(psychologists=user)).distinct()
        )
        .annotate(
            high_risk_unattended=When_(When(high_risk_unattended, then=Value(True)), default=Value(False))
        )
        .annotate(
            urgency=When_(
                When(next_due__lt=today, then=Value(Due.NOW)),
                When(high_risk_unattended, then=Value(Due.NOW)),
                When(next_due=today, then=Value(Due.TODAY)),
                When(next_due__lte=today + dt.timedelta(days=7), then=Value(Due.THIS_WEEK)),
                default=Value(Due.LATER),
                output_field=IntegerField(),
            )
        )
    )
    ordered = list(cases.order_by("urgency", F("next_due").asc(nulls_last=True), "opened_at"))
    for case in ordered:
        case.overdue = case.next_due is not None and case.next_due < today
    return ordered


def readable_notes(*, case: Case, user) -> list[ConfidentialNote]:
    return list(ConfidentialNote.objects.readable_by(user).filter(case=case).select_related("author"))


def overdue_referrals(*, center: Center, today: dt.date) -> QuerySet[Referral]:
    return Referral.objects.filter(
        case__center=center,
        status=Referral.Status.SENT,
        sent_on__lt=today - dt.timedelta(days=REFERRAL_ANSWER_DAYS),
    ).select_related("partner", "case__beneficiary")


def supervision(*, center: Center, user, all_cases: bool, today: dt.date) -> dict:
    """Caseload per caseworker, follow-up compliance, long-open cases and approvals waiting."""
    cases = _with_last_contact_or_opened(cases_with_due_dates(center=center))
    if not all_cases:
        cases = cases.filter(supervisor=user)
    per_worker = (
        cases.values("caseworker__username", "caseworker__first_name", "caseworker__last_name")
        .annotate(
            open_cases=Count("pk", distinct=True),
            overdue=Count("pk", filter=Q(next_due__lt=today), distinct=True),
        )
        .order_by("caseworker__username")
    )
    workers = []
    for row in per_worker:
        on_time = row["open_cases"] - row["overdue"]
        row["compliance"] = round(100 * on_time / row["open_cases"]) if row["open_cases"] else None
        workers.append(row)
    waiting = (
        Case.objects.in_center(center)
        .filter(status=Case.Status.CLOSURE_REQUESTED)
        .select_related("beneficiary", "caseworker")
    )
    if not all_cases:
        waiting = waiting.filter(supervisor=user)
    long_open = cases.filter(opened_at__lt=timezone.now() - dt.timedelta(days=LONG_OPEN_DAYS)).order_by(
        "opened_at"
    )
    return {
        "workers": workers,
        "waiting": list(waiting),
        "long_open": list(long_open[:50]),
        "overdue_referrals": list(overdue_referrals(center=center, today=today)),
        "incoming_transfers": list(
            Transfer.objects.filter(to_center=center, status=Transfer.Status.REQUESTED).select_related(
                "case__beneficiary", "from_center"
            )
        ),
    }
