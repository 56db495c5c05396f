from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Files kept on a person's profile and on a case (identity documents, consent forms, medical letters…)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"

    def ready(self):
        from audit import recorder

        recorder.register("documents.Document", label="documents.document")

        from beneficiaries import cards

        from . import panels  # noqa: F401 - register on import
        from .services import card_photo

        cards.card_photo_with(card_photo)
