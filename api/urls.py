from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import pages, views

app_name = "api"

router = SimpleRouter()
router.register("referrals", views.ReferralViewSet, basename="referral")

# Included at /api/v1/. Every endpoint but the schema and its page needs a client's token (api/views.py).
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.docs, name="docs"),
    path("reach/monthly/", views.MonthlyReachView.as_view(), name="reach-monthly"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("service-points/", views.ServicePointListView.as_view(), name="service-points"),
    *router.urls,
]
