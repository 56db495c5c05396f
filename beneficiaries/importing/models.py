"""The jobs, rows and memories of people imports. Imported into beneficiaries/models.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centers.models import Center, CenterScopedQuerySet
from core.imports import upload_path


class PeopleImport(models.Model):
    """One file of people: stored until its dry run has read it, then its rows, decisions and result."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Choosing columns")
        CHECKING = "checking", _("Dry run")
        CHECKED = "checked", _("Waiting for decisions")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to=upload_path, blank=True)  # deleted once the dry run has read it
    language = models.CharField(max_length=10)
    headers = models.JSONField(default=list, blank=True)
    layout = models.CharField(max_length=64, blank=True)  # hash of the header row
    mapping = models.JSONField(default=dict, blank=True)  # field -> column index
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.MAPPING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    counts = models.JSONField(default=dict, blank=True)  # dry run: class -> rows; import: outcome -> rows
    problems = models.JSONField(default=list, blank=True)  # why the file was refused, in words
    error = models.TextField(blank=True)  # why it failed, for the team
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return f"{self.center_id} {self.filename} ({self.status})"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)


class ImportRow(models.Model):
    """One row of a file as the dry run saw it, and what the manager decided."""

    class Kind(models.TextChoices):
        NEW = "new", _("New person")
        EXISTING = "existing", _("Same as an existing record")
        POSSIBLE = "possible", _("Possible duplicate")
        IN_FILE = "in_file", _("Duplicate of another row")
        ERROR = "error", _("Error")
        BEFORE = "before", _("Imported before")

    class Decision(models.TextChoices):
        NEW = "new", _("Import as a new person")
        SKIP = "skip", _("Skip this row")
        SAME = "same", _("Same person as the candidate")

    job = models.ForeignKey(PeopleImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # the row's number in the file (the header is row 1)
    kind = models.CharField(max_length=10, choices=Kind)
    decision = models.CharField(max_length=10, choices=Decision, blank=True)
    values = models.JSONField(default=dict)  # the mapped cells as written, for the page
    person = models.JSONField(default=dict, blank=True)  # the registration form's cleaned data
    errors = models.JSONField(default=list, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    same_as_row = models.PositiveIntegerField(null=True, blank=True)
    household_key = models.CharField(max_length=80, blank=True)
    fingerprint = models.CharField(max_length=64)
    done = models.BooleanField(default=False)  # set in the batch that imported or settled it
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="one_import_row_per_number")]
        indexes = [models.Index(fields=["job", "kind"], name="import_row_job_kind")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.number} {self.kind}"

    @property
    def candidate(self) -> dict | None:
        return self.candidates[0] if self.candidates else None


class ImportMapping(models.Model):
    """The columns a manager chose for a file layout (the hash of its header row), offered again next time."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    layout = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "layout"], name="one_mapping_per_layout")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.layout[:8]}"


class ImportedRow(models.Model):
    """A row already imported at a centre, by its fingerprint: the same row imported again creates nothing."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    job = models.ForeignKey(PeopleImport, on_delete=models.SET_NULL, null=True, related_name="+")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "fingerprint"], name="one_fingerprint_per_center")
        ]

    def __str__(self) -> str:
        return self.fingerprint[:12]


from beneficiaries.importing import privacy  # noqa: E402, F401 - declares these models with core.personal_data
