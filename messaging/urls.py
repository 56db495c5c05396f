from django.urls import path

from . import views

app_name = "messaging"

# Included under /c/<center>/: CenterScopeMiddleware resolves the centre.
urlpatterns = [
    path("messages/", views.outbox, name="outbox"),
    path("messages/broadcast/", views.broadcast, name="broadcast"),
    path("messages/texts/", views.preview, name="preview"),
    path("people/<int:pk>/contact/", views.contact, name="contact"),
]
