from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    # National pages: national managers plan the network.
    path("national/planning/", views.center_list, name="centers"),
    path("national/planning/new/", views.center_create, name="center_create"),
    path("national/planning/centres/<str:code>/", views.center_edit, name="center_edit"),
    path("national/planning/centres/<str:code>/open/", views.center_open, name="center_open"),
    path("national/planning/scenario/", views.scenario, name="scenario"),
    path("national/planning/scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("national/planning/compare/", views.compare, name="compare"),
    # Under /c/<center>/: the centre's plan beside its actual figures.
    path("c/<str:center>/planning/plan-vs-actual/", views.plan_actual, name="plan_actual"),
]
