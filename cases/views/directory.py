"""The service directory: partners' service points, searched by social workers, kept by centre managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import selectors, services
from cases.access import access_service_point
from cases.forms import DirectorySearchForm, ServicePointForm, ServicePointImportForm
from centers.permissions import Perm, require_perm
from core.spreadsheets import read_table

# The directory is small (a few hundred points across the network): a file is read in the request.
IMPORT_MAX_ROWS = 2000
SHOWN = 200


@require_perm(Perm.VIEW_CASES)
def directory(request, center):
    search = DirectorySearchForm(request.GET or None)
    points = list(selectors.service_points(**search.filters())[: SHOWN + 1])
    return render(
        request,
        "cases/directory.html",
        {"search": search, "points": points[:SHOWN], "more": len(points) > SHOWN},
    )


def _point_form_page(request, form, point=None):
    if request.method == "POST" and form.is_valid():
        try:
            point = services.service_point_save(center=request.center, point=point, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service point “%(name)s” saved.") % {"name": point.name})
            return redirect("cases:directory", center=request.center.code)
    return render(request, "cases/service_point_form.html", {"form": form, "point": point})


@require_perm(Perm.MANAGE_DIRECTORY)
def service_point_create(request, center):
    return _point_form_page(request, ServicePointForm(request.POST or None))


@require_perm(Perm.MANAGE_DIRECTORY)
def service_point_edit(request, center, pk):
    point = access_service_point(request, pk)
    return _point_form_page(request, ServicePointForm(request.POST or None, instance=point), point)


@require_perm(Perm.MANAGE_DIRECTORY)
def service_points_import(request, center):
    """All rows or none: a wrong file comes back with every wrong row named."""
    form = ServicePointImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_table(form.cleaned_data["file"], max_rows=IMPORT_MAX_ROWS)
            counts = services.service_points_import(center=request.center, rows=rows, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Directory imported: %(created)d service points added, %(updated)d updated.") % counts,
            )
            return redirect("cases:directory", center=request.center.code)
    return render(request, "cases/service_point_import.html", {"form": form, "errors": errors})
