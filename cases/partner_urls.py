from django.urls import path  # noqa: F401

# A partner organisation's focal points, outside any centre: the referrals addressed to their organisation.
app_name = "partner"

urlpatterns: list = []
