from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    """People, households, consent, duplicate detection, search, cards, merges."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "beneficiaries"

    def ready(self):
        from audit import recorder

        for name in (
            "Beneficiary",
            "Household",
            "Consent",
            "RegistrationAlias",
            "DuplicateDecision",
            "MergeRequest",
        ):
            recorder.register(f"beneficiaries.{name}", label=f"beneficiaries.{name.lower()}")

        from . import start  # noqa: F401 - registers its start-page panel on import
