"""Reaching finance records by id (centers.access)."""

from centers.access import get_scoped

from .models import CostEntry, CostImport


def access_cost_import(request, pk) -> CostImport:
    """An import of the centre in the URL; another centre's answers 404 like one that does not exist."""
    return get_scoped(CostImport.objects.select_related("requested_by"), center=request.center, pk=pk)


def access_cost(request, pk) -> CostEntry:
    return get_scoped(CostEntry.objects.select_related("funding_source"), center=request.center, pk=pk)
