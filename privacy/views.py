"""The data protection officer's pages: the audit trail, the access log, and subject rights.

Only a data protection officer (a national role) may open them: other users get 403 on the
search pages and 404 on a person's page, as if the person were in another centre.
"""

import csv
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import recorder
from audit.models import AccessLog, AuditEvent
from centers.permissions import Perm, require_national_perm
from core.tables import safe
from privacy import selectors, services
from privacy.access import access_subject
from privacy.document import document_language, languages
from privacy.forms import AnonymiseForm, AuditFilterForm

EXPORT_LIMIT = 100_000
SEARCH_PAGE_SIZE = 25


@require_national_perm(Perm.VIEW_AUDIT_TRAIL)
def access_log(request):
    """Who opened which record. Read-only."""
    entries = AccessLog.objects.select_related("user", "beneficiary", "center").order_by("-at")
    number = request.GET.get("number", "").strip().upper()
    if number:
        entries = entries.filter(beneficiary__registration_number=number)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/access_log.html", {"page": page, "number": number})


def _events(request) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor", "center")
    if form.is_bound:
        # A search that does not validate (a wrong date) finds nothing rather than everything.
        events = form.filter(events) if form.is_valid() else events.none()
    return form, events


@require_national_perm(Perm.VIEW_AUDIT_TRAIL)
def audit_events(request):
    """Search the audit trail: by user, action, record, person, centre and dates."""
    form, events = _events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "privacy/audit_events.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_national_perm(Perm.VIEW_AUDIT_TRAIL)
def audit_export(request):
    """The same search as CSV (at most EXPORT_LIMIT rows); the export is itself audited."""
    form, events = _events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["at", "user", "action", "record_type", "record_id", "centre", "address", "detail"])
    rows = 0
    for event in events[:EXPORT_LIMIT].iterator(chunk_size=2000):
        writer.writerow(
            safe(value)
            for value in [
                timezone.localtime(event.at).isoformat(),
                event.username,
                event.action,
                event.object_type,
                event.object_id,
                event.center.code if event.center else "",
                event.ip_address or "",
                json.dumps(event.detail),
            ]
        )
        rows += 1
    recorder.record(
        AuditEvent.Action.EXPORT, object_type="audit", detail={"rows": rows, "filter": request.GET.dict()}
    )
    return response


@require_national_perm(Perm.HANDLE_SUBJECT_REQUESTS)
def subject_search(request):
    """Find a person in any centre, by name in any script or by registration or card number, to export or
    anonymise their data. A number opens the person; a name lists the people it may be."""
    query = " ".join((request.GET.get("q") or request.GET.get("number") or "").split())
    page = None
    number = selectors.subject_number(query)
    if number:
        person = selectors.subject_for_number(number=number)
        if person is not None:
            return redirect("privacy:subject_detail", pk=person.pk)
        messages.error(request, _("No one has the registration number %(number)s.") % {"number": number})
    elif query:
        page = Paginator(selectors.subjects_by_name(query=query), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "privacy/subject_search.html", {"query": query, "page": page})


def _subject_page(request, person, form):
    counts = services.section_counts(services.subject_data(person=person))
    context = {
        "person": person,
        "counts": counts,
        "form": form,
        "languages": languages(),
        "language": document_language(person=person, requested=None, fallback=request.LANGUAGE_CODE),
    }
    return render(request, "privacy/subject_detail.html", context)


@require_national_perm(Perm.HANDLE_SUBJECT_REQUESTS, hide=True)
def subject_detail(request, pk):
    person = access_subject(pk)
    return _subject_page(request, person, AnonymiseForm(person=person))


@require_national_perm(Perm.HANDLE_SUBJECT_REQUESTS, hide=True)
def subject_export(request, pk, fmt):
    person = access_subject(pk)
    detail = {"format": fmt, "subject_access": True}
    if fmt == "json":
        body, content_type = services.subject_json(person=person), "application/json"
    elif fmt == "pdf":
        language = document_language(
            person=person, requested=request.GET.get("lang"), fallback=request.LANGUAGE_CODE
        )
        body = services.subject_pdf(person=person, language=language, by=request.user)
        content_type, detail["language"] = "application/pdf", language
    else:
        raise Http404
    recorder.record(AuditEvent.Action.EXPORT, obj=person, detail=detail)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{person.registration_number}.{fmt}"'
    return response


@require_national_perm(Perm.HANDLE_SUBJECT_REQUESTS, hide=True)
@require_POST
def subject_anonymise(request, pk):
    person = access_subject(pk)
    form = AnonymiseForm(request.POST, person=person)
    if not form.is_valid():
        return _subject_page(request, person, form)
    if person.anonymised_at is None:
        services.person_anonymise(person=person, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("The person's identifying data has been destroyed; their contacts remain as anonymous rows."),
    )
    return redirect("privacy:subject_detail", pk=person.pk)
