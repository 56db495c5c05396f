"""Case management: case files, plans, follow-ups, confidential notes, partners, referrals, transfers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary
from centers.models import Center, CenterScopedQuerySet, Role


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class LegalBasis(models.TextChoices):
    """Why the centre may hold a case file (KVKK art. 5-6; ICRC Handbook ch. 3)."""

    CONSENT = "consent", _("Consent of the person")
    VITAL_INTEREST = "vital_interest", _("Vital interest (protection of life or safety)")
    PUBLIC_INTEREST = "public_interest", _("Public interest / humanitarian mandate")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
        CLOSED = "closed", _("Closed")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="cases", verbose_name=_("centre")
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    covers_household = models.BooleanField(_("covers the household"), default=False)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        verbose_name=_("caseworker"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_cases",
        verbose_name=_("supervisor"),
    )
    psychologists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="psychosocial_cases",
        verbose_name=_("psychologists"),
    )
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel, default=RiskLevel.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    reason = models.TextField(_("why the case is opened"), max_length=2000)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=24,
        choices=LegalBasis,
        default=LegalBasis.CONSENT,
        help_text=_("Why the centre may keep this file. Without consent, say which other basis applies."),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closure_reason = models.CharField(_("reason for closing"), max_length=255, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["caseworker", "status"], name="case_caseworker_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="closed_case_has_a_date"
            ),
        ]

    def __str__(self) -> str:
        return _("Case of %(person)s") % {"person": self.beneficiary.full_name}

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class OnCaseQuerySet(CenterScopedQuerySet):
    """Goals and referrals belong to the centre of their case."""

    center_lookup = "case__center"


class TransferQuerySet(CenterScopedQuerySet):
    """A transfer is answered by the centre it goes to."""

    center_lookup = "to_center"


class CaseGoal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    goal = models.CharField(_("goal"), max_length=255)
    action = models.CharField(_("action"), max_length=255, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = OnCaseQuerySet.as_manager()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.goal


class FollowUp(models.Model):
    """A case-management contact: counted in category F on its date and centre."""

    class Type(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        PHONE = "phone", _("Phone call")
        IN_CENTRE = "in_centre", _("In the centre")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), default=timezone.localdate)
    type = models.CharField(_("type"), max_length=12, choices=Type)
    summary = models.TextField(_("summary"), max_length=4000)
    actions_agreed = models.TextField(_("actions agreed"), max_length=2000, blank=True)
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["center", "date"], name="followup_center_date")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} · {self.date}"

    def clean(self) -> None:
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("This date is in the future.")
        if self.next_date and self.date and self.next_date <= self.date:
            errors["next_date"] = _("The next follow-up must come after this one.")
        if errors:
            raise ValidationError(errors)


class ConfidentialNoteQuerySet(models.QuerySet):
    def readable_by(self, user) -> "ConfidentialNoteQuerySet":
        """The author, the psychologists assigned to the case, and the case supervisor
        when they are themselves a psychologist of that centre (the clinical supervisor).
        Nobody else: not the centre manager, not national roles, not the DPO."""
        if not user.is_authenticated:
            return self.none()
        clinical_centres = user.memberships.filter(role=Role.PSYCHOLOGIST).values("center_id")
        return self.filter(
            Q(author=user)
            | Q(case__psychologists=user)
            | Q(case__supervisor=user, case__center_id__in=clinical_centres)
        ).distinct()


class ConfidentialNote(models.Model):
    """Psychosocial notes. Never listed, searched, exported, mailed or logged elsewhere."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="confidential_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConfidentialNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")

    def __str__(self) -> str:
        return _("Confidential note %(pk)s") % {"pk": self.pk}  # never the text


