from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.recorder import record_export
from centers.permissions import Perm, require_national_perm, require_perm
from reports import services
from reports.access import access_national_report_run, access_report_run
from reports.dashboard import dashboard
from reports.dashboard import panels as dashboard_panels
from reports.forms import MonthForm
from reports.models import ReportRun


def _runs(request):
    """Reports of the centre in the URL: a centre manager never sees another centre's or the nation's here."""
    return ReportRun.objects.in_center(request.center)


def _center_urls(request):
    code = request.center.code
    return (
        lambda run: reverse("reports:run", kwargs={"center": code, "pk": run.pk}),
        lambda run, fmt: reverse("reports:download", kwargs={"center": code, "pk": run.pk, "fmt": fmt}),
    )


def _national_urls():
    return (
        lambda run: reverse("reports:national_report", kwargs={"pk": run.pk}),
        lambda run, fmt: reverse("reports:national_report_download", kwargs={"pk": run.pk, "fmt": fmt}),
    )


def _request_page(request, *, center, runs, urls):
    """The report list and the month form, for a centre or for the nation."""
    run_url, download_url = urls
    start, _end = services.last_month(timezone.localdate())
    form = MonthForm(request.POST or None, initial={"month": start})
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        run = services.report_request(
            center=center, start=start, end=end, by=request.user, language=translation.get_language()
        )
        if run.status == ReportRun.Status.QUEUED and run.sent_at is None:
            # The broker did not take it (it answered at once that it is down): the sweeper sends it later.
            messages.warning(request, _("The report is queued; it starts when the task queue is back."))
        else:
            messages.success(request, _("The report is being built; this page follows its progress."))
        return redirect(run_url(run))
    listed = list(runs.select_related("requested_by")[:30])
    now = timezone.now()
    for run in listed:
        run.url, run.xlsx_url, run.note = run_url(run), download_url(run, "xlsx"), _run_note(run, now)
    return render(request, "reports/index.html", {"form": form, "runs": listed, "national": center is None})


def _run_note(run, now) -> str:
    """What is happening to a run that a fault held up: the broker down, a worker lost, a build given up."""
    Status = ReportRun.Status
    if run.status == Status.QUEUED and run.attempts:
        if run.sent_at is None:
            return _("The build was interrupted; it starts again when the task queue is back.")
        return _("The build was interrupted; it is being started again.")
    if run.status == Status.QUEUED and run.sent_at is None:
        return _("Queued; it starts when the task queue is back.")
    if services.run_is_silent(run=run, now=now):
        return _("The build has stopped answering; it will be started again within a few minutes.")
    if run.status == Status.RUNNING and run.attempts > 1:
        return _("The build was interrupted; it has been started again (attempt %(attempt)s of %(max)s).") % {
            "attempt": run.attempts,
            "max": services.max_attempts(),
        }
    if run.status == Status.FAILED and run.error.startswith(services.INTERRUPTED):
        return ngettext(
            "The build was interrupted %(count)s time, so it was not started again.",
            "The build was interrupted %(count)s times, so it was not started again.",
            run.attempts,
        ) % {"count": run.attempts}
    return ""


def _language(request) -> str:
    """The language of a PDF or XLSX: the one asked for in the link, else the page's."""
    codes = [code for code, _name in settings.LANGUAGES]
    asked = request.GET.get("language", "")
    return (
        asked
        if asked in codes
        else translation.get_language()
        if translation.get_language() in codes
        else codes[0]
    )


def _run_page(request, report, urls):
    _run_url, download_url = urls
    language = _language(request)
    documents = [
        (_("Report (PDF)"), f"{download_url(report, 'pdf')}?language={language}", "btn-primary"),
        (_("Tables (XLSX)"), f"{download_url(report, 'xlsx')}?language={language}", "btn-outline-primary"),
        (_("Flat table (CSV)"), download_url(report, "csv"), "btn-outline-secondary"),
        (_("HXL for data exchange (CSV)"), download_url(report, "hxl"), "btn-outline-secondary"),
    ]
    others = [
        (
            translation.get_language_info(code)["name_local"],
            f"{download_url(report, 'pdf')}?language={code}",
            f"{download_url(report, 'xlsx')}?language={code}",
        )
        for code, _name in settings.LANGUAGES
        if code != language
    ]
    return render(
        request,
        "reports/run.html",
        {
            "run": report,
            "note": _run_note(report, timezone.now()),
            "downloads": documents,
            "other_languages": others,
            "national": report.center_id is None,
        },
    )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
}


def _download(request, report, fmt):
    """A file rendered once by the worker, served from storage (see services.report_file)."""
    if fmt not in CONTENT_TYPES or not (report.tables or report.data):
        raise Http404
    name, content = services.report_file(run=report, fmt=fmt, language=_language(request))
    record_export(report, f"report {fmt}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(Perm.VIEW_REPORTS)
def index(request, center):
    return _request_page(request, center=request.center, runs=_runs(request), urls=_center_urls(request))


@require_perm(Perm.VIEW_REPORTS)
def run(request, center, pk):
    return _run_page(request, access_report_run(request, pk), _center_urls(request))


@require_perm(Perm.VIEW_REPORTS)
def download(request, center, pk, fmt):
    return _download(request, access_report_run(request, pk, done=True), fmt)


# National managers only: the nation's reports and dashboard hold every centre's aggregates.
national_only = require_national_perm(Perm.VIEW_NATIONAL_REPORTS)


@national_only
def national_reports(request):
    return _request_page(
        request, center=None, runs=ReportRun.objects.filter(scope="national"), urls=_national_urls()
    )


@national_only
def national_report(request, pk):
    return _run_page(request, access_national_report_run(pk), _national_urls())


@national_only
def national_report_download(request, pk, fmt):
    return _download(request, access_national_report_run(pk, done=True), fmt)


@require_perm(Perm.VIEW_REPORTS)
def center_dashboard(request, center):
    today = timezone.localdate()
    context = dashboard(center=request.center, today=today)
    context["panels"] = dashboard_panels(center=request.center, today=today)
    return render(request, "reports/dashboard.html", context)


@national_only
def national_dashboard(request):
    """For national managers: every open centre, aggregates only."""
    return render(request, "reports/dashboard.html", dashboard(center=None, today=timezone.localdate()))
