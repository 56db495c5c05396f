from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Funding sources, exchange rates, costs and their import."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"
