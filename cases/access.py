"""Reaching case files, goals, referrals and transfers by id (centers.access)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from centers.access import get_scoped
from centers.models import Role
from centers.permissions import Perm, perms_for_roles

from . import selectors
from .models import Case, CaseGoal, PartnerFocalPoint, Referral, ServicePoint, Transfer


def access_case(request, pk) -> Case:
    return get_scoped(
        Case.objects.select_related("beneficiary", "caseworker", "supervisor"), center=request.center, pk=pk
    )


def access_goal(request, pk) -> CaseGoal:
    return get_scoped(CaseGoal.objects.select_related("case"), center=request.center, pk=pk)


def access_referral(request, pk) -> Referral:
    return get_scoped(Referral.objects.select_related("case"), center=request.center, pk=pk)


def access_transfer_to_decide(request, pk) -> Transfer:
    """Only transfers *to* the centre of the URL are answered there."""
    return get_scoped(Transfer.objects.all(), center=request.center, pk=pk)


def access_service_point(request, pk) -> ServicePoint:
    """A service point the centre of the URL keeps (every centre reads the directory; the one that keeps a
    point changes it)."""
    return get_scoped(ServicePoint.objects.select_related("partner"), center=request.center, pk=pk)


def require_partner_perm(perm: Perm):
    """Pages under /partner/: 403 unless the user is the focal point of an active partner and that role
    grants ``perm``. Sets ``request.partner``: every record on those pages is reached through it."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            focal_point = (
                PartnerFocalPoint.objects.select_related("partner")
                .filter(user=request.user, partner__is_active=True)
                .first()
            )
            if focal_point is None or perm not in perms_for_roles({Role.PARTNER_FOCAL_POINT}):
                raise PermissionDenied
            request.partner = focal_point.partner
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator


def access_partner_referral(request, pk) -> Referral:
    """A referral addressed to the focal point's organisation that it may still see; 404 for any other,
    another organisation's or one whose consent was withdrawn alike."""
    referral = selectors.referrals_for_partner(partner=request.partner).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral
