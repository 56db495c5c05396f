from django.urls import path

from . import pages

# The centre manager's view of the API: webhook deliveries for the centre's referrals.
app_name = "api_center"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("api/webhooks/", pages.deliveries, name="deliveries"),
]
