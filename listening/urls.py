from django.urls import path

from . import views

app_name = "listening"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("needs/", views.needs_offer, name="needs_offer"),
    path("needs/export.<str:fmt>", views.needs_offer_export, name="needs_offer_export"),
    path("outreach/", views.visit_list, name="visit_list"),
    path("outreach/new/", views.visit_create, name="visit_create"),
    path("outreach/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("outreach/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("interviews/<int:pk>/remove/", views.interview_remove, name="interview_remove"),
    path("outreach/form.xlsx", views.xlsform_download, name="xlsform"),
    path("outreach/import/", views.interview_import, name="interview_import"),
    path("outreach/imports/<int:pk>/", views.interview_import_job, name="interview_import_job"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
]
