from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Files kept on a person's profile and on a case (identity documents, consent forms, medical letters…)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
