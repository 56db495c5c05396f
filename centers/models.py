import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    TRAINER = "trainer", _("Trainer")
    CENTER_MANAGER = "center_manager", _("Centre manager")
    NATIONAL_MANAGER = "national_manager", _("National manager")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    PARTNER_FOCAL_POINT = "partner_focal_point", _("Partner focal point")


#: Roles whose scope is every centre; their memberships carry no centre.
NATIONAL_ROLES = frozenset({Role.NATIONAL_MANAGER, Role.DATA_PROTECTION_OFFICER})
#: Roles held in a partner organisation, never in a centre: no membership at all (cases.PartnerFocalPoint).
PARTNER_ROLES = frozenset({Role.PARTNER_FOCAL_POINT})
CENTER_ROLES = frozenset(set(Role) - NATIONAL_ROLES - PARTNER_ROLES)


class CenterQuerySet(models.QuerySet):
    def counted(self) -> "CenterQuerySet":
        """Centres whose figures count nationally: open now or closed since. A centre closed later still
        appears in the months it was open (DESIGN.md); a planned one has no figures yet."""
        return self.exclude(status=Center.Status.PLANNED)

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

    ``in_center`` is the one place that scopes rows to a centre: ``center_lookup`` says where a model's
    centre is (``activity__center`` for a session). Views reach a single record only through
    ``centers.access.get_scoped`` (404 outside the centre); lists start from ``in_center`` in selectors.
    The centre itself is resolved and checked against the user's memberships once per request, by
    ``CenterScopeMiddleware``.
    """

    center_lookup = "center"

    def in_center(self, center: Center):
        return self.filter(**{self.center_lookup: center})


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
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in PARTNER_ROLES)),
                name="membership_never_a_partner_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.center.code if self.center_id else _("all centres")
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self) -> None:
        if self.role in PARTNER_ROLES:
            raise ValidationError(
                {"role": _("A partner's focal point belongs to their organisation, not to a centre.")}
            )
        if self.role in NATIONAL_ROLES and self.center_id:
            raise ValidationError({"center": _("National roles cover every centre: leave the centre empty.")})
        if self.role and self.role not in NATIONAL_ROLES and not self.center_id:
            raise ValidationError({"center": _("This role belongs to one centre: choose it.")})
