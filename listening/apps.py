from django.apps import AppConfig


class ListeningConfig(AppConfig):
    """Outreach visits, needs interviews, feedback, the offline form, needs versus offer."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "listening"

    def ready(self):
        from audit import recorder

        for name in ("NeedsInterview", "Feedback"):
            recorder.register(f"listening.{name}", label=f"listening.{name.lower()}")

        from . import start  # noqa: F401 - registers its start-page panel on import
