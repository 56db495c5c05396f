"""Who may see and add which document (centers.access, cases.access).

By kind: what identifies a person (identity documents, consent forms, other papers, the card photo) is for
everyone who may see the person; medical letters, partners' replies and every document kept on a case are for
the case's staff only (the roles that see case files). National roles see none: they have no individual
records. A document a role may not see answers 404 like one of another centre, so its existence is not told.
"""

from django.http import Http404

from beneficiaries.models import Beneficiary, Consent, ConsentScope
from cases.access import access_case
from centers.access import get_scoped
from centers.permissions import Perm

from .models import Document, Kind

# Kinds kept on the person, for whoever sees the person.
PERSON_KINDS = (Kind.IDENTITY, Kind.CONSENT, Kind.OTHER)
# Kinds for the case's staff only, wherever they are kept.
CASE_KINDS = (Kind.MEDICAL, Kind.REFERRAL_REPLY)


def has_photo_consent(person: Beneficiary) -> bool:
    return Consent.objects.filter(
        beneficiary=person, scope=ConsentScope.PHOTO, given=True, withdrawn_at__isnull=True
    ).exists()


def visible_kinds(request, *, person: Beneficiary | None = None, photo_consent: bool | None = None) -> set:
    """The kinds of the person's own documents (not on a case) the user may see."""
    perms = getattr(request, "center_perms", frozenset())
    kinds = set()
    if Perm.VIEW_BENEFICIARIES in perms:
        kinds |= set(PERSON_KINDS)
        if photo_consent if photo_consent is not None else has_photo_consent(person):
            kinds.add(Kind.PHOTO)
    if Perm.VIEW_CASES in perms:
        kinds |= set(CASE_KINDS)
    return kinds


def may_see_case_documents(request) -> bool:
    return Perm.VIEW_CASES in getattr(request, "center_perms", frozenset())


def kinds_to_add(request, *, on_case: bool) -> list[tuple[str, str]]:
    """(value, label) of the kinds the user may upload: on a person, or on a case (its staff only)."""
    perms = getattr(request, "center_perms", frozenset())
    if on_case:
        wanted = set(PERSON_KINDS) | set(CASE_KINDS) if Perm.VIEW_CASES in perms else set()
    else:
        wanted = set(PERSON_KINDS) if Perm.REGISTER_BENEFICIARIES in perms else set()
        if Perm.VIEW_CASES in perms:
            wanted |= set(CASE_KINDS)
    return [(kind.value, kind.label) for kind in Kind if kind in wanted]


def may_remove(request, document: Document) -> bool:
    if document.kind == Kind.PHOTO:
        return Perm.REGISTER_BENEFICIARIES in getattr(request, "center_perms", frozenset())
    allowed = {value for value, _label in kinds_to_add(request, on_case=document.case_id is not None)}
    return document.kind in allowed


def access_document(request, pk, *, withdrawn_photo: bool = False) -> Document:
    """A document of the centre in the URL that the user may see; 404 otherwise (another centre, another
    centre's case, a kind not for this role, a photo whose consent was withdrawn — unless ``withdrawn_photo``:
    deleting such a photo is still allowed)."""
    document = get_scoped(
        Document.objects.select_related("beneficiary", "case", "uploaded_by"), center=request.center, pk=pk
    )
    if document.case_id is not None:
        if not may_see_case_documents(request):
            raise Http404
        access_case(request, document.case_id)
    elif document.kind not in visible_kinds(
        request, person=document.beneficiary, photo_consent=withdrawn_photo or None
    ):
        raise Http404
    return document
