"""Demo case files: plans, follow-ups, referrals, a confidential note, and one transfer."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from beneficiaries.models import Beneficiary
from cases.models import Case, CaseGoal, ConfidentialNote, FollowUp, Partner, Referral, ServicePoint, Transfer
from centers.models import Center, Role

REASONS = [
    (
        "Children out of school; mother alone with four children.",
        "high",
        ["Enrol the children in school", "Apply for social assistance"],
    ),
    (
        "Chronic illness, no access to medication since arrival.",
        "medium",
        ["Register with the migrant health centre"],
    ),
    (
        "Address not updated; temporary protection ID about to lapse.",
        "medium",
        ["Update the address with migration management"],
    ),
    (
        "Older man living alone, signs of depression.",
        "high",
        ["Weekly contact", "Refer to psychosocial support"],
    ),
    (
        "Family evicted, staying with relatives.",
        "medium",
        ["Find housing support", "Apply for municipal aid"],
    ),
    (
        "Teenager working instead of attending school.",
        "high",
        ["Enrol in school", "Conditional cash transfer for education"],
    ),
]
FOLLOW_UP_SUMMARIES = [
    "Home visit: the family is settling; documents checked.",
    "Phone call: appointment at the hospital confirmed.",
    "In the centre: school registration forms filled in together.",
    "Home visit: rent paid this month; children attending.",
]


def _staff(center: Center, role):
    membership = center.memberships.filter(role=role).select_related("user").first()
    return membership.user if membership else None


@transaction.atomic
def seed(*, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    partners = list(Partner.objects.filter(is_active=True))
    directory = list(ServicePoint.objects.filter(is_active=True).select_related("partner"))
    created = {}
    centers = list(Center.objects.filter(status=Center.Status.OPEN, opened_on__isnull=False))
    for center in centers:
        if Case.objects.filter(center=center).exists():
            continue
        worker, manager, psychologist = (
            _staff(center, r) for r in (Role.SOCIAL_WORKER, Role.CENTER_MANAGER, Role.PSYCHOLOGIST)
        )
        if worker is None:
            continue
        heads = list(Beneficiary.objects.active().filter(center=center, relationship_to_head="head")[:200])
        for person in rng.sample(heads, min(len(heads), 25)):
            reason, risk, goals = rng.choice(REASONS)
            opened = timezone.now() - dt.timedelta(days=rng.randint(5, 300))
            case = Case.objects.create(
                center=center,
                beneficiary=person,
                caseworker=worker,
                supervisor=manager,
                reason=reason,
                risk_level=risk,
                covers_household=True,
                opened_by=worker,
                opened_at=opened,
                status=Case.Status.ACTIVE,
            )
            for goal in goals:
                CaseGoal.objects.create(
                    case=case, goal=goal, due_on=opened.date() + dt.timedelta(days=rng.randint(14, 90))
                )
            day = opened.date()
            while True:
                day += dt.timedelta(days=rng.randint(7, 30))
                if day > today:
                    break
                FollowUp.objects.create(
                    case=case,
                    center=center,
                    date=day,
                    type=rng.choice(["home_visit", "phone", "in_centre"]),
                    summary=rng.choice(FOLLOW_UP_SUMMARIES),
                    by=worker,
                    next_date=day + dt.timedelta(days=rng.choice([7, 14, 21])),
                )
            if partners and rng.random() < 0.6:
                sent = opened.date() + dt.timedelta(days=rng.randint(1, 20))
                status = rng.choice(["sent", "accepted", "completed"]) if sent <= today else "draft"
                # A partner answers 5 days after sending and completes 20 days after: never after today.
                if status == "completed" and sent + dt.timedelta(days=20) > today:
                    status = "accepted"
                if status == "accepted" and sent + dt.timedelta(days=5) > today:
                    status = "sent"
                # Most referrals go to a service point of the directory in the centre's city (demo/directory.py).
                points = [p for p in directory if p.city == center.city]
                point = rng.choice(points) if points and rng.random() < 0.8 else None
                Referral.objects.create(
                    case=case,
                    partner=point.partner if point else rng.choice(partners),
                    service_point=point,
                    service_type=point.service_types[0] if point else "",
                    answered_via="caseworker" if status in ("accepted", "completed") else "",
                    reason=goals[0],
                    created_by=worker,
                    status=status,
                    shared_fields=["full_name", "date_of_birth", "phone"],
                    sent_on=sent if status != "draft" else None,
                    answered_on=sent + dt.timedelta(days=5) if status in ("accepted", "completed") else None,
                    completed_on=sent + dt.timedelta(days=20) if status == "completed" else None,
                )
            if psychologist and risk == "high" and rng.random() < 0.5:
                case.psychologists.add(psychologist)
                ConfidentialNote.objects.create(case=case, author=psychologist, text="Session notes (demo).")
        created[center.code] = Case.objects.filter(center=center).count()
    # One family moving from Ankara to Konya, waiting for Konya's manager.
    ankara, konya = (Center.objects.filter(code=c).first() for c in ("ANK", "KON"))
    case = Case.objects.filter(center=ankara).first() if ankara else None
    if case and konya and not Transfer.objects.exists():
        Transfer.objects.create(
            case=case,
            from_center=ankara,
            to_center=konya,
            reason="The family moved to Konya",
            requested_by=case.caseworker,
        )
    return created
