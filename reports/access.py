"""Reaching a report run by id: a centre's runs under its URL, the nation's on the national pages."""

from django.shortcuts import get_object_or_404

from centers.access import get_scoped

from .models import ReportRun


def access_report_run(request, pk, *, done: bool = False) -> ReportRun:
    """A run of the centre in the URL: a centre manager never reaches another centre's or the nation's."""
    runs = ReportRun.objects.filter(status=ReportRun.Status.DONE) if done else ReportRun.objects.all()
    return get_scoped(runs, center=request.center, pk=pk)


def access_national_report_run(pk, *, done: bool = False) -> ReportRun:
    runs = ReportRun.objects.filter(scope="national")
    if done:
        runs = runs.filter(status=ReportRun.Status.DONE)
    return get_object_or_404(runs, pk=pk)
