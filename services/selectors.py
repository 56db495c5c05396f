"""Reads for the timetable, registers, the desk and the profile."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import ScanRefused, beneficiary_for_scan, beneficiary_search
from centers.models import Center
from centers.permissions import Perm
from services.models import Activity, Attendance, CheckIn, DeskMessage, Enrollment, ServiceDelivery, Session

PLACE_HOLDING = [Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED]
ON_REGISTER = [Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED, Enrollment.Status.COMPLETED]


def activity_list(*, center: Center) -> QuerySet[Activity]:
    return (
        Activity.objects.in_center(center)
        .select_related("category", "room", "facilitator")
        .annotate(
            places_taken=Count("enrollments", filter=Q(enrollments__status__in=PLACE_HOLDING)),
            waiting=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
        )
    )


def sessions_for_register(*, center: Center, user, all_registers: bool) -> QuerySet[Session]:
    """Sessions whose register this user keeps: all of the centre for a manager, else their own."""
    sessions = Session.objects.in_center(center).select_related("activity", "activity__category", "room")
    return sessions if all_registers else sessions.filter(activity__facilitator=user)


def mark_register_keeper(sessions, *, user, perms) -> list[Session]:
    """The same rule as sessions_for_register, for sessions already loaded: sets ``keeps_register``
    so pages link only to the registers the user can open."""
    sessions = list(sessions)
    for session in sessions:
        session.keeps_register = Perm.KEEP_ATTENDANCE in perms and (
            Perm.KEEP_ALL_REGISTERS in perms or session.activity.facilitator_id == user.pk
        )
    return sessions


def today_sessions(*, center: Center, day: dt.date) -> QuerySet[Session]:
    return (
        Session.objects.in_center(center)
        .filter(date=day, is_cancelled=False)
        .select_related("activity", "activity__facilitator", "room")
        .annotate(
            places_taken=Count(
                "activity__enrollments",
                filter=Q(activity__enrollments__status__in=PLACE_HOLDING),
                distinct=True,
            ),
            present=Count("attendances", filter=Q(attendances__present=True), distinct=True),
        )
        .annotate(free_places=F("activity__capacity") - F("places_taken"))
        .order_by("starts_at", "activity__name")
    )


def register_rows(*, session: Session) -> list[tuple[Beneficiary, bool | None, bool]]:
    """(person, present or None if not yet marked, walk-in) for everyone on the register, in two queries."""
    marks = {
        a.beneficiary_id: a for a in Attendance.objects.filter(session=session).select_related("beneficiary")
    }
    enrolled = [
        e.beneficiary
        for e in Enrollment.objects.filter(
            activity_id=session.activity_id, status__in=ON_REGISTER
        ).select_related("beneficiary")
    ]
    rows = [(p, marks[p.pk].present if p.pk in marks else None, False) for p in enrolled]
    enrolled_ids = {p.pk for p in enrolled}
    rows += [(a.beneficiary, a.present, True) for pid, a in marks.items() if pid not in enrolled_ids]
    return sorted(rows, key=lambda row: (row[0].last_name, row[0].first_name))


_LINES = re.compile(r"[\n,;]+")


@dataclass
class CheckInLookup:
    person: Beneficiary | None = None
    candidates: list = field(default_factory=list)  # several people answer to the name typed
    error: str = ""


def _whole_name_typed(text: str, person: Beneficiary) -> bool:
    """Only a whole name checks someone in at once; a fragment ("U", "Moh") lists them for a click."""
    typed = " ".join(text.casefold().split())
    return typed in {
        " ".join(f"{person.first_name} {person.last_name}".casefold().split()),
        " ".join(f"{person.first_name_original} {person.last_name_original}".casefold().split()),
    }


def check_in_lookup(*, center: Center, text: str) -> CheckInLookup:
    """A card, a number, or a name typed at the desk. A name that one person answers to checks them in;
    several are listed (closest names first, weak matches marked) for the receptionist to choose."""
    try:
        return CheckInLookup(person=beneficiary_for_scan(center=center, scanned=text))
    except ScanRefused as refused:
        if "/" in text or any(c.isdigit() for c in text):
            return CheckInLookup(error=refused.message)
    matches = list(beneficiary_search(center=center, query=text)[:8])
    if len(matches) == 1 and _whole_name_typed(text, matches[0]):
        return CheckInLookup(person=matches[0])
    if not matches:
        return CheckInLookup(error=_("No one found for “%(text)s”.") % {"text": text})
    return CheckInLookup(candidates=matches)


def people_from_text(*, center: Center, text: str) -> tuple[list[Beneficiary], list[str]]:
    """Walk-ins typed, scanned or searched: the people found, and an error per line that found none or several."""
    people, errors = [], []
    for line in (part.strip() for part in _LINES.split(text or "")):
        if not line:
            continue
        try:
            person = beneficiary_for_scan(center=center, scanned=line)
        except ScanRefused as refused:
            if "/" in line:  # a card that opens nothing here: say why, never fall back to a name search
                errors.append(f"{line}: {refused.message}")
                continue
            person = None
        if person is None:
            matches = list(beneficiary_search(center=center, query=line)[:6])
            if len(matches) == 1:
                person = matches[0]
            elif matches:
                listed = ", ".join(
                    f"{m.registration_number} ({m.full_name}, {m.birth_year})" for m in matches[:5]
                )
                errors.append(
                    _("“%(text)s” matches several people: %(people)s. Type the number.")
                    % {"text": line, "people": listed}
                )
                continue
            else:
                errors.append(_("No one found for “%(text)s”.") % {"text": line})
                continue
        people.append(person)
    return people, errors


def check_in_alerts(*, center: Center, person: Beneficiary) -> dict:
    """What the desk must say now: open messages and places offered. Nothing confidential."""
    return {
        "messages": list(
            DeskMessage.objects.in_center(center).filter(beneficiary=person, done_at__isnull=True)
        ),
        "offers": list(
            Enrollment.objects.in_center(center)
            .filter(beneficiary=person, status=Enrollment.Status.OFFERED)
            .select_related("activity")
        ),
    }


def person_services(*, person: Beneficiary, center: Center) -> dict:
    """Activities and services a person received at this centre, for the profile."""
    return {
        "enrollments": list(
            Enrollment.objects.in_center(center)
            .filter(beneficiary=person)
            .select_related("activity")
            .order_by("-requested_at")
        ),
        "attendances": list(
            Attendance.objects.filter(beneficiary=person, session__activity__center=center, present=True)
            .select_related("session", "session__activity")
            .order_by("-session__date")[:20]
        ),
        "deliveries": list(
            ServiceDelivery.objects.in_center(center)
            .filter(beneficiary=person)
            .select_related("category", "staff")[:20]
        ),
        "desk_messages": list(
            DeskMessage.objects.in_center(center).filter(beneficiary=person, done_at__isnull=True)
        ),
    }


def today_check_ins(*, center: Center, day: dt.date) -> QuerySet:
    return CheckIn.objects.in_center(center).filter(at__date=day).select_related("beneficiary")[:30]
