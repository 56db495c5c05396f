from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Case files, plans, follow-ups, confidential notes, referrals, transfers, partners."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self):
        from audit import recorder

        for name in ("Case", "CaseGoal", "FollowUp", "ConfidentialNote", "Referral", "Transfer"):
            recorder.register(f"cases.{name}", label=f"cases.{name.lower()}")

        from . import panels, start  # noqa: F401 - register on import
