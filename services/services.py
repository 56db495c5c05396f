"""Writes for activities, sessions, enrolment, attendance and one-to-one services."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from audit import recorder
from beneficiaries.models import Beneficiary
from centers.models import Center, Room
from services.models import (
    Activity,
    ActivitySlot,
    Attendance,
    CheckIn,
    DeskMessage,
    Enrollment,
    ServiceDelivery,
    Session,
)
from services.signals import places_offered

# ---------------------------------------------------------------- activities


def _slot_errors(*, activity: Activity, slots: list[ActivitySlot]) -> list[str]:
    """Opening hours and room clashes of the weekly slots, in words that name the clash."""
    center = activity.center
    errors = []
    for slot in slots:
        if slot.starts_at < center.opens_at or slot.ends_at > center.closes_at:
            errors.append(
                _("%(slot)s is outside the centre's opening hours (%(opens)s–%(closes)s).")
                % {
                    "slot": slot,
                    "opens": time_format(center.opens_at, "H:i"),
                    "closes": time_format(center.closes_at, "H:i"),
                }
            )
    if not activity.room_id:
        return errors
    others = (
        ActivitySlot.objects.filter(
            activity__room_id=activity.room_id,
            activity__starts_on__lte=activity.ends_on,
            activity__ends_on__gte=activity.starts_on,
        )
        .exclude(activity_id=activity.pk)
        .select_related("activity")
    )
    for slot in slots:
        for other in others:
            if (
                other.weekday == slot.weekday
                and other.starts_at < slot.ends_at
                and slot.starts_at < other.ends_at
            ):
                errors.append(
                    _("%(room)s is already booked for “%(activity)s” on %(slot)s.")
                    % {"room": activity.room, "activity": other.activity, "slot": other}
                )
    return errors


def activity_save(*, activity: Activity, slots: list[ActivitySlot]) -> Activity:
    """Create or change an activity with its weekly slots, then lay out its sessions."""
    activity.full_clean()
    for slot in slots:
        slot.activity = activity
        slot.full_clean(exclude=["activity"])
    with transaction.atomic():
        if activity.room_id:
            # One booking of a room at a time: two managers cannot both take Monday 10:00.
            Room.objects.select_for_update().get(pk=activity.room_id)
        errors = _slot_errors(activity=activity, slots=slots)
        if errors:
            raise ValidationError(errors)
        activity.save()
        ActivitySlot.objects.filter(activity=activity).delete()
        ActivitySlot.objects.bulk_create(slots)
        sessions_generate(activity=activity)
    return activity


def sessions_generate(*, activity: Activity) -> int:
    """Sessions for every slot between the activity's dates; idempotent.

    Future sessions that no slot explains any more (the timetable changed) go,
    unless someone already took attendance in them.
    """
    slots = list(activity.slots.all())
    wanted = set()
    day = activity.starts_on
    while day <= activity.ends_on:
        for slot in slots:
            if slot.weekday == day.weekday():
                wanted.add((day, slot.starts_at, slot.ends_at))
        day += dt.timedelta(days=1)
    existing = {(s.date, s.starts_at): s for s in activity.sessions.all()}
    Session.objects.bulk_create(
        [
            Session(activity=activity, date=d, starts_at=start, ends_at=end, room_id=activity.room_id)
            for d, start, end in sorted(wanted)
            if (d, start) not in existing
        ]
    )
    keep = {(d, start) for d, start, _end in wanted}
    today = timezone.localdate()
    stale = [s.pk for key, s in existing.items() if key not in keep and not s.is_ad_hoc and s.date >= today]
    Session.objects.filter(pk__in=stale, attendances__isnull=True).delete()
    return len(wanted)


def session_add(*, activity: Activity, date: dt.date, starts_at: dt.time, ends_at: dt.time) -> Session:
    """An extra session outside the weekly timetable."""
    session = Session(
        activity=activity,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        room_id=activity.room_id,
        is_ad_hoc=True,
    )
    session.full_clean()
    center = activity.center
    if starts_at < center.opens_at or ends_at > center.closes_at:
        raise ValidationError(_("The session is outside the centre's opening hours."))
    with transaction.atomic():
        if activity.room_id:
            Room.objects.select_for_update().get(pk=activity.room_id)
            clash = (
                Session.objects.filter(
                    room_id=activity.room_id,
                    date=date,
                    starts_at__lt=ends_at,
                    ends_at__gt=starts_at,
                    is_cancelled=False,
                )
                .select_related("activity")
                .first()
            )
            if clash:
                raise ValidationError(
                    _("%(room)s is already booked for “%(activity)s” from %(start)s to %(end)s.")
                    % {
                        "room": activity.room,
                        "activity": clash.activity,
                        "start": time_format(clash.starts_at, "H:i"),
                        "end": time_format(clash.ends_at, "H:i"),
                    }
                )
        session.save()
    return session


# ---------------------------------------------------------------- enrolment


def _check_eligible(activity: Activity, person: Beneficiary) -> None:
    error = activity.eligibility_error(person, on=max(activity.starts_on, timezone.localdate()))
    if error:
        raise ValidationError(error)


def enrollment_request(*, activity: Activity, person: Beneficiary, by) -> Enrollment:
    """Enrol, or put on the waiting list when the activity is full."""
    _check_eligible(activity, person)
    with transaction.atomic():
        # Lock the activity so two desks cannot both take its last place.
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        enrollment = Enrollment.objects.filter(activity=activity, beneficiary=person).first()
        if enrollment and enrollment.status in (
            Enrollment.Status.ENROLLED,
            Enrollment.Status.WAITLISTED,
            Enrollment.Status.OFFERED,
        ):
            return enrollment
        full = (
            activity.capacity is not None
            and activity.enrollments.holding_a_place().count() >= activity.capacity
        )
        status = Enrollment.Status.WAITLISTED if full else Enrollment.Status.ENROLLED
        now = timezone.now()
        if enrollment is None:
            enrollment = Enrollment(activity=activity, beneficiary=person, requested_at=now)
        enrollment.status, enrollment.status_changed_at, enrollment.by = status, now, by
        enrollment.save()
    return enrollment


def _offer_freed_places(activity: Activity, by) -> list[Enrollment]:
    """Give free places to the first on the waiting list, as offers the desk will pass on."""
    if activity.capacity is None:
        return []
    free = activity.capacity - activity.enrollments.holding_a_place().count()
    offered = list(
        activity.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("requested_at", "pk")[
            : max(free, 0)
        ]
    )
    now = timezone.now()
    for enrollment in offered:
        enrollment.status, enrollment.status_changed_at, enrollment.by = Enrollment.Status.OFFERED, now, by
    Enrollment.objects.bulk_update(offered, ["status", "status_changed_at", "by"])
    if offered:
        places_offered.send(sender=Enrollment, enrollments=offered)
    return offered


def enrollment_change(*, enrollment: Enrollment, action: str, by) -> Enrollment:
    """drop, accept (an offer), decline (an offer) or complete."""
    allowed = {
        "drop": {Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED, Enrollment.Status.OFFERED},
        "accept": {Enrollment.Status.OFFERED},
        "decline": {Enrollment.Status.OFFERED},
        "complete": {Enrollment.Status.ENROLLED},
    }
    if action not in allowed:
        raise ValidationError(_("Unknown action."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=enrollment.activity_id)
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.status not in allowed[action]:
            raise ValidationError(
                _("This enrolment is “%(status)s”: that is not possible now.")
                % {"status": enrollment.get_status_display()}
            )
        if action == "complete":
            rate = attendance_rate(enrollment=enrollment)
            if activity.completion_threshold is None or rate is None or rate < activity.completion_threshold:
                raise ValidationError(
                    _("Attendance is %(rate)s%%; %(needed)s%% is needed to complete this course.")
                    % {
                        "rate": rate if rate is not None else 0,
                        "needed": activity.completion_threshold or "—",
                    }
                )
        new_status = {
            "drop": Enrollment.Status.DROPPED,
            "accept": Enrollment.Status.ENROLLED,
            "decline": Enrollment.Status.DROPPED,
            "complete": Enrollment.Status.COMPLETED,
        }[action]
        enrollment.status, enrollment.status_changed_at, enrollment.by = new_status, timezone.now(), by
        enrollment.save(update_fields=["status", "status_changed_at", "by"])
        if action in ("drop", "decline"):
            _offer_freed_places(activity, by)
    return enrollment


def attendance_rate(*, enrollment: Enrollment) -> int | None:
    """Percentage of the activity's past sessions (since enrolment) the person attended."""
    sessions = Session.objects.filter(
        activity_id=enrollment.activity_id,
        is_cancelled=False,
        date__lte=timezone.localdate(),
        date__gte=enrollment.requested_at.date()
        if enrollment.requested_at.date() > enrollment.activity.starts_on
        else enrollment.activity.starts_on,
    )
    held = sessions.count()
    if not held:
        return None
    present = Attendance.objects.filter(
        session__in=sessions, beneficiary_id=enrollment.beneficiary_id, present=True
    ).count()
    return round(100 * present / held)


