from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API for partners and donors: API clients and their tokens, endpoints, webhooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
