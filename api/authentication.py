"""Bearer tokens of API clients, scopes, and throttling per client (Django REST framework's hooks)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from api.models import ApiClient
from api.services import TokenInvalid, api_token_check

DEFAULT_RATE = "1000/hour"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer tpl_<prefix>_<secret>``. request.user is the ApiClient, request.auth the token.

    A missing, unknown, expired or revoked token, or one of an inactive client, answers 401 alike."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            token = api_token_check(text=header[1].decode("ascii"))
        except (TokenInvalid, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token.")) from None
        return token.client, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when the token is missing or refused.
        return f'{self.keyword} realm="api"'


class HasScope(permissions.BasePermission):
    """The client's scopes include the view's ``required_scope`` (or the action's, in ``scopes_by_action``)."""

    message = _("This token does not have the scope this endpoint needs.")

    def has_permission(self, request, view):
        client = request.user
        if not isinstance(client, ApiClient):
            return False
        scope = getattr(view, "scopes_by_action", {}).get(getattr(view, "action", None)) or getattr(
            view, "required_scope", None
        )
        return scope is not None and client.has_scope(scope)


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """One bucket per API client, whichever of its tokens or addresses it calls from.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_client"], read at each call (so a change of
    settings applies without a restart of the class), DEFAULT_RATE when unset."""

    scope = "api_client"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or DEFAULT_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.user, ApiClient):
            return None  # refused by authentication before any work is done
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
