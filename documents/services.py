"""Writes about documents: upload, removal, the card photo, and destroying a person's files on anonymisation.

The file goes to Django's default storage (the filesystem, or an S3-compatible bucket with
STORAGE_BACKEND=s3) under a random name; the row keeps the name it came with, its type, size and checksum.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from cases.models import Case
from centers.models import Center
from core.tokens import create_once

from .access import has_photo_consent
from .files import CheckedFile
from .models import Document, Kind


def _create(
    *, person: Beneficiary, case: Case | None, center: Center, by, kind: str, checked: CheckedFile, token
) -> Document:
    if person.anonymised_at is not None:
        raise ValidationError(_("This record was anonymised: nothing more is kept about the person."))
    document = Document(
        beneficiary=person,
        case=case,
        center=center,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=by,
        submission_token=token,
    )
    document.full_clean(exclude=["file"])
    document.file.save("upload", ContentFile(checked.content), save=False)
    try:
        document.save()
    except Exception:
        # A concurrent request with the same token won: its file is the one kept.
        document.file.delete(save=False)
        raise
    return document


def document_upload(
    *,
    person: Beneficiary,
    center: Center,
    by,
    kind: str,
    checked: CheckedFile,
    token: uuid.UUID,
    case: Case | None = None,
) -> tuple[Document, bool]:
    """Keep a checked file (files.check_upload) on a person, or on one of their cases. Once per ``token``:
    ``(document, created)``."""
    if kind == Kind.PHOTO:
        raise ValidationError(_("Take or upload the photo for the card on its own page."))
    with transaction.atomic():
        return create_once(
            Document.objects.all(),
            create=lambda: _create(
                person=person, case=case, center=center, by=by, kind=kind, checked=checked, token=token
            ),
            submission_token=token,
        )


def _delete_files_after_commit(names: list[str], storage) -> None:
    # Only once the rows are gone for good: a rolled-back removal leaves the file its row points to.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def photo_set(
    *, person: Beneficiary, center: Center, by, checked: CheckedFile, token: uuid.UUID
) -> tuple[Document, bool]:
    """The person's photo for the card, replacing the one before (whose file is destroyed). Only with the
    person's consent to photographs."""
    with transaction.atomic():
        Beneficiary.objects.select_for_update().filter(pk=person.pk).first()
        if not has_photo_consent(person):
            raise ValidationError(_("This person has not consented to photographs: no photo can be kept."))
        photo, created = create_once(
            Document.objects.all(),
            create=lambda: _create(
                person=person, case=None, center=center, by=by, kind=Kind.PHOTO, checked=checked, token=token
            ),
            submission_token=token,
        )
        if created:
            older = list(Document.objects.filter(beneficiary=person, kind=Kind.PHOTO).exclude(pk=photo.pk))
            _delete_files_after_commit([d.file.name for d in older], Document._meta.get_field("file").storage)
            for document in older:
                document.delete()  # one audited deletion each
    return photo, created


def document_remove(*, document: Document) -> None:
    """Delete a document and destroy its file (a wrong upload, a photo no longer wanted)."""
    with transaction.atomic():
        _delete_files_after_commit([document.file.name], document.file.storage)
        document.delete()


def documents_destroy(*, person_ids: list[int]) -> int:
    """Anonymisation: every file of these people is deleted from storage, then their rows.

    The files go first and at once, not after the commit: if the anonymisation then fails, what is left is
    rows pointing at nothing (the next attempt deletes them), never a person's files without a row that says
    they exist."""
    documents = list(Document.objects.filter(beneficiary_id__in=person_ids))
    for document in documents:
        document.file.storage.delete(document.file.name)
    for document in documents:
        document.delete()
    return len(documents)


def card_photo(person: Beneficiary) -> bytes | None:
    """The picture printed on the card: the latest photo, while photo consent holds."""
    photo = Document.objects.filter(beneficiary=person, kind=Kind.PHOTO).first()
    if photo is None or not has_photo_consent(person):
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None
