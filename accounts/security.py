"""Session limits, the two-factor requirement and no-store caching, as middleware.

Each answers a line of the data-protection issue: a session ends after 12 hours whatever the
activity (the 30-minute idle limit is the session cookie's age); managers, national roles and
superusers cannot reach any page but the two-factor ones until they have given a code; pages
about people are never kept in a browser's or proxy's cache.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import roles
from centers.models import Membership

SESSION_STARTED = "toplum_auth_started"


@receiver(user_logged_in, dispatch_uid="session-started")
def _session_started(sender, request, user, **kwargs):
    request.session[SESSION_STARTED] = int(time.time())


def requires_two_factor(user) -> bool:
    """Superusers and the roles in settings.TWO_FACTOR_ROLES must log in with a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_requires_two_factor", None)
    if cached is None:
        # One query for staff; only someone with no role in any centre (a partner's focal point) costs a second.
        held = set(Membership.objects.filter(user=user).values_list("role", flat=True)) or (
            roles.roles_held_outside_centres(user)
        )
        cached = bool(held & set(settings.TWO_FACTOR_ROLES))
        user._requires_two_factor = cached
    return cached


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SessionLimitMiddleware:
    """Ends a session 12 hours (SESSION_ABSOLUTE_SECONDS) after login, however active it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended after 12 hours. Please log in again."))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# Pages a user who still owes a second factor may reach.
OPEN_TO_UNVERIFIED = {"two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz"}


class TwoFactorRequiredMiddleware:
    """Sends a user who must use two-factor login to set it up, or to give a code, before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not requires_two_factor(user):
            return None
        match = request.resolver_match
        if match and match.url_name in OPEN_TO_UNVERIFIED:
            return None
        target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class NoStoreMiddleware:
    """No page or download is kept by a browser or a proxy cache: `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Static files never get here (WhiteNoise answers them first), so every response is a page or
        # a download that may hold personal data.
        add_never_cache_headers(response)
        return response
