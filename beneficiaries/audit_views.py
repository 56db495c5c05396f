from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from centers.models import Role

from .models import AccessLog


@login_required
def access_log(request):
    """Who opened which record: for the data protection officer only. Read-only."""
    if not request.user.memberships.filter(role=Role.DATA_PROTECTION_OFFICER).exists():
        raise PermissionDenied
    entries = AccessLog.objects.select_related("user", "beneficiary", "center").order_by("-at")
    number = request.GET.get("number", "").strip().upper()
    if number:
        entries = entries.filter(beneficiary__registration_number=number)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "cases/access_log.html", {"page": page, "number": number})
