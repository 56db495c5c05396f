from django.urls import path

from finance import views

app_name = "finance"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("costs/", views.costs, name="costs"),
    path("costs/<int:pk>/edit/", views.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    path("costs/import/", views.costs_import, name="costs_import"),
    path("costs/imports/<int:pk>/", views.costs_import_job, name="costs_import_job"),
]
