from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reach, report runs built by Celery, schedules and dashboards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        from listening import selectors

        from .reach import reach

        # Needs versus offer shows who was reached; listening sits above reports, so reports lends it the count.
        selectors.count_reach_with(reach)

        from . import start  # noqa: F401 - registers its start-page panels on import
