"""Reads shared by centre pages."""

from django.db.models import Count, Q, QuerySet

from .models import Center, Membership, Room


def center_list_for(*, user) -> QuerySet[Center]:
    return Center.objects.visible_to(user).annotate(
        room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True)
    )


def room_list(*, center: Center) -> QuerySet[Room]:
    return Room.objects.in_center(center)


def staff_list(*, center: Center) -> QuerySet[Membership]:
    return (
        Membership.objects.in_center(center)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
