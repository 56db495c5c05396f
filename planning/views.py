"""Pages of planning: planned centres and their plans, scenarios of openings, opening a centre, and a centre's
plan beside its actual figures."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centers.models import Center
from centers.permissions import Perm, require_national_perm, require_perm
from reports.costs import USD_RANGE
from services.models import ServiceCategory

from . import selectors, services
from .access import access_planned_center, access_scenario
from .charts import runway_chart
from .forms import (
    ActivityFormSet,
    CompareForm,
    CostFormSet,
    OpenForm,
    PlanCreateForm,
    PlanForm,
    PlannedCenterForm,
    ScenarioForm,
    ScenarioSaveForm,
    StaffFormSet,
)
from .models import CenterPlan

PLAN = Perm.PLAN_NETWORK


@require_national_perm(PLAN)
def center_list(request):
    return render(
        request,
        "planning/center_list.html",
        {"centers": selectors.planned_centers(), "scenarios": selectors.scenario_list()[:30]},
    )


def _kept(formset) -> list[dict]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
    ]


def _plan_page(request, center):
    plan = CenterPlan.objects.filter(center=center).first() if center else None
    data = request.POST if request.method == "POST" else None
    editable = center is None or center.status == Center.Status.PLANNED
    forms = {
        "center_form": PlannedCenterForm(data, instance=center, prefix="centre"),
        "plan_form": PlanForm(data, instance=plan, prefix="plan"),
        "activities": ActivityFormSet(data, instance=plan, prefix="activities"),
        "staff": StaffFormSet(data, instance=plan, prefix="staff"),
        "costs": CostFormSet(data, instance=plan, prefix="costs"),
    }
    token_form = PlanCreateForm(data) if data is not None else PlanCreateForm.fresh()
    if center is None and data is not None and token_form.is_valid():
        # A double submit: the first one created the centre (its code now taken), so show what it made.
        done = selectors.plan_by_token(token_form.cleaned_data["token"])
        if done is not None:
            return redirect("planning:center_edit", code=done.center.code)
    if data is not None and editable and all(f.is_valid() for f in forms.values()):
        token = token_form.cleaned_data["token"] if token_form.is_valid() else uuid.uuid4()
        try:
            saved = services.plan_save(
                center=center,
                center_data=forms["center_form"].cleaned_data,
                plan_data=forms["plan_form"].cleaned_data,
                activity_rows=_kept(forms["activities"]),
                staff_rows=_kept(forms["staff"]),
                cost_rows=_kept(forms["costs"]),
                token=None if center else token,
            )
        except ValidationError as exc:
            forms["plan_form"].add_error(None, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("planning:center_edit", code=saved.center.code)
    return render(
        request,
        "planning/center_form.html",
        {**forms, "center": center, "editable": editable, "token_form": token_form, "open_form": OpenForm()},
    )


@require_national_perm(PLAN)
def center_create(request):
    return _plan_page(request, None)


@require_national_perm(PLAN)
def center_edit(request, code):
    return _plan_page(request, access_planned_center(request, code))


@require_national_perm(PLAN)
@require_POST
def center_open(request, code):
    center = access_planned_center(request, code)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the centre opens."))
        return redirect("planning:center_edit", code=center.code)
    try:
        created = services.center_open(center=center, on=form.cleaned_data["opened_on"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planning:center_edit", code=center.code)
    messages.success(
        request,
        _("%(centre)s is open: %(n)d activities were created from its plan.")
        % {"centre": center.name, "n": len(created)},
    )
    return redirect("planning:center_edit", code=center.code)


def _result_context(openings: list, today) -> dict:
    rates, fx = selectors.observed_rates(today=today), selectors.exchange_rates(today=today)
    projection = selectors.scenario_projection(openings=openings, today=today, rates=rates, fx=fx)
    codes = [c.code for c, _m in openings]
    low, high = USD_RANGE
    rows = [
        {
            "row": row,
            "reach": [row.reach.get(code, 0) for code in codes],
            "balances": [(s.balance_without[i], s.balance_with[i]) for s in projection.sources],
            "outside": row.cost_per_person is not None and not low <= row.cost_per_person <= high,
        }
        for i, row in enumerate(projection.rows)
    ]
    rate_rows = [
        {
            "category": category,
            "attendance": round(100 * rates.attendance_of(category.code)),
            "repeat": round(100 * rates.repeat_of(category.code)),
            "default_attendance": category.code not in rates.attendance,
            "default_repeat": category.code not in rates.repeat,
            "per_contact": rates.per_contact_of(category.code).quantize(Decimal("0.01")),
            "repeat_one": round(100 * rates.repeat_one_of(category.code)),
            "default_per_contact": category.code not in rates.per_contact,
            "default_repeat_one": category.code not in rates.repeat_one,
        }
        for category in ServiceCategory.objects.all()
    ]
    return {
        "projection": projection,
        "rows": rows,
        "chart": runway_chart(projection.sources),
        "rates": rates,
        "rate_rows": rate_rows,
        "fx": fx,
        "usd_range": USD_RANGE,
        "codes": codes,
    }


def _planned():
    return list(Center.objects.filter(status=Center.Status.PLANNED).order_by("code"))


@require_national_perm(PLAN)
def scenario(request):
    """GET: what the chosen openings do. POST: save them under a name (once per token)."""
    centers = _planned()
    today = timezone.localdate()
    if request.method == "POST":
        form = ScenarioSaveForm(request.POST, centers=centers)
        if form.is_valid():
            saved = services.scenario_save(
                name=form.cleaned_data["name"],
                openings=form.openings(),
                by=request.user,
                token=form.cleaned_data["token"],
            )
            messages.success(request, _("Scenario saved."))
            return redirect("planning:scenario_detail", pk=saved.pk)
    else:
        form = ScenarioForm(request.GET or None, centers=centers)
    context = {"form": form, "token": uuid.uuid4(), "centers": centers}
    if form.is_bound and form.is_valid():
        context.update(_result_context(form.openings(), today))
    return render(request, "planning/scenario.html", context)


@require_national_perm(PLAN)
def scenario_detail(request, pk):
    saved = access_scenario(request, pk)
    context = {"scenario": saved, **_result_context(selectors.scenario_openings(saved), timezone.localdate())}
    return render(request, "planning/scenario_detail.html", context)


@require_national_perm(PLAN)
def compare(request):
    form = CompareForm(request.GET or None)
    columns = []
    if form.is_bound and form.is_valid():
        today = timezone.localdate()
        for saved in selectors.scenario_list().filter(pk__in=[s.pk for s in form.cleaned_data["scenarios"]]):
            projection = selectors.scenario_projection(
                openings=selectors.scenario_openings(saved), today=today
            )
            columns.append({"scenario": saved, "projection": projection, "last": projection.rows[-1]})
    return render(request, "planning/compare.html", {"form": form, "columns": columns})


@require_perm(Perm.VIEW_REPORTS)
def plan_actual(request, center):
    """The centre's plan beside what it did in its first months; a centre manager sees their own centre."""
    return render(
        request,
        "planning/plan_actual.html",
        {"comparison": selectors.plan_vs_actual(center=request.center, today=timezone.localdate())},
    )
