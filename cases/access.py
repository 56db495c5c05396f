"""Reaching case files, goals, referrals and transfers by id (centers.access)."""

from centers.access import get_scoped

from .models import Case, CaseGoal, Referral, Transfer


def access_case(request, pk) -> Case:
    return get_scoped(
        Case.objects.select_related("beneficiary", "caseworker", "supervisor"), center=request.center, pk=pk
    )


def access_goal(request, pk) -> CaseGoal:
    return get_scoped(CaseGoal.objects.select_related("case"), center=request.center, pk=pk)


def access_referral(request, pk) -> Referral:
    return get_scoped(Referral.objects.select_related("case"), center=request.center, pk=pk)


def access_transfer_to_decide(request, pk) -> Transfer:
    """Only transfers *to* the centre of the URL are answered there."""
    return get_scoped(Transfer.objects.all(), center=request.center, pk=pk)
