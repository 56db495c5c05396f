"""What each role may do, in one table.

Views ask for a named permission (``@require_perm(Perm.MANAGE_ROOMS)``);
they never test role names. Adding a view means choosing its permission here.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from centers.models import Role


class Perm(StrEnum):
    VIEW_CENTER = "view_center"
    MANAGE_ROOMS = "manage_rooms"
    VIEW_STAFF = "view_staff"
    VIEW_BENEFICIARIES = "view_beneficiaries"
    REGISTER_BENEFICIARIES = "register_beneficiaries"  # register, edit, record consent, print cards
    MERGE_BENEFICIARIES = "merge_beneficiaries"
    VIEW_ACTIVITIES = "view_activities"  # timetable, today's sessions
    MANAGE_ACTIVITIES = "manage_activities"  # create and change activities and sessions
    KEEP_ATTENDANCE = "keep_attendance"  # registers of one's own activities
    KEEP_ALL_REGISTERS = "keep_all_registers"  # registers of every activity of the centre
    ENROL = "enrol"
    CHECK_IN = "check_in"
    RECORD_SERVICES = "record_services"  # one-to-one services
    LEAVE_DESK_MESSAGES = "leave_desk_messages"
    VIEW_CASES = "view_cases"
    MANAGE_CASES = "manage_cases"  # open cases, follow-ups, plans, referrals, transfer requests
    WRITE_CONFIDENTIAL_NOTES = "write_confidential_notes"  # reading them is decided per note
    DECIDE_TRANSFERS = "decide_transfers"
    MANAGE_DIRECTORY = "manage_directory"  # the partners' service points the centre keeps, and their import
    VIEW_REPORTS = "view_reports"  # aggregates only: no report shows an individual
    MANAGE_COSTS = "manage_costs"
    VIEW_NEEDS = "view_needs"  # needs versus offer: aggregates of what people said and used
    RECORD_OUTREACH = "record_outreach"  # outreach visits and their interviews, the offline form
    RECORD_FEEDBACK = "record_feedback"
    VIEW_FEEDBACK = "view_feedback"
    ANSWER_FEEDBACK = "answer_feedback"
    VIEW_SENSITIVE_FEEDBACK = "view_sensitive_feedback"  # e.g. staff misconduct
    # National pages, outside any centre.
    VIEW_NATIONAL_REPORTS = "view_national_reports"  # the nation's dashboard and reports: aggregates only
    PLAN_NETWORK = "plan_network"  # planned centres, their plans, scenarios, opening a centre
    VIEW_AUDIT_TRAIL = "view_audit_trail"  # the audit trail and the access log
    HANDLE_SUBJECT_REQUESTS = "handle_subject_requests"  # subject-access export and anonymisation
    # Partner pages, outside any centre (/partner/): the referrals addressed to the user's organisation.
    ANSWER_REFERRALS = "answer_referrals"  # read their shared fields, accept, decline, record the outcome


_CENTRE = {Perm.VIEW_CENTER, Perm.VIEW_BENEFICIARIES, Perm.VIEW_ACTIVITIES}
_FRONT_DESK = _CENTRE | {
    Perm.REGISTER_BENEFICIARIES,
    Perm.ENROL,
    Perm.CHECK_IN,
    Perm.RECORD_SERVICES,
    Perm.RECORD_FEEDBACK,
}
_OUTREACH = {Perm.VIEW_NEEDS, Perm.RECORD_OUTREACH}

# National roles see aggregates, never individual records (DESIGN.md).
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(_FRONT_DESK),
    Role.SOCIAL_WORKER: frozenset(
        _FRONT_DESK
        | {Perm.KEEP_ATTENDANCE, Perm.LEAVE_DESK_MESSAGES, Perm.VIEW_CASES, Perm.MANAGE_CASES}
        | _OUTREACH
        | {Perm.VIEW_FEEDBACK, Perm.ANSWER_FEEDBACK}
    ),
    Role.PSYCHOLOGIST: frozenset(
        _CENTRE
        | {Perm.KEEP_ATTENDANCE, Perm.RECORD_SERVICES, Perm.LEAVE_DESK_MESSAGES}
        | {Perm.VIEW_CASES, Perm.WRITE_CONFIDENTIAL_NOTES}
        | _OUTREACH
        | {Perm.RECORD_FEEDBACK}
    ),
    Role.TRAINER: frozenset(
        _CENTRE | {Perm.KEEP_ATTENDANCE, Perm.ENROL, Perm.CHECK_IN, Perm.VIEW_NEEDS, Perm.RECORD_FEEDBACK}
    ),
    Role.CENTER_MANAGER: frozenset(
        _FRONT_DESK
        | {Perm.MANAGE_ROOMS, Perm.VIEW_STAFF, Perm.MERGE_BENEFICIARIES, Perm.MANAGE_ACTIVITIES}
        | {Perm.KEEP_ATTENDANCE, Perm.KEEP_ALL_REGISTERS, Perm.LEAVE_DESK_MESSAGES}
        | {Perm.VIEW_CASES, Perm.MANAGE_CASES, Perm.DECIDE_TRANSFERS, Perm.VIEW_REPORTS, Perm.MANAGE_COSTS}
        | {Perm.MANAGE_DIRECTORY}
        | _OUTREACH
        | {Perm.VIEW_FEEDBACK, Perm.ANSWER_FEEDBACK, Perm.VIEW_SENSITIVE_FEEDBACK}
    ),
    Role.NATIONAL_MANAGER: frozenset(
        {Perm.VIEW_CENTER, Perm.VIEW_REPORTS, Perm.VIEW_NEEDS, Perm.VIEW_NATIONAL_REPORTS, Perm.PLAN_NETWORK}
    ),
    # The DPO reads feedback (complaints of misconduct included) but does not answer it.
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {Perm.VIEW_CENTER, Perm.VIEW_FEEDBACK, Perm.VIEW_SENSITIVE_FEEDBACK}
        | {Perm.VIEW_AUDIT_TRAIL, Perm.HANDLE_SUBJECT_REQUESTS}
    ),
    # A partner's focal point holds no membership: nothing in any centre, only its organisation's referrals.
    Role.PARTNER_FOCAL_POINT: frozenset({Perm.ANSWER_REFERRALS}),
}


# A planned centre has nobody to serve yet: its staff listen (outreach visits, needs interviews, the offline
# form, needs versus the plan) and do nothing else until it opens.
PLANNED_CENTER_PERMS = frozenset({Perm.VIEW_CENTER, Perm.VIEW_NEEDS, Perm.RECORD_OUTREACH})


def perms_for_roles(roles) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)


def require_perm(perm: Perm):
    """Answer 403 unless the user's roles in ``request.center`` grant ``perm``.

    Membership of the centre itself is settled earlier, by
    ``CenterScopeMiddleware``, which answers 404 to outsiders.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if perm not in getattr(request, "center_perms", frozenset()):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator


def national_perms(user) -> frozenset[Perm]:
    """What the user's national roles (memberships with no centre) grant."""
    if not user.is_authenticated:
        return frozenset()
    return perms_for_roles(user.memberships.filter(center__isnull=True).values_list("role", flat=True))


def request_national_perms(request) -> frozenset[Perm]:
    """national_perms, read once per request: the page's check and its navigation share one query."""
    if not hasattr(request, "_national_perms"):
        request._national_perms = national_perms(request.user)
    return request._national_perms


def require_national_perm(perm: Perm, *, hide: bool = False):
    """Pages outside any centre (national reports, the DPO's pages), for roles granted ``perm``.

    Others get 403, or 404 where the URL names a person (``hide``): nothing is revealed about them.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if perm not in request_national_perms(request):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator
