"""Reaching activities, registers, enrolments and desk messages by id (centers.access)."""

from centers.access import get_scoped
from centers.permissions import Perm

from . import selectors
from .models import Activity, DeskMessage, Enrollment


def access_activity(request, pk) -> Activity:
    return get_scoped(selectors.activity_list(center=request.center), center=request.center, pk=pk)


def access_session_register(request, pk):
    """A register this user keeps; another trainer's register is as absent as another centre's."""
    sessions = selectors.sessions_for_register(
        center=request.center,
        user=request.user,
        all_registers=Perm.KEEP_ALL_REGISTERS in request.center_perms,
    )
    return get_scoped(sessions, center=request.center, pk=pk)


def access_enrollment(request, pk, *, completed: bool = False) -> Enrollment:
    """An enrolment of the centre; ``completed`` for a certificate, which only a finished course has."""
    enrollments = Enrollment.objects.select_related("activity", "activity__center", "beneficiary")
    if completed:
        enrollments = enrollments.filter(status=Enrollment.Status.COMPLETED)
    return get_scoped(enrollments, center=request.center, pk=pk)


def access_desk_message(request, pk) -> DeskMessage:
    return get_scoped(DeskMessage.objects.all(), center=request.center, pk=pk)
