"""Money: funding sources, monthly exchange rates and each centre's costs."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centers.models import Center, CenterScopedQuerySet
from core.imports import ImportStatus, upload_path


class Currency(models.TextChoices):
    TRY = "TRY", _("Turkish lira")
    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")


class FundingSource(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    donor = models.CharField(_("donor"), max_length=160)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.USD)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="funding_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """How many units of a currency one US dollar buys in a month (first day of the month)."""

    month = models.DateField(_("month"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency)
    per_usd = models.DecimalField(
        _("units per US dollar"), max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-month", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["month", "currency"], name="one_rate_per_month_currency"),
            models.CheckConstraint(condition=Q(month__day=1), name="rate_month_is_first_day"),
            models.CheckConstraint(condition=Q(per_usd__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.currency} {self.per_usd}"


class CostEntry(models.Model):
    class Type(models.TextChoices):
        STAFF = "staff", _("Staff")
        RENT = "rent", _("Rent")
        UTILITIES = "utilities", _("Utilities")
        MATERIALS = "materials", _("Materials")
        TRANSPORT = "transport", _("Transport")
        OTHER = "other", _("Other")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="costs", verbose_name=_("centre")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    type = models.CharField(_("type"), max_length=12, choices=Type)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.TRY)
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="costs", verbose_name=_("funding source")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "center", "type"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        indexes = [models.Index(fields=["center", "month"], name="cost_center_month")]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="cost_month_is_first_day")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.month:%Y-%m} {self.get_type_display()} {self.amount} {self.currency}"


class CostImport(models.Model):
    """One upload of costs, imported by a Celery task: the stored file until it ends, progress, the result."""

    Status = ImportStatus

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=255)  # as sent, for the page; stored under another
    file = models.FileField(upload_to=upload_path, blank=True)  # deleted when the import ends
    language = models.CharField(max_length=10)  # problems are written in the language of who sent the file
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    imported = models.PositiveIntegerField(_("costs imported"), default=0)
    problems = models.JSONField(default=list, blank=True)  # ["Row 3: …", …]
    error = models.TextField(blank=True)  # why it failed, for the team
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cost import")
        verbose_name_plural = _("cost imports")

    def __str__(self) -> str:
        return f"{self.center_id} {self.filename} ({self.status})"
