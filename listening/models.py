"""Listening: outreach visits, needs interviews and feedback."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from beneficiaries.models import Beneficiary, PopulationGroup, Sex
from centers.models import Center, CenterScopedQuerySet
from core.imports import ImportStatus, upload_path
from services.models import Need, ServiceCategory


class OutreachVisit(models.Model):
    """Staff went to a neighbourhood to ask people what they need."""

    class Source(models.TextChoices):
        WEB = "web", _("Entered in Toplum")
        IMPORT = "import", _("Imported from the offline form")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    date = models.DateField(_("date"), default=timezone.localdate)
    district = models.CharField(_("district"), max_length=80)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("staff"))
    households_visited = models.PositiveSmallIntegerField(
        _("households visited"), default=0, validators=[MaxValueValidator(2000)]
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    source = models.CharField(max_length=8, choices=Source, default=Source.WEB, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("outreach visit")
        verbose_name_plural = _("outreach visits")
        indexes = [models.Index(fields=["center", "date"], name="visit_center_date")]

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.neighbourhood, self.district) if p)
        return f"{self.date} · {place}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("This date is in the future.")})


class AgeBand(models.TextChoices):
    """Respondents' age, in the report bands (DESIGN.md) that adults and adolescents fall in."""

    # The codes are also the offline form's choice names, which XML restricts to letters, digits and _.
    TEEN = "age_12_17", _("12–17")
    ADULT = "age_18_59", _("18–59")
    OLDER = "age_60_plus", _("60 and over")


class InterviewQuerySet(CenterScopedQuerySet):
    center_lookup = "visit__center"


class NeedsInterview(models.Model):
    """One person asked, during a visit, what their household needs most (up to three, ranked)."""

    visit = models.ForeignKey(OutreachVisit, on_delete=models.CASCADE, related_name="interviews")
    respondent_sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    age_band = models.CharField(_("age"), max_length=12, choices=AgeBand)
    nationality = CountryField(_("nationality"), blank=True)
    population_group = models.CharField(_("group"), max_length=24, choices=PopulationGroup)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs_interviews",
        verbose_name=_("registered person"),
    )
    quote = models.TextField(_("in their words"), max_length=500, blank=True)
    # The offline form's submission id (KoboToolbox _uuid, ODK instanceID), or one per web form shown:
    # importing the same export twice, or submitting twice, finds the interview already saved.
    submission_id = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("needs interview")
        verbose_name_plural = _("needs interviews")

    def __str__(self) -> str:
        return f"{self.visit} · {self.get_respondent_sex_display()} {self.get_age_band_display()}"

    @property
    def is_host(self) -> bool:
        return self.population_group == PopulationGroup.HOST_COMMUNITY


MAX_RANKED_NEEDS = 3


class InterviewNeed(models.Model):
    """A need a respondent named, with its rank (1 = the most important)."""

    interview = models.ForeignKey(NeedsInterview, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=24, choices=Need)
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RANKED_NEEDS)]
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "need"], name="need_once_per_interview"),
            models.UniqueConstraint(fields=["interview", "rank"], name="rank_once_per_interview"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_RANKED_NEEDS), name="need_rank_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.get_need_display()}"


class FeedbackQuerySet(CenterScopedQuerySet):
    def readable_with(self, perms):
        """Sensitive feedback (staff misconduct…) exists only for the centre manager and the DPO."""
        from centers.permissions import Perm

        if Perm.VIEW_SENSITIVE_FEEDBACK in perms:
            return self
        return self.filter(sensitive=False)

    def waiting(self, *, today: dt.date, days: int):
        return self.exclude(status=Feedback.Status.CLOSED).filter(
            received_on__lt=today - dt.timedelta(days=days)
        )


FEEDBACK_ANSWER_DAYS = 14


class Feedback(models.Model):
    """What people tell the centre: complaints, suggestions, thanks and questions."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        THANKS = "thanks", _("Thanks")
        QUESTION = "question", _("Question")

    class Channel(models.TextChoices):
        BOX = "box", _("Feedback box")
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("Phone")
        OUTREACH = "outreach", _("During outreach")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Being looked into")
        CLOSED = "closed", _("Closed")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    channel = models.CharField(_("received by"), max_length=12, choices=Channel)
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("about"),
        help_text=_("Leave empty when it is about the centre in general."),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    text = models.TextField(_("what was said"), max_length=2000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("registered person"),
    )
    contact = models.CharField(_("how to answer them"), max_length=120, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "For example staff misconduct: only the centre manager and the data protection officer see it."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    answer = models.TextField(_("answer given"), max_length=2000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["center", "received_on"], name="feedback_center_received")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(beneficiary__isnull=True) & Q(contact="")),
                name="anonymous_feedback_names_nobody",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(answer="")),
                name="closed_feedback_has_answer_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on}"

    def clean(self) -> None:
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("This date is in the future.")})
        if self.anonymous and (self.beneficiary_id or self.contact):
            raise ValidationError(
                {"anonymous": _("Anonymous feedback names nobody: leave the person and the contact empty.")}
            )

    def days_open(self, today: dt.date) -> int:
        return ((self.closed_on or today) - self.received_on).days


class InterviewImport(models.Model):
    """One upload of the offline form's export, imported by a Celery task (listening.tasks): the stored
    file until it ends, progress, and the result."""

    Status = ImportStatus

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    # The visits' staff and the audit trail's actor: the import is theirs, though a worker runs it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)  # for the audit trail, as a request
    filename = models.CharField(_("file"), max_length=255)  # as sent, for the page; stored under another
    file = models.FileField(upload_to=upload_path, blank=True)  # deleted when the import ends
    language = models.CharField(max_length=10)  # problems are written in the language of who sent the file
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    created = models.PositiveIntegerField(_("interviews imported"), default=0)
    already = models.PositiveIntegerField(_("already imported"), default=0)
    visits = models.PositiveIntegerField(_("new visits"), default=0)
    # [{"row": 3, "column": "need_1", "message": "…"}]; a problem with the whole file has no row.
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)  # why it failed, for the team
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interview import")
        verbose_name_plural = _("interview imports")

    def __str__(self) -> str:
        return f"{self.center_id} {self.filename} ({self.status})"
