from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Role
from centers.permissions import Perm, require_perm

from . import exports, services
from .dashboard import dashboard
from .forms import MonthForm
from .models import ReportRun


def _runs(request):
    """Reports of the centre in the URL: a centre manager never sees another centre's or the nation's here."""
    return ReportRun.objects.filter(scope=request.center.code)


@require_perm(Perm.VIEW_REPORTS)
def index(request, center):
    start, _end = services.last_month(timezone.localdate())
    form = MonthForm(request.POST or None, initial={"month": start})
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        run = services.report_request(center=request.center, start=start, end=end, by=request.user)
        messages.success(request, _("The report is being built; this page follows its progress."))
        return redirect("reports:run", center=request.center.code, pk=run.pk)
    return render(
        request,
        "reports/index.html",
        {"form": form, "runs": _runs(request).select_related("requested_by")[:30]},
    )


@require_perm(Perm.VIEW_REPORTS)
def run(request, center, pk):
    report = get_object_or_404(_runs(request), pk=pk)
    return render(request, "reports/run.html", {"run": report})


@require_perm(Perm.VIEW_REPORTS)
def download(request, center, pk, fmt):
    """Every format renders from the run's stored aggregate tables: one build, four files."""
    report = get_object_or_404(_runs(request), pk=pk, status=ReportRun.Status.DONE)
    if fmt not in exports.RENDERERS or not report.tables:
        raise Http404
    render_file, content_type = exports.RENDERERS[fmt]
    extension = "csv" if fmt == "hxl" else fmt
    name = f"{report.kind}-{report.scope}-{report.start:%Y-%m}{'-hxl' if fmt == 'hxl' else ''}.{extension}"
    response = HttpResponse(render_file(dict(report.tables)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(Perm.VIEW_REPORTS)
def center_dashboard(request, center):
    return render(
        request, "reports/dashboard.html", dashboard(center=request.center, today=timezone.localdate())
    )


@login_required
def national_dashboard(request):
    """For national managers: every open centre, aggregates only."""
    if not request.user.memberships.filter(role=Role.NATIONAL_MANAGER).exists():
        raise PermissionDenied
    return render(request, "reports/dashboard.html", dashboard(center=None, today=timezone.localdate()))
