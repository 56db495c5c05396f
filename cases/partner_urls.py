from django.urls import path

from cases.views import partner as views

# A partner organisation's focal points, outside any centre: the referrals addressed to their organisation.
app_name = "partner"

urlpatterns = [
    path("", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
]
