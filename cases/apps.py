from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Case files, plans, follow-ups, confidential notes, referrals, transfers, partners."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self):
        from audit import recorder

        names = ("Case", "CaseGoal", "FollowUp", "ConfidentialNote", "Referral", "Transfer")
        for name in (*names, "ServicePoint", "PartnerFocalPoint"):
            recorder.register(f"cases.{name}", label=f"cases.{name.lower()}")

        from accounts import roles
        from centers.models import Role

        from . import panels, services, start  # noqa: F401 - register on import
        from .models import PartnerFocalPoint

        roles.register(
            Role.PARTNER_FOCAL_POINT,
            create=services.partner_focal_point_create,
            holds=lambda user: PartnerFocalPoint.objects.filter(user=user).exists(),
        )
