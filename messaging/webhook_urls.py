from django.urls import path

from . import views

app_name = "messaging_hooks"

# Called by the provider: no login, no centre; each request is checked against its signature.
urlpatterns = [
    path("messaging/twilio/status/", views.twilio_status, name="twilio_status"),
    path("messaging/twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
]
