from django.urls import path

from . import listening_views, views

app_name = "services"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("today/", views.today, name="today"),
    path("desk-messages/<int:pk>/done/", views.desk_message_done, name="desk_message_done"),
    path("people/<int:pk>/desk-message/", views.desk_message_leave, name="desk_message_leave"),
    path("people/<int:pk>/services/new/", views.delivery_record, name="delivery_record"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("activities/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrollments/<int:pk>/<str:action>/", views.enrollment_change, name="enrollment_change"),
    path("enrollments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("sessions/<int:pk>/", views.register, name="register"),
    path("needs/", listening_views.needs_offer, name="needs_offer"),
    path("needs/export.<str:fmt>", listening_views.needs_offer_export, name="needs_offer_export"),
    path("outreach/", listening_views.visit_list, name="visit_list"),
    path("outreach/new/", listening_views.visit_create, name="visit_create"),
    path("outreach/<int:pk>/", listening_views.visit_detail, name="visit_detail"),
    path("outreach/<int:pk>/edit/", listening_views.visit_edit, name="visit_edit"),
    path("interviews/<int:pk>/remove/", listening_views.interview_remove, name="interview_remove"),
    path("outreach/form.xlsx", listening_views.xlsform_download, name="xlsform"),
    path("outreach/import/", listening_views.interview_import, name="interview_import"),
    path("feedback/", listening_views.feedback_list, name="feedback_list"),
    path("feedback/new/", listening_views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", listening_views.feedback_detail, name="feedback_detail"),
]
