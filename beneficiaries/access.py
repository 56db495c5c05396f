"""Reaching a person or household by id: only among the centre's own (centers.access)."""

from centers.access import get_scoped

from .models import Beneficiary, Household, MergeRequest


def access_person(request, pk, *, active_only: bool = False) -> Beneficiary:
    """A person of the centre in the URL; ``active_only`` refuses merged-away and anonymised records too."""
    people = Beneficiary.objects.active() if active_only else Beneficiary.objects.all()
    return get_scoped(
        people.select_related("center", "household", "registered_by"), center=request.center, pk=pk
    )


def access_household(request, pk) -> Household:
    return get_scoped(Household.objects.all(), center=request.center, pk=pk)


def access_merge_request(request, pk) -> MergeRequest:
    """A merge asked of the centre in the URL (the one holding the other record)."""
    return get_scoped(MergeRequest.objects.select_related("survivor", "other"), center=request.center, pk=pk)
