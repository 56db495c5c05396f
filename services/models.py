import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary, Sex
from centers.models import Center, CenterScopedQuerySet, Room


class ServiceCategory(models.Model):
    """The six categories of DESIGN.md, created by a data migration and never edited."""

    class Code(models.TextChoices):
        CHILDREN = "A", _("Children's programmes")
        ADULTS = "B", _("Adult services")
        SEMINARS = "C", _("Seminars")
        PSYCHOSOCIAL = "D", _("Psychosocial support")
        ORIENTATION = "E", _("Orientation and referral")
        FOLLOW_UP = "F", _("Case follow-up and cultural harmonisation")

    code = models.CharField(_("code"), max_length=1, choices=Code, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return f"{self.code} · {self.get_code_display()}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


MAX_ACTIVITY_DAYS = 2 * 366


class Need(models.TextChoices):
    """What people say they need (outreach interviews), and what an activity answers. Fixed: the
    needs-versus-offer page and the offline form (XLSForm) both rely on these codes."""

    LANGUAGE = "language", _("Language")
    VOCATIONAL = "vocational_training", _("Vocational training")
    EMPLOYMENT = "employment", _("Employment")
    CHILDREN_EDUCATION = "children_education", _("Children's education")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal_documentation", _("Legal and documentation")
    SHELTER = "shelter", _("Shelter")
    FOOD_CASH = "food_cash", _("Food and cash")
    SOCIAL_COHESION = "social_cohesion", _("Social cohesion")
    OTHER = "other", _("Other")


class Activity(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        GROUP = "group", _("Group activity")
        ONE_TO_ONE = "one_to_one", _("One-to-one service")

    class TargetSex(models.TextChoices):
        ANY = "any", _("Everyone")
        FEMALE = "female", _("Women and girls only")
        MALE = "male", _("Men and boys only")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="activities", verbose_name=_("centre")
    )
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.GROUP)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("room"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1)], null=True, blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    target_sex = models.CharField(_("for"), max_length=8, choices=TargetSex, default=TargetSex.ANY)
    needs_enrolment = models.BooleanField(_("needs enrolment"), default=True)
    need = models.CharField(
        _("need it answers"),
        max_length=24,
        choices=Need,
        blank=True,
        default="",
        db_default="",
        help_text=_("Ties the activity to what people said they need, on the needs-versus-offer page."),
    )
    completion_threshold = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For language and vocational courses. Leave empty when no certificate is given."),
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="activity_dates_in_order"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="activity_age_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            errors["ends_on"] = _("The activity must end after it starts.")
        elif self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > MAX_ACTIVITY_DAYS:
            # Every session of the period is created at once: a mistyped year would make thousands.
            errors["ends_on"] = _("An activity runs for two years at most; plan a new one after that.")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("The maximum age is below the minimum age.")
        if self.room_id and self.center_id and self.room.center_id != self.center_id:
            errors["room"] = _("This room belongs to another centre.")
        if self.room_id and self.capacity and self.capacity > self.room.capacity:
            errors["capacity"] = _("The room holds %(capacity)d people.") % {"capacity": self.room.capacity}
        if errors:
            raise ValidationError(errors)

    def eligibility_error(self, person: Beneficiary, on: dt.date) -> str | None:
        """Why ``person`` may not take part, in words for the desk; None when they may."""
        age = person.age_on(on)
        if self.min_age is not None and age < self.min_age:
            return _("%(name)s is %(age)d; this activity is for ages %(min)d and over.") % {
                "name": person.full_name,
                "age": age,
                "min": self.min_age,
            }
        if self.max_age is not None and age > self.max_age:
            return _("%(name)s is %(age)d; this activity is for ages up to %(max)d.") % {
                "name": person.full_name,
                "age": age,
                "max": self.max_age,
            }
        if self.target_sex != self.TargetSex.ANY and person.sex not in (self.target_sex, Sex.UNKNOWN):
            return _("%(name)s cannot join: this activity is for %(audience)s.") % {
                "name": person.full_name,
                "audience": self.get_target_sex_display().lower(),
            }
        return None


class ActivitySlot(models.Model):
    """One weekly time of an activity, e.g. Monday 10:00–12:00."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class SessionQuerySet(CenterScopedQuerySet):
    center_lookup = "activity__center"


class Session(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("room"))
    is_ad_hoc = models.BooleanField(_("added by hand"), default=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    register_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "date", "starts_at"], name="one_session_per_activity_time"
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="session_times_in_order"),
        ]
        indexes = [models.Index(fields=["date", "activity"], name="session_date_activity")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.date} {self.starts_at:%H:%M}"

    @property
    def starts(self) -> dt.datetime:
        """When the session begins, in the centre's (the site's) time zone."""
        return timezone.make_aware(dt.datetime.combine(self.date, self.starts_at))

    def has_started(self) -> bool:
        return timezone.now() >= self.starts


class EnrollmentQuerySet(CenterScopedQuerySet):
    center_lookup = "activity__center"

    def holding_a_place(self):
        return self.filter(status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED])


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        DROPPED = "dropped", _("Dropped out")
        COMPLETED = "completed", _("Completed")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrollments")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=12, choices=Status)
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "beneficiary"], name="one_enrollment_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} · {self.activity} · {self.get_status_display()}"


class Attendance(models.Model):
    """One person at one session. Present ones are contacts (DESIGN.md)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(_("present"))
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "beneficiary"], name="one_attendance_per_session"),
        ]
        indexes = [
            models.Index(fields=["beneficiary", "present"], name="attendance_person_present"),
            # Reports read a period's marks by session: with the person and the mark in the index, PostgreSQL
            # answers from the index alone instead of scanning every mark ever taken (make bench: 1 s → 0.2 s).
            models.Index(
                fields=["session"], include=["beneficiary", "present"], name="attendance_session_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} @ {self.session_id}: {self.present}"


class ServiceDelivery(models.Model):
    """A one-to-one service: a contact in its category on its date."""

    class Type(models.TextChoices):
        COUNSELLING = "counselling", _("Counselling session")
        INFORMATION = "information", _("Information desk")
        INTERPRETATION = "interpretation", _("Interpretation")
        ACCOMPANIED_REFERRAL = "accompanied_referral", _("Accompanied referral")
        CHILD_SUPPORT = "child_support", _("Individual support for a child")
        OTHER = "other", _("Other one-to-one service")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="deliveries")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    type = models.CharField(_("type"), max_length=24, choices=Type)
    date = models.DateField(_("date"), default=timezone.localdate)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)], default=30
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("one-to-one service")
        verbose_name_plural = _("one-to-one services")
        indexes = [models.Index(fields=["center", "date"], name="delivery_center_date")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} · {self.date}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("This date is in the future.")})


class DeskMessage(models.Model):
    """What reception must tell a person at check-in: never confidential content."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="desk_messages")
    text = models.CharField(_("message for the desk"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text


class CheckIn(models.Model):
    """A person arrived at the desk (not a contact by itself: registration and arrival are not reach)."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="check_ins")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["center", "at"], name="checkin_center_at")]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} @ {self.at:%Y-%m-%d %H:%M}"
