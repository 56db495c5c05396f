"""The profile's panel of activities, attendance, one-to-one services and desk messages."""

from beneficiaries import panels

from .selectors import person_services


def _context(request, person) -> dict:
    return person_services(person=person, center=request.center)


panels.register("services", order=20, template="services/_person_services.html", context=_context)
