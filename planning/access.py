"""One helper per entity: a national page reaches a planned centre or a scenario through these (404 if none)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from centers.models import Center

from .models import Scenario


def access_planned_center(request, code: str) -> Center:
    """A planned centre, or one opened from a plan (its plan is read, no longer changed)."""
    return get_object_or_404(
        Center.objects.filter(Q(status=Center.Status.PLANNED) | Q(plan__isnull=False)).distinct(), code=code
    )


def access_scenario(request, pk: int) -> Scenario:
    return get_object_or_404(Scenario.objects.select_related("created_by"), pk=pk)
