from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Consent to be contacted, message templates, the outbox and the SMS/WhatsApp backends."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"
