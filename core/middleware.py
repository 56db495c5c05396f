"""Requests no page can answer sensibly, refused before any view runs."""

from django.core.exceptions import BadRequest


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is never meant (PostgreSQL cannot even store one): 400.

    Form fields refuse NUL bytes themselves (Django's ProhibitNullCharactersValidator); this covers what
    reaches a view without a form: ``?q=``, ``?number=``, ``?user=``, a centre code in the path.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the address")
        return self.get_response(request)