# ---------------------------------------------------------------- attendance


class RegisterNotOpen(Exception):
    """The session has not started: no one can have attended it yet."""

    def __init__(self, session: Session):
        super().__init__("register not open")
        self.session = session
        self.message = _("This register opens when the session starts, on %(day)s at %(time)s.") % {
            "day": date_format(session.date, "l j F Y"),
            "time": time_format(session.starts_at, "H:i"),
        }


@dataclass
class RegisterResult:
    present: int = 0
    absent: int = 0
    walk_ins: list[Beneficiary] = field(default_factory=list)


def register_save(
    *, session: Session, marks: dict[int, bool], walk_ins: list[Beneficiary], by
) -> RegisterResult:
    """Save a whole attendance register in one transaction and four queries.

    ``marks`` maps every listed person to present/absent; walk-ins are present.
    Refused with RegisterNotOpen before the session starts.
    """
    if not session.has_started():
        raise RegisterNotOpen(session)
    for person in walk_ins:
        error = session.activity.eligibility_error(person, on=session.date)
        if error:
            raise ValidationError(error)
    marks = {**marks, **{p.pk: True for p in walk_ins}}
    walk_in_ids = {p.pk for p in walk_ins}
    now = timezone.now()
    with transaction.atomic():
        existing = {
            a.beneficiary_id: a for a in Attendance.objects.select_for_update().filter(session=session)
        }
        new, changed = [], []
        for person_id, present in marks.items():
            row = existing.get(person_id)
            if row is None:
                new.append(
                    Attendance(
                        session=session,
                        beneficiary_id=person_id,
                        present=present,
                        walk_in=person_id in walk_in_ids,
                        recorded_by=by,
                        recorded_at=now,
                    )
                )
            elif row.present != present:
                row.present, row.recorded_by, row.recorded_at = present, by, now
                changed.append(row)
        Attendance.objects.bulk_create(new)
        Attendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])
        Session.objects.filter(pk=session.pk).update(register_saved_at=now)
        # Bulk writes send no signals: the register says itself what it changed.
        recorder.record(
            recorder.AuditEvent.Action.UPDATE,
            obj=session,
            actor=by,
            center_id=session.activity.center_id,
            detail={"register": True, "new_marks": len(new), "changed_marks": len(changed)},
        )
    present = sum(marks.values())
    return RegisterResult(present=present, absent=len(marks) - present, walk_ins=walk_ins)


# ---------------------------------------------------------------- desk


def delivery_record(
    *, center: Center, person: Beneficiary, by, category, type: str, date: dt.date, duration_minutes: int
) -> ServiceDelivery:
    delivery = ServiceDelivery(
        center=center,
        beneficiary=person,
        staff=by,
        category=category,
        type=type,
        date=date,
        duration_minutes=duration_minutes,
    )
    delivery.full_clean()
    delivery.save()
    return delivery


def desk_message_leave(*, center: Center, person: Beneficiary, by, text: str) -> DeskMessage:
    message = DeskMessage(center=center, beneficiary=person, created_by=by, text=text)
    message.full_clean()
    message.save()
    return message


def desk_message_done(*, message: DeskMessage) -> None:
    with transaction.atomic():
        if DeskMessage.objects.filter(pk=message.pk, done_at__isnull=True).update(done_at=timezone.now()):
            recorder.record(recorder.AuditEvent.Action.UPDATE, obj=message, detail={"fields": ["done_at"]})


def check_in(*, center: Center, person: Beneficiary, by) -> CheckIn:
    return CheckIn.objects.create(center=center, beneficiary=person, by=by)
