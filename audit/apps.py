from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail and the access log; each app registers what it audits from its own ready()."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import recorder, roles

        post_migrate.connect(roles.grant_app_role, sender=self, dispatch_uid="audit-grant-app-role")

        recorder.connect_authentication()
        # Who may see what: memberships and accounts (named by label, so audit imports no app above it).
        recorder.register("centers.Membership", label="centers.membership", access=True)
        recorder.register("auth.User", label="auth.user", access=True)

        from . import start  # noqa: F401 - registers the DPO's start-page panel on import
