"""What documents holds about a person: their files, and the files kept on their cases.

The export lists each document and carries the file itself (base64, in the JSON); the PDF document lists
them. Anonymisation destroys the files in storage, then the rows: nothing of them is kept.
"""

import base64

from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare

from .models import Document
from .services import documents_destroy

# The stored name is a random key in the bucket: it says nothing to the person.
NOT_EXPORTED = ("file", "submission_token")


def _file_content(document: Document) -> str:
    try:
        with document.file.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except (FileNotFoundError, OSError):
        return ""


def _export(person, ids) -> list[dict]:
    rows = []
    for document in Document.objects.filter(beneficiary_id__in=ids).order_by("uploaded_at", "pk"):
        row = {
            f.name: f.value_from_object(document)
            for f in Document._meta.concrete_fields
            if f.name not in NOT_EXPORTED
        }
        row["content_base64"] = _file_content(document)
        rows.append(row)
    return rows


declare(
    PersonalData(
        model="documents.Document",
        section="documents",
        title=_("Documents"),
        order=30,
        export=_export,
        anonymise=lambda person, ids, now: documents_destroy(person_ids=ids),
        count_as="documents",
        keeps="nothing: the files are deleted from storage and their rows with them",
    )
)
