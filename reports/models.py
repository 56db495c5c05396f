from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centers.models import Center, CenterScopedQuerySet


class ReportRun(models.Model):
    """One build of a report: its parameters, who asked, its progress and its file."""

    class Kind(models.TextChoices):
        MONTHLY_REACH = "monthly_reach", _("Monthly reach and cost per beneficiary")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=32, choices=Kind, default=Kind.MONTHLY_REACH)
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: national"),
    )
    # The centre code, or "national": what the no-duplicate constraint compares (NULLs never collide).
    scope = models.CharField(max_length=12, editable=False)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Builds started, counting the interrupted ones: the sweeper starts a lost build again until this reaches
    # REPORT_BUILD_MAX_ATTEMPTS, then shows it failed.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Moved by the builder while it works (a thread beats, progress beats): a running build whose heartbeat
    # stopped lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the run was handed to the task queue. The run row is the outbox: empty means the broker has not
    # got it yet (it was down), and the sweeper sends it.
    sent_at = models.DateTimeField(null=True, blank=True)
    # The language of whoever asked (the installation's for scheduled runs): its PDF and XLSX are rendered with
    # the build; the other languages right after it, by the worker, or on the first download.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    # The report's aggregate tables (never an individual): the flat CSV and HXL downloads, as partners read them.
    tables = models.JSONField(default=list, blank=True)
    # Every figure of the report document (reports.document), language-neutral: the PDF and XLSX in each
    # language are laid out from it, so they always carry the same figures. Empty for runs built before it.
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same report is never built twice at the same time.
            models.UniqueConstraint(
                fields=["kind", "scope", "start", "end"],
                condition=Q(status__in=["queued", "running"]),
                name="one_build_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope} {self.start}–{self.end} ({self.status})"

    def save(self, *args, **kwargs):
        self.scope = self.center.code if self.center_id else "national"
        super().save(*args, **kwargs)


class MonthlyReach(models.Model):
    """People reached in a closed month, stored so the 12-month dashboard need not recount them.

    One row per month for each centre (all categories), each category (all centres) and the nation
    (all open centres, always written, even at 0: it marks the month as stored). Refreshed nightly for
    the last two closed months, so registers saved late still count.
    """

    month = models.DateField()  # the first day
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.CharField(max_length=1)  # a category code, or "*" for all
    people = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "center", "category"], name="monthly_reach_per_center"),
            models.UniqueConstraint(
                fields=["month", "category"], condition=Q(center__isnull=True), name="monthly_reach_national"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.center_id or '*'} {self.category}: {self.people}"


class MonthlyFigures(models.Model):
    """A closed month's other dashboard figures per centre, stored with MonthlyReach by the same nightly job:
    people registered there, and course attendance marks (all, present). A centre with none has no row."""

    month = models.DateField()  # the first day
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    registrations = models.PositiveIntegerField(default=0)
    course_marks = models.PositiveIntegerField(default=0)
    course_present = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "center"], name="monthly_figures_per_center")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.center_id}"


class ReportFile(models.Model):
    """A download of a run, rendered once by the worker and served from storage (PDF and XLSX per language)."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8)
    language = models.CharField(max_length=8, blank=True)  # empty for CSV and HXL, which have no words
    file = models.FileField(upload_to="reports/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "format", "language"], name="one_file_per_format_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.format} {self.language}"
