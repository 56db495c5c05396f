from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Login, two-factor, sessions, lockout and staff accounts."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from . import security  # noqa: F401 - registers on import
