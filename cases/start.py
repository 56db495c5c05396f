"""Start-page panels of case management (centers/start.py): each reads a fixed number of queries."""

from django.utils import timezone

from beneficiaries.models import MergeRequest
from centers import start
from centers.models import Role
from centers.permissions import Perm

from . import selectors
from .models import Case, Transfer

CASELOAD_SHOWN = 10
APPROVALS_SHOWN = 5


def _caseload(center, user) -> dict:
    """The head of the user's caseload, in the caseload's own order and with its flags (one query)."""
    cases = selectors.my_caseload(center=center, user=user, today=timezone.localdate())
    return {"cases": cases[:CASELOAD_SHOWN], "total": len(cases)}


def _overdue_referrals(center, user) -> dict:
    """Referrals of the user's cases (as caseworker or supervisor) that their partner has not answered in
    time (selectors.REFERRAL_ANSWER_DAYS). One query."""
    referrals = list(selectors.overdue_referrals(center=center, user=user, today=timezone.localdate()))
    return {"referrals": referrals[:CASELOAD_SHOWN], "total": len(referrals)}


def _approvals(center, user) -> dict:
    """What waits for the centre manager's decision: merges, transfers in, closures. Six queries."""
    merges = MergeRequest.objects.in_center(center).filter(status=MergeRequest.Status.REQUESTED)
    transfers = Transfer.objects.in_center(center).filter(status=Transfer.Status.REQUESTED)
    closures = Case.objects.in_center(center).filter(status=Case.Status.CLOSURE_REQUESTED)
    return {
        "merges": list(merges.select_related("survivor", "other", "from_center")[:APPROVALS_SHOWN]),
        "merge_count": merges.count(),
        "transfers": list(transfers.select_related("from_center").order_by("requested_at")[:APPROVALS_SHOWN]),
        "transfer_count": transfers.count(),
        "closures": list(closures.select_related("beneficiary", "caseworker")[:APPROVALS_SHOWN]),
        "closure_count": closures.count(),
    }


start.register(
    "caseload",
    roles={Role.SOCIAL_WORKER, Role.PSYCHOLOGIST},
    order=20,
    template="cases/start_caseload.html",
    context=_caseload,
    perm=Perm.VIEW_CASES,
)
start.register(
    "overdue_referrals",
    roles={Role.SOCIAL_WORKER, Role.CENTER_MANAGER},
    order=25,
    template="cases/start_overdue_referrals.html",
    context=_overdue_referrals,
    perm=Perm.VIEW_CASES,
)
start.register(
    "approvals",
    roles={Role.CENTER_MANAGER},
    order=30,
    template="cases/start_approvals.html",
    context=_approvals,
    perm=Perm.DECIDE_TRANSFERS,
)
