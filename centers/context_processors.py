from django.utils.functional import SimpleLazyObject

from centers.models import Center
from centers.permissions import request_national_perms


def navigation(request):
    """What the navigation bar needs: the user's centres and what they may do in this one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # Lazy: evaluated only by templates that show the centre switcher.
        "nav_centers": Center.objects.visible_to(user).only("code", "name"),
        "current_center": getattr(request, "center", None),
        "center_perms": getattr(request, "center_perms", frozenset()),
        # Lazy: read only outside a centre, where the national menu shows (national pages read it anyway).
        "national_nav_perms": SimpleLazyObject(lambda: request_national_perms(request)),
    }
