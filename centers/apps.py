from django.apps import AppConfig


class CentersConfig(AppConfig):
    """Centres, rooms, memberships, the role → permission table and centre scoping."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "centers"
