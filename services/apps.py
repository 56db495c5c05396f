from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Service categories, activities, sessions, enrolment, attendance, one-to-one services, the desk."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "services"

    def ready(self):
        from audit import recorder

        for name in ("Enrollment", "Attendance", "ServiceDelivery", "CheckIn", "DeskMessage"):
            recorder.register(f"services.{name}", label=f"services.{name.lower()}")

        from . import panels, start  # noqa: F401 - register on import
