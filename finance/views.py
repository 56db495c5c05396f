from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centers.permissions import Perm, require_perm
from finance import services
from finance.access import access_cost, access_cost_import
from finance.forms import CostDeleteForm, CostEditForm, CostForm, CostImportForm
from finance.models import CostEntry, CostImport


@require_perm(Perm.MANAGE_COSTS)
def costs(request, center):
    form = CostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_record(center=request.center, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cost recorded."))
            return redirect("finance:costs", center=request.center.code)
    entries = CostEntry.objects.in_center(request.center).select_related("funding_source")[:120]
    return render(
        request, "finance/costs.html", {"form": form, "entries": entries, "import_form": CostImportForm()}
    )


@require_perm(Perm.MANAGE_COSTS)
def costs_import(request, center):
    """The file is checked here (SpreadsheetField) and imported by a task; the job's page follows it."""
    form = CostImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.cost_import_request(
            center=request.center, by=request.user, upload=form.cleaned_data["file"]
        )
        return redirect("finance:costs_import_job", center=request.center.code, pk=job.pk)
    jobs = CostImport.objects.in_center(request.center).select_related("requested_by")[:5]
    return render(request, "finance/costs_import.html", {"form": form, "jobs": jobs})


@require_perm(Perm.MANAGE_COSTS)
def costs_import_job(request, center, pk):
    return render(request, "finance/costs_import_job.html", {"job": access_cost_import(request, pk)})


@require_perm(Perm.MANAGE_COSTS)
def cost_edit(request, center, pk):
    entry = access_cost(request, pk)
    # The form gets a copy: a ModelForm writes its data onto its instance, and the service must see the change.
    form = CostEditForm(request.POST or None, instance=access_cost(request, pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.COST_FIELDS}
        try:
            services.cost_update(entry=entry, by=request.user, data=data, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cost corrected."))
            return redirect("finance:costs", center=request.center.code)
    return render(
        request, "finance/cost_edit.html", {"form": form, "entry": entry, "delete_form": CostDeleteForm()}
    )


@require_POST
@require_perm(Perm.MANAGE_COSTS)
def cost_delete(request, center, pk):
    entry = access_cost(request, pk)
    form = CostDeleteForm(request.POST)
    if form.is_valid():
        services.cost_delete(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Cost removed."))
    else:
        messages.error(request, _("Say why the cost is removed."))
    return redirect("finance:costs", center=request.center.code)
