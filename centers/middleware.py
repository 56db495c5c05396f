from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect

from centers.models import Center, Membership
from centers.permissions import PLANNED_CENTER_PERMS, perms_for_roles


class CenterScopeMiddleware:
    """Resolve ``/c/<center>/…`` once per request.

    Sets ``request.center``, ``request.center_roles`` and ``request.center_perms``.
    A user with no role in that centre gets 404, exactly as for a centre that
    does not exist, so URLs reveal nothing about other centres.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.center = None
        request.center_roles = frozenset()
        request.center_perms = frozenset()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        code = view_kwargs.get("center")
        if code is None:
            return self._partner_landing(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        roles = frozenset(
            Membership.objects.filter(user=request.user)
            .filter(Q(center__code=code) | Q(center__isnull=True))
            .values_list("role", flat=True)
        )
        if not roles:
            raise Http404
        try:
            request.center = Center.objects.get(code=code)
        except Center.DoesNotExist:
            raise Http404 from None
        request.center_roles = roles
        request.center_perms = perms_for_roles(roles)
        if request.center.status == Center.Status.PLANNED:
            request.center_perms &= PLANNED_CENTER_PERMS
        return None

    @staticmethod
    def _partner_landing(request):
        """A partner's focal point holds no membership, so every centre answers 404 above; the home page, which
        lists one's centres, sends them to their organisation's referrals instead (and so does logging in).

        The focal point is ``cases.PartnerFocalPoint``; centers sits above cases (DESIGN.md) and asks the user
        for its one-to-one row rather than importing the model. Only on the home page: one query there."""
        match = request.resolver_match
        if match is None or match.view_name != "home" or not request.user.is_authenticated:
            return None
        if hasattr(request.user, "partner_focal_point"):
            return redirect("partner:referrals")
        return None
