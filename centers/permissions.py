"""What each role may do, in one table.

Views ask for a named permission (``@require_perm(Perm.MANAGE_ROOMS)``);
they never test role names. Adding a view means choosing its permission here.
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


class Perm(StrEnum):
    VIEW_CENTER = "view_center"
    MANAGE_ROOMS = "manage_rooms"
    VIEW_STAFF = "view_staff"
    VIEW_BENEFICIARIES = "view_beneficiaries"
    REGISTER_BENEFICIARIES = "register_beneficiaries"  # register, edit, record consent, print cards
    MERGE_BENEFICIARIES = "merge_beneficiaries"


_FRONT_DESK = {Perm.VIEW_CENTER, Perm.VIEW_BENEFICIARIES, Perm.REGISTER_BENEFICIARIES}

# National roles see aggregates, never individual records (DESIGN.md).
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(_FRONT_DESK),
    Role.SOCIAL_WORKER: frozenset(_FRONT_DESK),
    Role.PSYCHOLOGIST: frozenset({Perm.VIEW_CENTER, Perm.VIEW_BENEFICIARIES}),
    Role.TRAINER: frozenset({Perm.VIEW_CENTER, Perm.VIEW_BENEFICIARIES}),
    Role.CENTER_MANAGER: frozenset(
        _FRONT_DESK | {Perm.MANAGE_ROOMS, Perm.VIEW_STAFF, Perm.MERGE_BENEFICIARIES}
    ),
    Role.NATIONAL_MANAGER: frozenset({Perm.VIEW_CENTER}),
    Role.DATA_PROTECTION_OFFICER: frozenset({Perm.VIEW_CENTER}),
}


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
