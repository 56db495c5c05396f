"""Pages of the API app: its documentation, and the centre manager's view of webhook deliveries."""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from api import selectors
from api.models import WebhookDelivery
from centers.permissions import Perm, require_perm

# The centre manager's alone, as staff are: a permission of its own belongs in centers.permissions.
VIEW_DELIVERIES = Perm.VIEW_STAFF
PAGE_SIZE = 100


def docs(request):
    """Swagger UI from local files (drf-spectacular-sidecar), started by a static script: the site's
    Content-Security-Policy allows no inline script or style."""
    return render(request, "api/docs.html")


@require_perm(VIEW_DELIVERIES)
def deliveries(request, center):
    status = request.GET.get("status", "")
    status = status if status in WebhookDelivery.Status.values else ""
    since = timezone.now() - dt.timedelta(days=30)
    return render(
        request,
        "api/deliveries.html",
        {
            "deliveries": selectors.deliveries_of_center(center=request.center, status=status)[:PAGE_SIZE],
            "status": status,
            "statuses": WebhookDelivery.Status.choices,
            "summary": selectors.delivery_summary(center=request.center, since=since),
        },
    )
