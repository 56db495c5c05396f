"""Reads of documents that the profile, the case page and the photo page share."""

from django.db.models import QuerySet

from beneficiaries.models import Beneficiary
from cases.models import Case
from centers.models import Center

from .models import Document, Kind


def person_documents(*, center: Center, person: Beneficiary, kinds: set) -> QuerySet[Document]:
    """The person's own documents (not those kept on a case) of the kinds given, newest first."""
    return (
        Document.objects.in_center(center)
        .filter(beneficiary=person, case__isnull=True, kind__in=kinds)
        .exclude(kind=Kind.PHOTO)
        .select_related("uploaded_by")
    )


def case_documents(*, center: Center, case: Case) -> QuerySet[Document]:
    return Document.objects.in_center(center).filter(case=case).select_related("uploaded_by")


def current_photo(*, center: Center, person: Beneficiary) -> Document | None:
    return Document.objects.in_center(center).filter(beneficiary=person, kind=Kind.PHOTO).first()
