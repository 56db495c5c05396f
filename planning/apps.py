from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planned centres and their plans, listening before opening, and what opening does (scenarios)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
