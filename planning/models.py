"""A planned centre's plan (what it will open with, whom it needs, what it costs and who pays), and saved
scenarios of openings. Projections are computed when a scenario is shown (planning/projection.py), never
stored: a scenario saved in March reads April's rates when it is opened in April."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from centers.models import Center, Role
from finance.models import CostEntry, Currency, FundingSource
from services.models import Activity, Need, ServiceCategory

MAX_SESSIONS_A_WEEK = 6  # Monday to Saturday: the timetable lays them out one a day


class CenterPlan(models.Model):
    """What a planned centre will be when it opens. The centre itself (code, city, address, floors, area)
    lives in centers.Center; the plan adds what only matters before opening."""

    center = models.OneToOneField(
        Center, on_delete=models.CASCADE, related_name="plan", verbose_name=_("centre")
    )
    target_month = models.DateField(_("target opening month"), help_text=_("The first day of the month."))
    district = models.CharField(_("district"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["target_month", "center__code"]
        verbose_name = _("centre plan")
        verbose_name_plural = _("centre plans")
        constraints = [models.CheckConstraint(condition=Q(target_month__day=1), name="plan_month_first_day")]

    def __str__(self) -> str:
        return f"{self.center.code} {self.target_month:%Y-%m}"


class PlannedActivity(models.Model):
    plan = models.ForeignKey(CenterPlan, on_delete=models.CASCADE, related_name="activities")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Activity.Kind, default=Activity.Kind.GROUP)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    sessions_a_week = models.PositiveSmallIntegerField(
        _("sessions a week"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS_A_WEEK)],
    )
    starts_at = models.TimeField(_("from"), default=dt.time(10, 0))
    ends_at = models.TimeField(_("to"), default=dt.time(12, 0))
    room_name = models.CharField(_("room"), max_length=80, blank=True)
    need = models.CharField(_("need it answers"), max_length=24, choices=Need, blank=True, default="")

    # Read by listening's needs versus offer, beside real activities: nobody has taken a place yet.
    planned = True
    places_taken = 0
    waiting = 0

    class Meta:
        ordering = ["category__code", "name"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="planned_slot_in_order"),
            models.CheckConstraint(
                condition=Q(sessions_a_week__gte=1, sessions_a_week__lte=MAX_SESSIONS_A_WEEK),
                name="planned_sessions_a_week_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})


class PlannedStaff(models.Model):
    plan = models.ForeignKey(CenterPlan, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=32, choices=[(r.value, r.label) for r in Role])
    count = models.PositiveSmallIntegerField(
        _("people"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    monthly_cost = models.DecimalField(
        _("monthly cost per person"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.TRY)
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by")
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("planned staff")
        verbose_name_plural = _("planned staff")

    def __str__(self) -> str:
        return f"{self.count} × {self.get_role_display()}"


class PlannedCost(models.Model):
    """A monthly cost from the opening month on, or a one-off set-up cost paid in the opening month."""

    plan = models.ForeignKey(CenterPlan, on_delete=models.CASCADE, related_name="costs")
    type = models.CharField(_("type"), max_length=12, choices=CostEntry.Type)
    one_off = models.BooleanField(_("one-off set-up cost"), default=False)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.TRY)
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by")
    )
    note = models.CharField(_("note"), max_length=160, blank=True)

    class Meta:
        ordering = ["one_off", "type"]
        verbose_name = _("planned cost")
        verbose_name_plural = _("planned costs")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.amount} {self.currency}"


class Scenario(models.Model):
    """Named openings (a planned centre and a month, several), saved to compare; results are computed on view."""

    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


class ScenarioOpening(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="openings")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    month = models.DateField(_("opening month"))

    class Meta:
        ordering = ["month", "center__code"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "center"], name="scenario_opens_a_centre_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="opening_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.center.code}:{self.month:%Y-%m}"
