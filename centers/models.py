import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    TRAINER = "trainer", _("Trainer")
    CENTER_MANAGER = "center_manager", _("Centre manager")
    NATIONAL_MANAGER = "national_manager", _("National manager")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


#: Roles whose scope is every centre; their memberships carry no centre.
NATIONAL_ROLES = frozenset({Role.NATIONAL_MANAGER, Role.DATA_PROTECTION_OFFICER})
CENTER_ROLES = frozenset(set(Role) - NATIONAL_ROLES)


class CenterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CenterQuerySet":
        """Centres the user may enter: their own, or all for a national role."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        # Superusers keep reference data in the admin; they see people's
        # records only through a membership, like everyone else.
        if user.memberships.filter(center__isnull=True).exists():
            return self.all()
        return self.filter(memberships__user=user).distinct()


class Center(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3,8}$", _("Use 3 to 8 capital letters, e.g. ANK."))],
    )
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=80)
    address = models.CharField(_("address"), max_length=255, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    opens_at = models.TimeField(_("opens at"), default=dt.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=dt.time(18, 0))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="center_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("The centre must close after it opens.")})
        if self.status == self.Status.OPEN and not self.opened_on:
            raise ValidationError({"opened_on": _("An open centre needs an opening date.")})


class CenterScopedQuerySet(models.QuerySet):
    """Base queryset for every model that belongs to a centre.

    ``visible_to`` is the one place that decides which rows a user may see;
    views and selectors start from it instead of filtering by hand.
    """

    center_lookup = "center"

    def in_center(self, center: Center):
        return self.filter(**{self.center_lookup: center})

    def visible_to(self, user):
        return self.filter(**{f"{self.center_lookup}__in": Center.objects.visible_to(user)})


class Room(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=80)
    floor = models.SmallIntegerField(_("floor"), default=0)
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)], default=10)
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["center", "floor", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="room_name_unique_in_center"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.center_id and self.floor >= self.center.floors:
            raise ValidationError(
                {
                    "floor": _("This centre has %(floors)d floors (0 is the ground floor).")
                    % {"floors": self.center.floors}
                }
            )


class Membership(models.Model):
    """A user's role in one centre, or in every centre for a national role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("centre"),
        help_text=_("Empty for national roles, which cover every centre."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["center__code", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "center", "role"], name="membership_unique_role_in_center"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(center__isnull=True),
                name="membership_unique_national_role",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in NATIONAL_ROLES), center__isnull=True)
                    | (~Q(role__in=sorted(r.value for r in NATIONAL_ROLES)) & Q(center__isnull=False))
                ),
                name="membership_center_matches_role_scope",
            ),
        ]

    def __str__(self) -> str:
        where = self.center.code if self.center_id else _("all centres")
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self) -> None:
        if self.role in NATIONAL_ROLES and self.center_id:
            raise ValidationError({"center": _("National roles cover every centre: leave the centre empty.")})
        if self.role and self.role not in NATIONAL_ROLES and not self.center_id:
            raise ValidationError({"center": _("This role belongs to one centre: choose it.")})


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
