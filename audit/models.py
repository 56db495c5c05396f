"""The audit trail and the access log: rows written once, never changed or deleted.

Both name the records they are about; neither imports the apps that own them (the access log points at a
person and a case by model name), so every app can record into them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center


class AppendOnly(models.Model):
    """Rows that are written once and never changed or deleted through the application."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name} is append-only.")


class AuditEvent(AppendOnly):
    """One thing done to personal data or to access: append-only, searched and exported by the DPO.

    It names objects by type and id and lists changed field *names*, never values, so erasing a
    person never needs to touch it. PostgreSQL refuses UPDATE and DELETE on this table (migration
    0003); the model refuses them in the application too.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported or downloaded")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGOUT = "logout", _("Logged out")
        TWO_FACTOR = "two_factor", _("Two-factor login")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Failed two-factor code")
        ACCESS_CHANGE = "access_change", _("Role or account change")
        ANONYMISE = "anonymise", _("Anonymised")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)  # as typed, for failed logins
    action = models.CharField(_("action"), max_length=20, choices=Action, db_index=True)
    object_type = models.CharField(_("record type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=40, blank=True, db_index=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("centre")
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}#{self.object_id}"


class AccessLog(AppendOnly):
    """Who opened which person's profile or case file, when, from where. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey("beneficiaries.Beneficiary", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.beneficiary_id} @ {self.at:%Y-%m-%d %H:%M}"
