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


# Panels that apps below cases (documents) add to a case's page, as beneficiaries.panels does for the profile.
_case_panels: dict[str, panels.Panel] = {}


def register_case_panel(name: str, *, order: int, template: str, context) -> None:
    _case_panels[name] = panels.Panel(order=order, template=template, context=context)


def case_panels(request, case) -> tuple[list[str], dict]:
    """The templates to include on the case page, in order, and the context they read."""
    ordered = sorted(_case_panels.values(), key=lambda p: p.order)
    context: dict = {}
    for panel in ordered:
        context.update(panel.context(request, case))
    return [p.template for p in ordered], context
