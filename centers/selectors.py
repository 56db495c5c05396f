"""Reads shared by centre pages."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from centers.models import CENTER_ROLES, Center, Membership, Room


def center_list_for(*, user) -> QuerySet[Center]:
    return Center.objects.visible_to(user).annotate(
        room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True)
    )


def room_list(*, center: Center) -> QuerySet[Room]:
    return Room.objects.in_center(center)


def active_staff(*, center: Center, roles=CENTER_ROLES):
    """Users with an active account and one of ``roles`` here (national roles are not a centre's staff)."""
    return (
        get_user_model()
        .objects.filter(memberships__center=center, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def staff_list(*, center: Center) -> QuerySet[Membership]:
    return (
        Membership.objects.in_center(center)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )


def national_roles(*, user) -> frozenset[str]:
    """The user's roles over every centre (memberships with no centre)."""
    return frozenset(user.memberships.filter(center__isnull=True).values_list("role", flat=True))
