from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Subject-access export, anonymisation, retention and the DPO's pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its personal data in its own privacy.py.
        autodiscover_modules("privacy")
