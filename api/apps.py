from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API for partners and donors: API clients and their tokens, endpoints, webhooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"

    def ready(self):
        from cases import signals

        from . import schema, webhooks  # noqa: F401 - schema registers on import

        signals.referral_sent.connect(webhooks.on_referral_sent, dispatch_uid="api-referral-sent")
        signals.referral_withdrawn.connect(
            webhooks.on_referral_withdrawn, dispatch_uid="api-referral-withdrawn"
        )
