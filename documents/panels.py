"""The documents panel on a person's profile (with the card photo) and on a case's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries import panels
from cases import panels as case_panels

from . import selectors
from .access import kinds_to_add, visible_kinds
from .models import Kind


def _person_context(request, person) -> dict:
    # Every kind the role may see, the photo included; whether photo consent holds comes with the row.
    kinds = visible_kinds(request, photo_consent=True)
    if not kinds:
        return {"person_documents": None, "profile_photo": None}
    rows = selectors.profile_documents(center=request.center, person=person, kinds=kinds)
    photo = next((d for d in rows if d.kind == Kind.PHOTO and d.photo_consent), None)
    profile_photo = None
    if photo is not None:
        url = reverse("documents:download", kwargs={"center": request.center.code, "pk": photo.pk})
        profile_photo = {"url": f"{url}?inline", "alt": _("Photo of %(name)s") % {"name": person.full_name}}
    return {
        "person_documents": [d for d in rows if d.kind != Kind.PHOTO],
        "person_documents_may_add": bool(kinds_to_add(request, on_case=False))
        and person.anonymised_at is None,
        # Read by the profile's header (beneficiaries/detail.html), which knows nothing of documents.
        "profile_photo": profile_photo,
    }


def _case_context(request, case) -> dict:
    return {
        "case_documents": list(selectors.case_documents(center=request.center, case=case)),
        "case_documents_may_add": case.is_open and bool(kinds_to_add(request, on_case=True)),
    }


panels.register("documents", order=30, template="documents/_person_documents.html", context=_person_context)
case_panels.register_case_panel(
    "documents", order=10, template="documents/_case_documents.html", context=_case_context
)
