from django.urls import path

from centers import views

app_name = "centers"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("centre/", views.about, name="about"),
    path("rooms/", views.room_list, name="room_list"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:pk>/", views.room_detail, name="room_detail"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("staff/", views.staff, name="staff"),
]
