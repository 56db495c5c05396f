from django.urls import path

from . import views

app_name = "privacy"

# The data protection officer's pages, outside any centre: the audit trail, the access log, subject rights.
urlpatterns = [
    path("audit/", views.audit_events, name="audit_events"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/access/", views.access_log, name="access_log"),
    path("audit/people/", views.subject_search, name="subject_search"),
    path("audit/people/<int:pk>/", views.subject_detail, name="subject_detail"),
    path("audit/people/<int:pk>/export.<str:fmt>", views.subject_export, name="subject_export"),
    path("audit/people/<int:pk>/anonymise/", views.subject_anonymise, name="subject_anonymise"),
]
