import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from centers.models import Center, CenterScopedQuerySet

from . import names
from .documents import DocumentType, normalize_document_number, validate_document

MAX_AGE_YEARS = 110


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class PopulationGroup(models.TextChoices):
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    INTERNATIONAL_PROTECTION = "international_protection", _("International protection")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER_MIGRANT = "other_migrant", _("Other migrant")
    HOST_COMMUNITY = "host_community", _("Host community")


class Vulnerability(models.TextChoices):
    DISABILITY = "disability", _("Disability")
    CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")
    SINGLE_PARENT = "single_parent", _("Single parent")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    OLDER_PERSON_ALONE = "older_person_alone", _("Older person alone")
    PREGNANT_OR_LACTATING = "pregnant_or_lactating", _("Pregnant or lactating")
    SURVIVOR_OF_VIOLENCE = "survivor_of_violence", _("Survivor of violence")
    CHILD_LABOUR = "child_labour", _("Child labour")
    NO_DOCUMENTS = "no_documents", _("No legal documents")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    KURDISH = "ku", _("Kurdish")
    PERSIAN = "fa", _("Persian")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pashto")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related")


class ConsentScope(models.TextChoices):
    SERVICE_DELIVERY = "service_delivery", _("Service delivery")
    REFERRAL_DATA_SHARING = "referral_data_sharing", _("Sharing data for referrals")
    PHOTO = "photo", _("Photographs")


# Consent to be contacted by SMS or WhatsApp (issue 19) is recorded with the channel and language the person
# chose, on its own page (messaging), so it is a choice of Consent.scope but not a question of the
# registration form that walks ConsentScope.
CONTACT_SCOPE = "contact"
CONSENT_SCOPE_CHOICES = [*ConsentScope.choices, (CONTACT_SCOPE, _("Contact by SMS or WhatsApp"))]


class RegistrationCounter(models.Model):
    """The last registration number issued per centre and year.

    Locked with SELECT … FOR UPDATE inside the registration transaction, so
    numbers are unique and gap-free: a registration that rolls back gives its
    number back.
    """

    center = models.ForeignKey(Center, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "year"], name="one_counter_per_center_year")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.year}: {self.last}"


