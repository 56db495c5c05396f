from django.apps import AppConfig


class CoreConfig(AppConfig):
    """No models: PDFs, tables and their renderers, counting helpers, submission tokens, spreadsheets."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
