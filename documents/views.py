import uuid
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import record_access, record_export
from beneficiaries.access import access_person
from cases.access import access_case
from centers.permissions import Perm, require_perm

from . import selectors, services
from .access import access_document, has_photo_consent, kinds_to_add, may_remove
from .files import PDF, PdfInfo, max_bytes, pdf_info
from .forms import DocumentForm, PhotoForm
from .pdf import CannotRender, first_page_png

# A file sent by these views is never shown as a page of the site, cached or given anything to run.
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


def _back(request, document):
    if document.case_id:
        return redirect("cases:detail", center=request.center.code, pk=document.case_id)
    return redirect("beneficiaries:detail", center=request.center.code, pk=document.beneficiary_id)


def _upload_page(request, *, person, case=None):
    kinds = kinds_to_add(request, on_case=case is not None)
    if not kinds:
        raise PermissionDenied
    form = DocumentForm(
        request.POST or None, request.FILES or None, kinds=kinds, initial={"token": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document, created = services.document_upload(
                person=person,
                case=case,
                center=request.center,
                by=request.user,
                kind=data["kind"],
                checked=data["file"],
                token=data["token"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Document kept: %(name)s.") % {"name": document.original_name})
            return _back(request, document)
    return render(request, "documents/upload.html", {"form": form, "person": person, "case": case})


@require_perm(Perm.VIEW_BENEFICIARIES)
def upload(request, center, pk):
    return _upload_page(request, person=access_person(request, pk, active_only=True))


@require_perm(Perm.VIEW_CASES)
def case_upload(request, center, pk):
    case = access_case(request, pk)
    if not case.is_open:
        raise PermissionDenied
    return _upload_page(request, person=case.beneficiary, case=case)


def _download_name(document) -> str:
    # The name it came with, but the extension of what it is: a PNG sent as "scan.pdf" downloads as scan.png.
    stem = PurePosixPath(document.original_name.replace("\\", "/")).stem or "document"
    return f"{stem}{document.extension}"


@require_perm(Perm.VIEW_BENEFICIARIES)
def download(request, center, pk):
    """The file itself, only through here: never a public URL. Images may be shown in the page (``?inline``);
    everything else is a download. Each opening is logged as an access; a download is also an export."""
    document = access_document(request, pk)
    inline = document.is_image and "inline" in request.GET
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    record_access(
        user=request.user,
        center=request.center,
        path=request.path,
        person=document.beneficiary,
        case=document.case,
    )
    if not inline:
        record_export(document, "document", kind=document.kind)
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=not inline,
        filename=_download_name(document),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@require_perm(Perm.VIEW_BENEFICIARIES)
def first_page(request, center, pk):
    """A PDF's first page as a PNG for the preview page, drawn for each request and kept nowhere.
    404 for a picture, a file over the size limit, or a PDF that cannot be drawn: the page keeps its text."""
    document = access_document(request, pk)
    if document.content_type != PDF or document.size > max_bytes():
        raise Http404
    try:
        with document.file.open("rb") as handle:
            png = first_page_png(handle.read(max_bytes() + 1))
    except (FileNotFoundError, OSError, CannotRender):
        raise Http404 from None
    record_access(
        user=request.user,
        center=request.center,
        path=request.path,
        person=document.beneficiary,
        case=document.case,
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@require_perm(Perm.VIEW_BENEFICIARIES)
def preview(request, center, pk):
    """A picture is shown; of a PDF, its first page (drawn by ``first_page``) above its number of pages and
    title, or the text alone when it cannot be read."""
    document = access_document(request, pk)
    info = None
    if not document.is_image:
        try:
            with document.file.open("rb") as handle:
                info = pdf_info(handle.read())
        except (FileNotFoundError, OSError):
            raise Http404 from None
        except ValidationError:
            info = PdfInfo(pages=0, title="")
        record_access(
            user=request.user,
            center=request.center,
            path=request.path,
            person=document.beneficiary,
            case=document.case,
        )
    return render(
        request,
        "documents/preview.html",
        {"document": document, "pdf": info, "may_remove": may_remove(request, document)},
    )


@require_POST
@require_perm(Perm.VIEW_BENEFICIARIES)
def remove(request, center, pk):
    document = access_document(request, pk, withdrawn_photo=True)
    if not may_remove(request, document):
        raise PermissionDenied
    services.document_remove(document=document)
    messages.success(request, _("Document deleted."))
    return _back(request, document)


@require_perm(Perm.REGISTER_BENEFICIARIES)
def photo(request, center, pk):
    """Take the photo for the card with the laptop's camera, or upload one; only with photo consent."""
    person = access_person(request, pk, active_only=True)
    consent = has_photo_consent(person)
    form = PhotoForm(request.POST or None, request.FILES or None, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_set(
                person=person,
                center=request.center,
                by=request.user,
                checked=form.cleaned_data["photo"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Photo kept. It is printed on the registration card."))
            return redirect("beneficiaries:detail", center=request.center.code, pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "consent": consent,
        # Without consent the photo is hidden everywhere; here it may still be deleted.
        "current": selectors.current_photo(center=request.center, person=person),
    }
    return render(request, "documents/photo.html", context)
