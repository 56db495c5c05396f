from django.apps import AppConfig


class DemoConfig(AppConfig):
    """seed_demo, the demo data and the benchmark commands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
