"""Start-page panels of reports (centers/start.py): the centre's last report, and the way to the nation's."""

from centers import start
from centers.models import Role
from centers.permissions import Perm

from .models import ReportRun


def _last_report(center, user) -> dict:
    """The centre's latest report run and its status (one query); a failed one shows at once."""
    return {"run": ReportRun.objects.in_center(center).select_related("requested_by").first()}


def _national(center, user) -> dict:
    return {}


start.register(
    "last_report",
    roles={Role.CENTER_MANAGER},
    order=50,
    template="reports/start_last_report.html",
    context=_last_report,
    perm=Perm.VIEW_REPORTS,
)
start.register(
    "national",
    roles={Role.NATIONAL_MANAGER},
    order=10,
    template="reports/start_national.html",
    context=_national,
    perm=Perm.VIEW_NATIONAL_REPORTS,
)
