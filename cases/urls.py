from django.urls import path

from cases import views as views
from cases.views import directory

app_name = "cases"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/supervision/", views.supervision, name="supervision"),
    path("partners/", views.partners, name="partners"),
    path("directory/", directory.directory, name="directory"),
    path("directory/new/", directory.service_point_create, name="service_point_create"),
    path("directory/import/", directory.service_points_import, name="service_points_import"),
    path("directory/<int:pk>/", directory.service_point_edit, name="service_point_edit"),
    path("people/<int:pk>/cases/new/", views.case_open, name="open"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path("cases/<int:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/done/", views.goal_done, name="goal_done"),
    path("cases/<int:pk>/notes/new/", views.note_add, name="note_add"),
    path("cases/<int:pk>/psychologists/", views.psychologists_set, name="psychologists_set"),
    path("cases/<int:pk>/referrals/new/", views.referral_add, name="referral_add"),
    path("referrals/<int:pk>/letter.pdf", views.referral_letter, name="referral_letter"),
    # Before the <action> route, which would otherwise take "appointment" as an action.
    path("referrals/<int:pk>/appointment/", views.referral_appointment, name="referral_appointment"),
    path("referrals/<int:pk>/declined/", views.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("referrals/<int:pk>/<str:action>/", views.referral_advance, name="referral_advance"),
    path("cases/<int:pk>/close/", views.close_request, name="close_request"),
    path("cases/<int:pk>/close/<str:decision>/", views.close_decide, name="close_decide"),
    path("cases/<int:pk>/transfer/", views.transfer_request, name="transfer_request"),
    path("transfers/<int:pk>/<str:decision>/", views.transfer_decide, name="transfer_decide"),
]