class Partner(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        MUNICIPALITY = "municipality", _("Municipality")
        NGO = "ngo", _("NGO")
        UN_AGENCY = "un_agency", _("UN agency")

    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    services = models.TextField(_("services offered"), blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class ServiceType(models.TextChoices):
    """What a service point offers: the fixed list social workers search the directory by."""

    EDUCATION_ENROLMENT = "education_enrolment", _("Education enrolment")
    HEALTH_CARE = "health_care", _("Health care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    SHELTER = "shelter", _("Shelter")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    GBV_SERVICES = "gbv_services", _("Gender-based violence services")
    LIVELIHOODS = "livelihoods", _("Livelihoods")
    LANGUAGE_COURSES = "language_courses", _("Language courses")
    OTHER = "other", _("Other")


class ServicePoint(models.Model):
    """Where a partner offers services: the service directory social workers refer through."""

    # What the directory says of a service point, in the order the form, the import file and the API give it.
    DETAILS = (
        "name",
        "service_types",
        "city",
        "district",
        "address",
        "opening_hours",
        "languages",
        "eligibility",
        "referral_method",
        "contact",
    )

    class ReferralMethod(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        LETTER = "letter", _("With a referral letter")
        IN_SYSTEM = "in_system", _("In the system")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="service_points", verbose_name=_("organisation")
    )
    # Every centre searches the whole directory; the centre that added a point keeps it up to date.
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by centre"),
    )
    name = models.CharField(_("name"), max_length=160)
    service_types = models.JSONField(_("service types"), default=list)
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=80)
    opening_hours = models.CharField(_("opening hours"), max_length=160, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    eligibility = models.TextField(_("eligibility"), max_length=1000, blank=True)
    referral_method = models.CharField(
        _("how to refer"), max_length=10, choices=ReferralMethod, default=ReferralMethod.LETTER
    )
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["city", "district", "name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="service_point_name_unique_in_partner"),
        ]
        indexes = [models.Index(fields=["city", "district"], name="service_point_place")]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"

    def clean(self) -> None:
        super().clean()
        types = self.service_types if isinstance(self.service_types, list) else None
        if not types:
            raise ValidationError({"service_types": _("Choose at least one service type.")})
        unknown = sorted(set(map(str, types)) - set(ServiceType.values))
        if unknown:
            raise ValidationError(
                {"service_types": _("Unknown service type: %(types)s.") % {"types": ", ".join(unknown)}}
            )
        if not isinstance(self.languages, list) or not all(isinstance(x, str) for x in self.languages):
            raise ValidationError({"languages": _("List the languages spoken.")})

    def get_service_types_display(self) -> list[str]:
        labels = dict(ServiceType.choices)
        return [str(labels.get(t, t)) for t in self.service_types]


class PartnerFocalPoint(models.Model):
    """A partner organisation's own account: it answers the referrals addressed to its organisation.
    Not a centre member: no membership, no centre, only the pages under /partner/."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_focal_point",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("organisation")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner focal point")
        verbose_name_plural = _("partner focal points")

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


# Fields a referral letter may carry, each allowed only with referral consent.
REFERRAL_FIELDS = {
    "full_name": _("Name"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "phone": _("Phone"),
    "document": _("Identity document"),
    "address": _("District"),
    "languages": _("Languages"),
}


class Referral(models.Model):
    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent")
        EMERGENCY = "emergency", _("Emergency")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class AnsweredVia(models.TextChoices):
        CASEWORKER = "caseworker", _("Recorded by the caseworker")
        PARTNER = "partner", _("The partner's focal point")
        API = "api", _("The partner's system")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, verbose_name=_("partner"))
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service point"),
    )
    # What the person is referred for: how long the partner has to answer depends on it (REFERRAL_ANSWER_DAYS).
    service_type = models.CharField(_("service needed"), max_length=24, choices=ServiceType, blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.ROUTINE)
    shared_fields = models.JSONField(_("data shared"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    service_given_on = models.DateField(_("service given on"), null=True, blank=True)
    outcome_note = models.TextField(_("note for the caseworker"), max_length=2000, blank=True)
    answered_via = models.CharField(_("answered via"), max_length=10, choices=AnsweredVia, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the person is expected at the partner: the day before, they are reminded (messaging).
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)

    objects = OnCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        if self.service_point_id and self.partner_id and self.service_point.partner_id != self.partner_id:
            raise ValidationError({"service_point": _("This service point belongs to another organisation.")})
        if self.appointment_at and self.sent_on and timezone.localdate(self.appointment_at) < self.sent_on:
            raise ValidationError(
                {"appointment_at": _("The appointment cannot be before the day the referral was sent.")}
            )


class Transfer(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    to_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("to centre")
    )
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="requested"), name="one_open_transfer_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_center_id} → {self.to_center_id}"
