"""Consent to be contacted (its channel and language), broadcasts and the outbox: one row per message."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beneficiaries.models import Beneficiary
from centers.models import Center, CenterScopedQuerySet
from services.models import Activity, ServiceCategory


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ContactPreference(models.Model):
    """How a person wants to be reached. The consent itself is the ``contact`` scope of their Consent."""

    beneficiary = models.OneToOneField(
        Beneficiary, on_delete=models.CASCADE, related_name="contact_preference"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.SMS)
    language = models.CharField(_("language of messages"), max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.channel} {self.language}"


class Broadcast(models.Model):
    """A centre manager's message to an audience: its rows in the outbox point back here."""

    class Audience(models.TextChoices):
        ACTIVITY = "activity", _("People enrolled in an activity")
        CATEGORY = "category", _("People enrolled in a category of service")
        NEIGHBOURHOOD = "neighbourhood", _("People living in a neighbourhood")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, null=True, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    template = models.CharField(_("message"), max_length=32)
    note = models.CharField(_("text"), max_length=300, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(unique=True, editable=False)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.center_id} {self.get_audience_display()} {self.created_at:%Y-%m-%d}"


class MessageQuerySet(CenterScopedQuerySet):
    def charged(self):
        """The messages the provider bills: those it accepted."""
        return self.filter(status__in=[Message.Status.SENT, Message.Status.DELIVERED])


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    # A context of its own: "to" is also the end of a period elsewhere, a different word in Turkish and Arabic.
    to = models.CharField(pgettext_lazy("message recipient", "to"), max_length=20)  # E.164
    language = models.CharField(_("language"), max_length=8)
    template = models.CharField(_("message"), max_length=32)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=255, blank=True)
    # The same notice is never queued twice for a person ("session-cancelled:<session>:<person>").
    dedup_key = models.CharField(max_length=120)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    send_after = models.DateTimeField(_("not before"), default=timezone.now)  # quiet hours push it to morning
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    # The price when sent: a later change of SMS_PRICE_USD does not rewrite past months.
    cost_usd = models.DecimalField(max_digits=8, decimal_places=4, default=0)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["dedup_key"], name="one_message_per_notice")]
        indexes = [
            models.Index(fields=["center", "created_at"], name="message_center_created"),
            models.Index(fields=["status", "send_after"], name="message_due"),
            models.Index(fields=["beneficiary", "created_at"], name="message_person_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.beneficiary_id} ({self.status})"


class MonthlyCost(models.Model):
    """The cost entry a month's messages were written to, so a rerun corrects it instead of adding one."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    cost_entry = models.OneToOneField("finance.CostEntry", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="one_message_cost_per_center_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="message_cost_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.month:%Y-%m}"
