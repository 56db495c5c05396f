"""The profile's case file panel: only for roles that may see cases."""

from beneficiaries import panels
from centers.permissions import Perm

from .models import Case


def _context(request, person) -> dict:
    if Perm.VIEW_CASES not in request.center_perms:
        return {"cases": None}
    return {
        "cases": list(
            Case.objects.in_center(request.center).filter(beneficiary=person).select_related("caseworker")
        )
    }


panels.register("cases", order=10, template="cases/_person_cases.html", context=_context)
