from django.urls import path

from . import views

app_name = "reports"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/dashboard/", views.center_dashboard, name="dashboard"),
    path("reports/<int:pk>/", views.run, name="run"),
    path("reports/<int:pk>/download.<str:fmt>", views.download, name="download"),
]
