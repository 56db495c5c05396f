from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Consent to be contacted, message templates, the outbox and the SMS/WhatsApp backends."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"

    def ready(self):
        from audit import recorder

        for name in ("ContactPreference", "Message", "Broadcast"):
            recorder.register(f"messaging.{name}", label=f"messaging.{name.lower()}")

        from . import panels, receivers  # noqa: F401 - register on import
