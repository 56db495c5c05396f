"""The one way a view reaches a record by its id.

``CenterScopeMiddleware`` has already answered 404 to a user with no role in the centre of the URL, and
``require_perm`` 403 to a role without the permission the view needs. What is left is the record itself:
``get_scoped`` finds it only among the centre's own (``in_center``), so a record of another centre answers
404 exactly like one that does not exist and an id reveals nothing (healthchecks' ``_get_check_for_user``,
Zulip's ``access_stream_by_id``). ``require_change`` answers 403 to a role that may see a record but not
change it. Each app's ``access.py`` names one helper per entity on top of these two.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .permissions import Perm


def get_scoped(queryset, *, center, pk, **filters):
    """The record ``pk`` of ``queryset`` if it belongs to ``center``; 404 otherwise."""
    return get_object_or_404(queryset.in_center(center), pk=pk, **filters)


def require_change(request, perm: Perm) -> None:
    """403 unless the user's roles in the centre of the URL grant ``perm``."""
    if perm not in getattr(request, "center_perms", frozenset()):
        raise PermissionDenied


def access_room(request, pk):
    from .models import Room

    return get_scoped(Room.objects.all(), center=request.center, pk=pk)
