from django.urls import path

from . import views

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
]
