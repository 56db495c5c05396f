from django.urls import path  # noqa: F401

# The centre manager's view of the API: webhook deliveries for the centre's referrals.
app_name = "api_center"

urlpatterns: list = []
