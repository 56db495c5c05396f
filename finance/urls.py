from django.urls import path

from finance import views

app_name = "finance"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("costs/", views.costs, name="costs"),
    path("costs/import/", views.costs_import, name="costs_import"),
]