class Household(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="households", verbose_name=_("centre")
    )
    district = models.CharField(_("district"), max_length=80, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CenterScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        head = self.members.filter(relationship_to_head=Relationship.HEAD).first()
        return str(head) if head else _("Household %(pk)s") % {"pk": self.pk}


class BeneficiaryQuerySet(CenterScopedQuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)


class Beneficiary(models.Model):
    registration_number = models.CharField(
        _("registration number"), max_length=20, unique=True, editable=False
    )
    # The centre that serves the person now: a transfer moves it.
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("centre")
    )
    # Where the person registered: never changes, so the new registrations of past months never move.
    registered_center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("registering centre"),
    )

    first_name = models.CharField(_("given name (Latin script)"), max_length=80)
    last_name = models.CharField(_("family name (Latin script)"), max_length=80, blank=True)
    father_name = models.CharField(_("father's name"), max_length=80, blank=True)
    first_name_original = models.CharField(_("given name (original script)"), max_length=80, blank=True)
    last_name_original = models.CharField(_("family name (original script)"), max_length=80, blank=True)

    sex = models.CharField(_("sex"), max_length=10, choices=Sex)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_year_estimated = models.BooleanField(_("year of birth is estimated"), default=False)
    nationality = CountryField(_("nationality"))
    population_group = models.CharField(_("population group"), max_length=32, choices=PopulationGroup)

    phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)

    document_type = models.CharField(_("identity document"), max_length=32, choices=DocumentType, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True, db_index=True)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)

    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relationship_to_head = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship, blank=True
    )

    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    # One per registration form shown: a double click or a retried POST finds
    # the record it already created instead of creating a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    card_version = models.PositiveSmallIntegerField(_("card version"), default=1)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records", editable=False
    )
    # Set when identifying data was destroyed (erasure request or retention); the counted fields stay.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    # Matching keys (see names.py), kept in step by save().
    first_name_key = models.CharField(max_length=80, editable=False, default="")
    first_name_key_original = models.CharField(max_length=80, editable=False, default="")
    last_name_key = models.CharField(max_length=80, editable=False, default="")
    last_name_key_original = models.CharField(max_length=80, editable=False, default="")

    objects = BeneficiaryQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "first_name_key",
            "first_name_key_original",
            "last_name_key",
            "last_name_key_original",
            "submission_token",
        ]
    )

    class Meta:
        ordering = ["last_name", "first_name", "registration_number"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        # Pattern ops let PostgreSQL use the key indexes for prefix search
        # (LIKE 'mhm%') as well as for equality; other databases ignore them.
        indexes = [
            models.Index(
                fields=["first_name_key", "birth_year"],
                opclasses=["varchar_pattern_ops", "int2_ops"],
                name="benef_first_key_year",
            ),
            models.Index(
                fields=["first_name_key_original", "birth_year"],
                opclasses=["varchar_pattern_ops", "int2_ops"],
                name="benef_first_key_orig_year",
            ),
            models.Index(fields=["last_name_key"], opclasses=["varchar_pattern_ops"], name="benef_last_key"),
            models.Index(
                fields=["last_name_key_original"],
                opclasses=["varchar_pattern_ops"],
                name="benef_last_key_orig",
            ),
            # Name search looks in one centre: with the centre first, a common name ("Mohammed") at a centre
            # of 250,000 people reads that centre's few thousand rows, not the nation's 170,000 (make bench at
            # 5M: name search p95 692 ms before these).
            *(
                models.Index(
                    fields=["center", key],
                    opclasses=["int8_ops", "varchar_pattern_ops"],
                    name=f"benef_center_{short}",
                )
                for key, short in (
                    ("first_name_key", "first"),
                    ("first_name_key_original", "first_orig"),
                    ("last_name_key", "last"),
                    ("last_name_key_original", "last_orig"),
                )
            ),
            models.Index(fields=["center", "last_name", "first_name"], name="benef_center_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2200), name="benef_birth_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="benef_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.registration_number})"

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        if self.registered_center_id is None:
            self.registered_center_id = self.center_id
        super().save(*args, **kwargs)

    def refresh_name_keys(self) -> None:
        """Keep the matching keys in step with the names (bulk inserts call this too)."""
        self.first_name_key = names.name_key(self.first_name)
        self.last_name_key = names.name_key(self.last_name)
        self.first_name_key_original = names.name_key(self.first_name_original)
        self.last_name_key_original = names.name_key(self.last_name_original)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def full_name_original(self) -> str:
        return " ".join(part for part in (self.first_name_original, self.last_name_original) if part)

    @property
    def card_payload(self) -> str:
        """What the card's QR code carries: the number and the card version, nothing else."""
        return f"{self.registration_number}/{self.card_version}"

    def age_on(self, day: dt.date) -> int:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return day.year - self.birth_year

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = _("The date of birth is in the future.")
            elif today.year - self.date_of_birth.year > MAX_AGE_YEARS:
                errors["date_of_birth"] = _("That would make the person older than %(max)d years.") % {
                    "max": MAX_AGE_YEARS
                }
            else:
                self.birth_year = self.date_of_birth.year
                self.birth_year_estimated = False
        elif self.birth_year is None:
            errors["birth_year"] = _("Give the date of birth, or at least an estimated year of birth.")
        if self.birth_year is not None and "date_of_birth" not in errors:
            if self.birth_year > today.year:
                errors["birth_year"] = _("The year of birth is in the future.")
            elif today.year - self.birth_year > MAX_AGE_YEARS:
                errors["birth_year"] = _("That would make the person older than %(max)d years.") % {
                    "max": MAX_AGE_YEARS
                }
        if self.document_number:
            self.document_number = normalize_document_number(self.document_number)
            if not self.document_type:
                errors["document_type"] = _("Say which document this number belongs to.")
            else:
                try:
                    validate_document(self.document_type, self.document_number)
                except ValidationError as exc:
                    errors["document_number"] = exc.messages
        if self.household_id and not self.relationship_to_head:
            errors["relationship_to_head"] = _("Say how this person is related to the head of the household.")
        unknown = set(self.vulnerabilities) - set(Vulnerability.values)
        if unknown:
            errors["vulnerabilities"] = _("Unknown vulnerability: %(codes)s.") % {
                "codes": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)


class Consent(models.Model):
    """One answer per scope; a withdrawal is recorded, never deleted."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=32, choices=CONSENT_SCOPE_CHOICES)
    given = models.BooleanField(_("consent given"))
    given_by_head = models.BooleanField(_("answered by the head of household"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["scope"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "scope"], name="one_consent_answer_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.is_active}"

    @property
    def is_active(self) -> bool:
        return self.given and self.withdrawn_at is None


class RegistrationAlias(models.Model):
    """A registration number that now answers for another record (after a merge)."""

    number = models.CharField(max_length=20, unique=True)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return self.number


class DuplicateDecision(models.Model):
    """A receptionist's "not the same person", or a manager's merge."""

    class Kind(models.TextChoices):
        NOT_SAME = "not_same", _("Not the same person")
        MERGED = "merged", _("Merged")

    kind = models.CharField(max_length=10, choices=Kind)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.beneficiary_id} / {self.other_id}"


class MergeRequestQuerySet(CenterScopedQuerySet):
    center_lookup = "to_center"  # answered by the centre that holds the other record


class MergeRequest(models.Model):
    """Two records of one person held by two centres: a manager of one centre asks, the other's accepts.

    Accepting merges ``other`` into ``survivor`` (beneficiary_merge); the person is then served where the
    survivor is. Both decisions are audited."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    survivor = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    from_center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    to_center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MergeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor", "other"], condition=Q(status="requested"), name="one_open_merge_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.other_id} → {self.survivor_id} ({self.status})"


# Bulk import of people (issue 20): its models live with its code.
from beneficiaries.importing.models import ImportedRow, ImportMapping, ImportRow, PeopleImport  # noqa: E402, F401
