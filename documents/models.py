"""Files kept on a person's profile and on a case, and the person's photo for the registration card."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary
from cases.models import Case
from centers.models import Center, CenterScopedQuerySet


class Kind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    CONSENT = "consent", _("Consent form")
    MEDICAL = "medical", _("Medical")
    REFERRAL_REPLY = "referral_reply", _("Referral reply")
    OTHER = "other", _("Other")
    PHOTO = "photo", _("Photo for the card")


class DocumentQuerySet(CenterScopedQuerySet):
    """A document belongs to the centre that serves its person now: a transfer moves the files with them,
    and the old centre loses them at the same instant (cases.services.transfer_decide)."""

    center_lookup = "beneficiary__center"


def _stored_name(document: "Document", filename: str) -> str:
    # Never the name the file came with: it often names the person ("passport_Ahmad_Halabi.pdf").
    return f"documents/{document.center.code}/{uuid.uuid4().hex}{document.extension}"


class Document(models.Model):
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="documents", verbose_name=_("person")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("case"),
    )
    # The centre where it was uploaded (the person may move to another since).
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)
    # One per upload form shown: a double click or a retried POST keeps one document.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["beneficiary", "kind"], name="document_person_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def clean(self) -> None:
        if self.case_id is not None and self.case.beneficiary_id != self.beneficiary_id:
            raise ValidationError(_("This case is another person's."))
        if self.case_id is not None and self.kind == Kind.PHOTO:
            raise ValidationError(_("The photo for the card is kept on the person, not on a case."))

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ""
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
