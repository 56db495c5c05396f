"""Start-page panels of the desk and the timetable (centers/start.py): each reads a fixed number of queries."""

import datetime as dt

from django.utils import timezone

from centers import start
from centers.models import Role
from centers.permissions import Perm

from . import selectors
from .models import CheckIn, DeskMessage, Enrollment

SHOWN = 8  # rows of each short list; the full page is one click away
WEEK_DAYS = 7


def _today_sessions(center, user) -> dict:
    """Reception: today's sessions and the places left in each (one query)."""
    return {"sessions": list(selectors.today_sessions(center=center, day=timezone.localdate()))}


def _waiting(center, user) -> dict:
    """Reception: who is waiting for the desk. Six queries: a count and the first rows of three lists."""
    today = timezone.localdate()
    check_ins = CheckIn.objects.in_center(center).filter(at__date=today)
    messages = DeskMessage.objects.in_center(center).filter(done_at__isnull=True)
    waiting = Enrollment.objects.in_center(center).filter(
        status__in=[Enrollment.Status.WAITLISTED, Enrollment.Status.OFFERED]
    )
    return {
        "check_ins": list(check_ins.select_related("beneficiary")[:SHOWN]),
        "check_in_count": check_ins.count(),
        "messages": list(messages.select_related("beneficiary").order_by("created_at")[:SHOWN]),
        "message_count": messages.count(),
        "waiting": list(
            waiting.select_related("beneficiary", "activity").order_by("status", "requested_at")[:SHOWN]
        ),
        "waiting_count": waiting.count(),
    }


def _my_sessions(center, user) -> dict:
    """Trainer: their own sessions today and in the next days, each a click from its register (one query)."""
    today = timezone.localdate()
    sessions = list(
        selectors.sessions_for_register(center=center, user=user, all_registers=False)
        .filter(date__gte=today, date__lt=today + dt.timedelta(days=WEEK_DAYS), is_cancelled=False)
        .order_by("date", "starts_at")
    )
    return {
        "today": [s for s in sessions if s.date == today],
        "later": [s for s in sessions if s.date != today],
    }


def _centre_day(center, user) -> dict:
    """Centre manager: today's sessions with the attendance marked so far (two queries)."""
    today = timezone.localdate()
    sessions = list(selectors.today_sessions(center=center, day=today))
    return {
        "sessions": sessions,
        "present": sum(s.present for s in sessions),
        "registers_saved": sum(1 for s in sessions if s.register_saved_at),
        "check_in_count": CheckIn.objects.in_center(center).filter(at__date=today).count(),
    }


start.register(
    "today_sessions",
    roles={Role.RECEPTION},
    order=20,
    template="services/start_today_sessions.html",
    context=_today_sessions,
    perm=Perm.VIEW_ACTIVITIES,
)
start.register(
    "waiting",
    roles={Role.RECEPTION},
    order=30,
    template="services/start_waiting.html",
    context=_waiting,
    perm=Perm.CHECK_IN,
)
start.register(
    "my_sessions",
    roles={Role.TRAINER},
    order=20,
    template="services/start_my_sessions.html",
    context=_my_sessions,
    perm=Perm.KEEP_ATTENDANCE,
)
start.register(
    "centre_day",
    roles={Role.CENTER_MANAGER},
    order=20,
    template="services/start_centre_day.html",
    context=_centre_day,
    perm=Perm.KEEP_ALL_REGISTERS,
)
