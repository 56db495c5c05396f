"""Pages of the people import: upload, columns, dry run and decisions, progress and result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centers.access import get_scoped
from centers.permissions import Perm, require_perm

from . import services
from .columns import COLUMNS, template_workbook
from .forms import DecisionForm, MappingForm, UploadForm
from .models import ImportRow, PeopleImport

# Importing people is the centre manager's: the same permission as merging records.
PERM = Perm.MERGE_BENEFICIARIES
ROWS_PER_PAGE = 100
DECIDABLE = (ImportRow.Kind.POSSIBLE, ImportRow.Kind.EXISTING, ImportRow.Kind.IN_FILE, ImportRow.Kind.NEW)
SHOWN = (*DECIDABLE, ImportRow.Kind.ERROR, ImportRow.Kind.BEFORE)


def access_import(request, pk) -> PeopleImport:
    """An import of the centre in the URL; another centre's answers 404 like one that does not exist."""
    return get_scoped(PeopleImport.objects.select_related("requested_by"), center=request.center, pk=pk)


def _to_job(request, job):
    return redirect("beneficiaries:import_job", center=request.center.code, pk=job.pk)


@require_perm(PERM)
def upload(request, center):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
        try:
            job = services.people_import_start(
                center=request.center, by=request.user, upload=upload, kind=kind
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("beneficiaries:import_columns", center=request.center.code, pk=job.pk)
    jobs = PeopleImport.objects.in_center(request.center).select_related("requested_by")[:5]
    return render(
        request, "beneficiaries/importing/upload.html", {"form": form, "jobs": jobs, "columns": COLUMNS}
    )


@require_perm(PERM)
def template(request, center):
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="people-import-{get_language()}.xlsx"'
    return response


@require_perm(PERM)
def columns(request, center, pk):
    job = access_import(request, pk)
    if job.status != PeopleImport.Status.MAPPING:
        return _to_job(request, job)
    initial = {code: str(index) for code, index in job.mapping.items()}
    form = MappingForm(request.POST or None, headers=job.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.people_import_map(job=job, mapping=form.mapping())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _to_job(request, job)
    return render(request, "beneficiaries/importing/columns.html", {"job": job, "form": form})


def _shown_kind(request, job) -> str:
    kind = request.GET.get("show", "")
    if kind in SHOWN:
        return kind
    counts = job.counts or {}
    return next(
        (k for k in (ImportRow.Kind.POSSIBLE, ImportRow.Kind.ERROR) if counts.get(k)), ImportRow.Kind.NEW
    )


@require_perm(PERM)
def job(request, center, pk):
    job = access_import(request, pk)
    if job.status == PeopleImport.Status.MAPPING:
        return redirect("beneficiaries:import_columns", center=request.center.code, pk=job.pk)
    context = {"job": job}
    if job.status != PeopleImport.Status.CHECKED:
        return render(request, "beneficiaries/importing/job.html", context)
    shown = _shown_kind(request, job)
    rows = ImportRow.objects.filter(job=job, kind=shown).defer("person")
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    page_rows = list(page)
    form = DecisionForm(request.POST or None, rows=page_rows if shown in DECIDABLE else [])
    if request.method == "POST" and form.is_valid():
        try:
            services.people_import_decide(job=job, decisions=form.decisions())
            if form.cleaned_data["action"] == "import":
                services.people_import_request(job=job)
                return _to_job(request, job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decisions saved."))
        url = request.path + f"?show={shown}&page={page.number}"
        return redirect(url)
    kinds = [(value, label, (job.counts or {}).get(value, 0)) for value, label in ImportRow.Kind.choices]
    context.update(
        shown=shown,
        page=page,
        rows=[(row, form[f"row-{row.pk}"] if f"row-{row.pk}" in form.fields else None) for row in page_rows],
        form=form,
        kinds=kinds,
        undecided=services.undecided(job),
        to_create=(job.counts or {}).get(ImportRow.Kind.NEW, 0),
        nothing_new=(job.counts or {}).get(ImportRow.Kind.BEFORE, 0) == sum((job.counts or {}).values()),
    )
    return render(request, "beneficiaries/importing/job.html", context)
