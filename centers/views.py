from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centers import selectors, services, start
from centers.access import access_room
from centers.forms import RoomForm
from centers.models import Role
from centers.permissions import Perm, perms_for_roles, require_perm


@login_required
def home(request):
    """Where a person lands: the national dashboard, the DPO's start page, or their centre's start page."""
    roles = selectors.national_roles(user=request.user)
    national = perms_for_roles(roles)
    if Perm.VIEW_NATIONAL_REPORTS in national:
        return redirect("reports:national_dashboard")
    if Perm.HANDLE_SUBJECT_REQUESTS in national:
        panels = start.panels_for(roles=roles, perms=national, center=None, user=request.user)
        return render(request, "centers/start.html", {"panels": panels})
    centers = list(selectors.center_list_for(user=request.user))
    if len(centers) == 1:
        return redirect("centers:dashboard", center=centers[0].code)
    return render(request, "centers/home.html", {"centers": centers})


@require_perm(Perm.VIEW_CENTER)
def dashboard(request, center):
    """My day: the panels the user's roles in this centre choose (centers/start.py)."""
    panels = start.panels_for(
        roles=request.center_roles, perms=request.center_perms, center=request.center, user=request.user
    )
    role_labels = sorted(Role(role).label for role in request.center_roles)
    return render(request, "centers/start.html", {"panels": panels, "role_labels": role_labels})


@require_perm(Perm.VIEW_CENTER)
def about(request, center):
    rooms = selectors.room_list(center=request.center).filter(is_active=True)
    role_labels = sorted(Role(role).label for role in request.center_roles)
    return render(request, "centers/about.html", {"rooms": rooms, "role_labels": role_labels})


@require_perm(Perm.VIEW_CENTER)
def room_list(request, center):
    return render(request, "centers/room_list.html", {"rooms": selectors.room_list(center=request.center)})


@require_perm(Perm.VIEW_CENTER)
def room_detail(request, center, pk):
    return render(request, "centers/room_detail.html", {"room": access_room(request, pk)})


def _room_form_page(request, form, room=None):
    return render(request, "centers/room_form.html", {"form": form, "room": room})


@require_perm(Perm.MANAGE_ROOMS)
def room_create(request, center):
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(center=request.center, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Room “%(name)s” added.") % {"name": room.name})
            return redirect("centers:room_detail", center=request.center.code, pk=room.pk)
    return _room_form_page(request, form)


@require_perm(Perm.MANAGE_ROOMS)
def room_edit(request, center, pk):
    room = access_room(request, pk)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(room=room, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Room “%(name)s” saved.") % {"name": room.name})
            return redirect("centers:room_detail", center=request.center.code, pk=room.pk)
    return _room_form_page(request, form, room)


@require_perm(Perm.VIEW_STAFF)
def staff(request, center):
    return render(request, "centers/staff.html", {"memberships": selectors.staff_list(center=request.center)})
