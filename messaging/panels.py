"""The profile's panel: consent to be contacted and the messages sent to the person."""

from beneficiaries import panels

from .selectors import person_messages


def _context(request, person) -> dict:
    return person_messages(person=person, center=request.center)


panels.register("messages", order=60, template="messaging/_person_messages.html", context=_context)
