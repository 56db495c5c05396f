from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centers.permissions import Perm, require_perm
from finance import services
from finance.forms import CostForm, CostImportForm
from finance.models import CostEntry


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
    form = CostImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.costs_import(center=request.center, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("%(count)d costs imported.") % {"count": count})
            return redirect("finance:costs", center=request.center.code)
    return render(request, "finance/costs_import.html", {"form": form})
