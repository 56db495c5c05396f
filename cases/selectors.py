"""Reads for case management: caseload, supervision, a case file."""

import datetime as dt

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import (
    Count,
    DateField,
    Exists,
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

from beneficiaries.models import Consent, ConsentScope
from cases.letters import field_value
from cases.models import (
    REFERRAL_FIELDS,
    Case,
    ConfidentialNote,
    FollowUp,
    Partner,
    Referral,
    RiskLevel,
    ServicePoint,
    ServiceType,
    Transfer,
)
from centers.models import Center

# A high-risk case needs a contact at least this often, and always a next follow-up date.
HIGH_RISK_CONTACT_DAYS = 14
LONG_OPEN_DAYS = 183
# Days a partner has to answer a referral before it shows as overdue, per service type (urgent needs are
# answered sooner); settings.REFERRAL_ANSWER_DAYS overrides any of them, "default" for the rest.
REFERRAL_ANSWER_DAYS = {
    "default": 14,
    ServiceType.HEALTH_CARE: 7,
    ServiceType.MENTAL_HEALTH: 7,
    ServiceType.CHILD_PROTECTION: 3,
    ServiceType.GBV_SERVICES: 3,
    ServiceType.SHELTER: 3,
}


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


def referral_answer_days() -> dict[str, int]:
    """Days to answer per service type, with "default" for every other (setting REFERRAL_ANSWER_DAYS)."""
    return {**REFERRAL_ANSWER_DAYS, **getattr(settings, "REFERRAL_ANSWER_DAYS", {})}


def overdue_referrals(*, center: Center | None = None, user=None, today: dt.date) -> QuerySet[Referral]:
    """Sent referrals the partner has not answered in the days its service type allows, oldest first.

    Narrowed to a centre, and to the cases a user works on as caseworker or supervisor, when given."""
    days = referral_answer_days()
    typed = {t: n for t, n in days.items() if t != "default"}
    late = Q(sent_on__lt=today - dt.timedelta(days=days["default"])) & ~Q(service_type__in=list(typed))
    for service_type, allowed in typed.items():
        late |= Q(service_type=service_type, sent_on__lt=today - dt.timedelta(days=allowed))
    referrals = Referral.objects.filter(late, status=Referral.Status.SENT)
    if center is not None:
        referrals = referrals.in_center(center)
    if user is not None:
        referrals = referrals.filter(Q(case__caseworker=user) | Q(case__supervisor=user))
    return referrals.select_related("partner", "service_point", "case__beneficiary", "case__center").order_by(
        "sent_on", "pk"
    )


# ---------------------------------------------------------------- partners and their focal points

PARTNER_VISIBLE = [
    Referral.Status.SENT,
    Referral.Status.ACCEPTED,
    Referral.Status.DECLINED,
    Referral.Status.COMPLETED,
]


def _referral_consent_holds():
    return Exists(
        Consent.objects.filter(
            beneficiary=OuterRef("case__beneficiary"),
            scope=ConsentScope.REFERRAL_DATA_SHARING,
            given=True,
            withdrawn_at__isnull=True,
        )
    )


def referrals_for_partner(*, partner: Partner) -> QuerySet[Referral]:
    """The referrals a partner may see: addressed to it, sent (or answered since), not withdrawn, and only
    while the person's consent to share data for referrals holds: a withdrawal hides them at once."""
    return (
        Referral.objects.filter(partner=partner, status__in=PARTNER_VISIBLE)
        .filter(_referral_consent_holds())
        .select_related("case__beneficiary", "case__center", "service_point")
        .prefetch_related("case__beneficiary__consents")
        .order_by("-sent_on", "-pk")
    )


def referral_shared_data(*, referral: Referral) -> dict:
    """{field: text} of the referral's chosen fields, only while the person's referral consent holds.
    Never a case note, a confidential note or anything not chosen for the referral."""
    person = referral.case.beneficiary
    # One answer per scope; read from the prefetched consents of a list (referrals_for_partner) when there.
    consent = next((c for c in person.consents.all() if c.scope == ConsentScope.REFERRAL_DATA_SHARING), None)
    if not (consent and consent.is_active):
        return {}
    return {field: field_value(person, field) for field in referral.shared_fields if field in REFERRAL_FIELDS}


def service_points(
    *, service_type: str = "", district: str = "", city: str = "", query: str = ""
) -> QuerySet:
    """The active directory, narrowed by service type, district, city and a word of the name or organisation."""
    points = ServicePoint.objects.filter(is_active=True, partner__is_active=True).select_related("partner")
    if service_type:
        # JSON lists are searched as text: a type's code is never part of another's (education_enrolment…).
        points = points.filter(service_types__icontains=f'"{service_type}"')
    if district:
        points = points.filter(district__iexact=district.strip())
    if city:
        points = points.filter(city__iexact=city.strip())
    if query:
        points = points.filter(Q(name__icontains=query) | Q(partner__name__icontains=query))
    return points


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
