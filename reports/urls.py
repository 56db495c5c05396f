from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    # Under /c/<center>/: CenterScopeMiddleware resolves the centre.
    path("c/<str:center>/reports/", views.index, name="index"),
    path("c/<str:center>/reports/dashboard/", views.center_dashboard, name="dashboard"),
    path("c/<str:center>/reports/<int:pk>/", views.run, name="run"),
    path("c/<str:center>/reports/<int:pk>/download.<str:fmt>", views.download, name="download"),
    # National pages, for national managers.
    path("national/dashboard/", views.national_dashboard, name="national_dashboard"),
    path("national/reports/", views.national_reports, name="national_reports"),
    path("national/reports/<int:pk>/", views.national_report, name="national_report"),
    path(
        "national/reports/<int:pk>/download.<str:fmt>",
        views.national_report_download,
        name="national_report_download",
    ),
]
