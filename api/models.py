"""API clients, their tokens and calls, and the webhooks that tell partner systems about referrals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AppendOnly
from cases.models import Partner, Referral
from centers.models import Center


class Scope(models.TextChoices):
    """What a token may do. Reading referrals returns people: only a partner organisation's client has it."""

    REFERRALS_READ = "referrals:read", _("Read the referrals addressed to the organisation")
    REFERRALS_WRITE = "referrals:write", _("Accept, decline and record the outcome of those referrals")
    REPORTS_READ = "reports:read", _("Read the monthly reach figures (aggregates only)")
    DIRECTORY_READ = "directory:read", _("Read the activity catalogue and the service directory")


# Scopes that reach people: they need the client to be a partner organisation.
PARTNER_SCOPES = {Scope.REFERRALS_READ, Scope.REFERRALS_WRITE}


class ApiClient(models.Model):
    """A system that calls the API: a partner organisation's, or a donor's or coordination body's (no partner)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("partner organisation"),
        help_text=_("Empty for a donor or coordination client: it then sees no referral."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.scopes) - set(Scope.values)
        if unknown:
            raise ValidationError({"scopes": _("Unknown scope: %(s)s.") % {"s": ", ".join(sorted(unknown))}})
        if set(self.scopes) & PARTNER_SCOPES and self.partner_id is None:
            raise ValidationError({"partner": _("Referral scopes need a partner organisation.")})

    # DRF's permission classes ask the authenticated "user" these.
    is_authenticated = True
    is_anonymous = False

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiToken(models.Model):
    """A bearer token ``tpl_<prefix>_<secret>``: the prefix finds the row, only the secret's SHA-256 is kept."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"tpl_{self.prefix}_…"

    def is_valid(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.client.is_active


class ApiCall(AppendOnly):
    """Every call of the API: which client, which endpoint, what it answered and which referrals it returned.
    Written once, never changed or deleted (the access log's rule)."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    endpoint = models.CharField(max_length=80)  # the URL name: "api:referral-detail"
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    records = models.PositiveIntegerField(default=0)  # rows (or aggregate rows) returned
    referral_ids = models.JSONField(default=list, blank=True)  # referrals, hence people, returned
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.client_id} {self.method} {self.endpoint} {self.status_code}"


class Event(models.TextChoices):
    REFERRAL_SENT = "referral.sent", _("A referral was sent to the organisation")
    REFERRAL_WITHDRAWN = "referral.withdrawn", _("A referral to the organisation was withdrawn")


class Webhook(models.Model):
    """A URL of a client's system that is told about its organisation's referrals, signed with ``secret``."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["client", "url"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.client} → {self.url}"

    def clean(self) -> None:
        unknown = set(self.events) - set(Event.values)
        if unknown:
            raise ValidationError({"events": _("Unknown event: %(e)s.") % {"e": ", ".join(sorted(unknown))}})
        allow_http = getattr(settings, "API_WEBHOOK_ALLOW_HTTP", settings.DEBUG)
        if self.url and not self.url.startswith("https://") and not allow_http:
            raise ValidationError({"url": _("A webhook URL must use https.")})


class WebhookDelivery(models.Model):
    """One event for one webhook: the outbox row the task sends, retries and finally marks delivered or failed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=32, choices=Event)
    # For the centre manager's page: the referral's centre, kept when the referral is gone.
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    payload = models.JSONField(_("payload"))  # ids and states only, never a person (see api/webhooks.py)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["center", "-created_at"], name="delivery_center_created"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False), name="delivered_has_a_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
