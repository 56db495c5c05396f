"""Reads of documents that the profile, the case page and the photo page share."""

from django.db.models import Exists, OuterRef, QuerySet

from beneficiaries.models import Beneficiary, Consent, ConsentScope
from cases.models import Case
from centers.models import Center

from .models import Document, Kind


def profile_documents(*, center: Center, person: Beneficiary, kinds: set) -> list[Document]:
    """The profile's panel in one query: the person's own documents of the kinds given, the card photo
    among them marked with whether photo consent holds (``photo_consent``)."""
    consent = Consent.objects.filter(
        beneficiary=OuterRef("beneficiary"), scope=ConsentScope.PHOTO, given=True, withdrawn_at__isnull=True
    )
    return list(
        Document.objects.in_center(center)
        .filter(beneficiary=person, case__isnull=True, kind__in=kinds)
        .annotate(photo_consent=Exists(consent))
        .select_related("uploaded_by")
    )


def case_documents(*, center: Center, case: Case) -> QuerySet[Document]:
    return Document.objects.in_center(center).filter(case=case).select_related("uploaded_by")


def current_photo(*, center: Center, person: Beneficiary) -> Document | None:
    return Document.objects.in_center(center).filter(beneficiary=person, kind=Kind.PHOTO).first()
