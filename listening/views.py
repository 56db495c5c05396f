"""Pages of listening: outreach visits and interviews, needs versus offer, the offline form, feedback."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import client_ip, record_export
from centers.permissions import Perm, require_perm
from core.forms import SubmissionTokenForm
from core.tables import RENDERERS
from listening import selectors, services, xlsform
from listening.access import (
    access_feedback,
    access_interview,
    access_interview_import,
    access_visit,
    readable_feedback,
)
from listening.forms import (
    FeedbackAnswerForm,
    FeedbackFilterForm,
    FeedbackForm,
    InterviewForm,
    InterviewImportForm,
    PeriodForm,
    VisitForm,
)
from listening.models import FEEDBACK_ANSWER_DAYS, Feedback, InterviewImport, OutreachVisit

EXPORT_FORMATS = {"xlsx", "csv"}


def _token(request):
    """The form's one-time token; a lost or mangled one (an old tab) gets a new one, never a dead end."""
    form = SubmissionTokenForm(request.POST)
    return form.cleaned_data["token"] if form.is_valid() else None


def _period(request):
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    default = PeriodForm.default(timezone.localdate())
    return (form if request.GET else PeriodForm(initial=default)), default["start"], default["end"]


# ---------------------------------------------------------------- needs versus offer


@require_perm(Perm.VIEW_NEEDS)
def needs_offer(request, center):
    form, start, end = _period(request)
    result = selectors.needs_offer(center=request.center, start=start, end=end)
    return render(
        request,
        "listening/needs_offer.html",
        {
            "form": form,
            "result": result,
            "quotes": selectors.recent_quotes(center=request.center, start=start, end=end),
            "feedback_counts": [(Feedback.Kind(k).label, n) for k, n in result.feedback.items()],
            "query": f"start={start.isoformat()}&end={end.isoformat()}",
        },
    )


@require_perm(Perm.VIEW_NEEDS)
def needs_offer_export(request, center, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, start, end = _period(request)
    tables = selectors.needs_offer_tables(selectors.needs_offer(center=request.center, start=start, end=end))
    render_file, content_type = RENDERERS[fmt]
    record_export(request.center, f"needs versus offer {fmt}", start=str(start), end=str(end))
    response = HttpResponse(render_file(tables), content_type=content_type)
    name = f"needs-offer-{request.center.code}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------- outreach visits


@require_perm(Perm.RECORD_OUTREACH)
def visit_list(request, center):
    visits = (
        OutreachVisit.objects.in_center(request.center)
        .annotate(interview_count=Count("interviews"))
        .order_by("-date", "-pk")
    )
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return render(request, "listening/visit_list.html", {"page": page})


@require_perm(Perm.RECORD_OUTREACH)
def visit_create(request, center):
    form = VisitForm(request.POST or None, center=request.center, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = _token(request)
        if token is None:
            form.add_error(None, _("This form had expired. Check it and save again."))
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "staff"}
            visit, created = services.visit_record(
                center=request.center, by=request.user, staff=form.cleaned_data["staff"], token=token, **data
            )
            if created:
                messages.success(request, _("Visit saved. Now record the people you asked."))
            return redirect("listening:visit_detail", center=request.center.code, pk=visit.pk)
    return render(
        request,
        "listening/visit_form.html",
        {"form": form, "token_form": SubmissionTokenForm.fresh()},
    )


@require_perm(Perm.RECORD_OUTREACH)
def visit_edit(request, center, pk):
    visit = access_visit(request, pk)
    form = VisitForm(
        request.POST or None,
        instance=visit,
        center=request.center,
        user=visit.created_by,
        initial={"staff": list(visit.staff.exclude(pk=visit.created_by_id))},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "staff"}
        try:
            services.visit_update(visit=visit, by=request.user, staff=form.cleaned_data["staff"], data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Visit saved."))
            return redirect("listening:visit_detail", center=request.center.code, pk=visit.pk)
    return render(request, "listening/visit_form.html", {"form": form, "visit": visit})


@require_POST
@require_perm(Perm.RECORD_OUTREACH)
def interview_remove(request, center, pk):
    interview = access_interview(request, pk)
    visit = services.interview_remove(interview=interview)
    messages.success(request, _("Interview removed."))
    return redirect("listening:visit_detail", center=request.center.code, pk=visit.pk)


@require_perm(Perm.RECORD_OUTREACH)
def visit_detail(request, center, pk):
    """The visit, its interviews, and the form to add one more (saved once per form shown)."""
    visit = access_visit(request, pk)
    form = InterviewForm(request.POST or None, center=request.center)
    if request.method == "POST" and form.is_valid():
        token = _token(request)
        if token is None:
            form.add_error(None, _("This form had expired. Check it and save again."))
        else:
            _interview, created = services.interview_record(
                visit=visit, by=request.user, token=token, **form.interview_data()
            )
            if created:
                messages.success(request, _("Interview saved."))
            return redirect("listening:visit_detail", center=request.center.code, pk=visit.pk)
    return render(
        request,
        "listening/visit_detail.html",
        {
            "visit": visit,
            "staff": list(visit.staff.all()),
            "interviews": selectors.visit_interviews(visit=visit),
            "form": form,
            "token_form": SubmissionTokenForm.fresh(),
        },
    )


@require_perm(Perm.RECORD_OUTREACH)
def xlsform_download(request, center):
    response = HttpResponse(
        xlsform.xlsform_xlsx(request.center),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="toplum-needs-interview-{request.center.code}.xlsx"'
    )
    return response


@require_perm(Perm.RECORD_OUTREACH)
def interview_import(request, center):
    """The file is checked here (SpreadsheetField) and imported by a task; the job's page follows it."""
    form = InterviewImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = xlsform.interview_import_request(
            center=request.center,
            by=request.user,
            upload=form.cleaned_data["file"],
            ip_address=client_ip(request),
        )
        return redirect("listening:interview_import_job", center=request.center.code, pk=job.pk)
    jobs = InterviewImport.objects.in_center(request.center).select_related("requested_by")[:5]
    return render(request, "listening/import.html", {"form": form, "jobs": jobs})


@require_perm(Perm.RECORD_OUTREACH)
def interview_import_job(request, center, pk):
    return render(request, "listening/import_job.html", {"job": access_interview_import(request, pk)})


# ---------------------------------------------------------------- feedback


def _with_age(feedback, today):
    feedback.age = feedback.days_open(today)
    return feedback


@require_perm(Perm.VIEW_FEEDBACK)
def feedback_list(request, center):
    today = timezone.localdate()
    filters = FeedbackFilterForm(request.GET or None)
    feedback = readable_feedback(request).select_related("category")
    status = kind = ""
    if filters.is_valid():
        status, kind = filters.cleaned_data["status"], filters.cleaned_data["kind"]
    if status == "":
        feedback = feedback.exclude(status=Feedback.Status.CLOSED)
    elif status != "all":
        feedback = feedback.filter(status=status)
    if kind:
        feedback = feedback.filter(kind=kind)
    page = Paginator(feedback, 50).get_page(request.GET.get("page"))
    waiting = (
        readable_feedback(request).waiting(today=today, days=FEEDBACK_ANSWER_DAYS).select_related("category")
    )
    return render(
        request,
        "listening/feedback_list.html",
        {
            "page": page,
            "filters": filters,
            "waiting": [_with_age(f, today) for f in waiting.order_by("received_on")[:100]],
            "today": today,
            "days": FEEDBACK_ANSWER_DAYS,
            "querystring": f"status={status}&kind={kind}",
        },
    )


@require_perm(Perm.RECORD_FEEDBACK)
def feedback_create(request, center):
    form = FeedbackForm(request.POST or None, center=request.center)
    if request.method == "POST" and form.is_valid():
        token = _token(request)
        if token is None:
            form.add_error(None, _("This form had expired. Check it and save again."))
        else:
            try:
                feedback, created = services.feedback_record(
                    center=request.center, by=request.user, token=token, data=form.feedback_data()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Feedback recorded (reference %(ref)d).") % {"ref": feedback.pk}
                    if created
                    else _("This feedback was already recorded (reference %(ref)d).") % {"ref": feedback.pk},
                )
                if Perm.VIEW_FEEDBACK in request.center_perms and not (
                    feedback.sensitive and Perm.VIEW_SENSITIVE_FEEDBACK not in request.center_perms
                ):
                    return redirect("listening:feedback_detail", center=request.center.code, pk=feedback.pk)
                return redirect("listening:feedback_create", center=request.center.code)
    return render(
        request,
        "listening/feedback_form.html",
        {"form": form, "token_form": SubmissionTokenForm.fresh()},
    )


@require_perm(Perm.VIEW_FEEDBACK)
def feedback_detail(request, center, pk):
    feedback = access_feedback(request, pk)
    form = FeedbackAnswerForm(
        request.POST or None,
        initial={"status": feedback.status, "answer": feedback.answer, "sensitive": feedback.sensitive},
        may_flag=Perm.VIEW_SENSITIVE_FEEDBACK in request.center_perms,
    )
    if request.method == "POST":
        return _feedback_answer(request, feedback, form)
    return _feedback_page(request, feedback, form)


def _feedback_page(request, feedback, form):
    return render(
        request,
        "listening/feedback_detail.html",
        {"feedback": feedback, "form": form, "days_open": feedback.days_open(timezone.localdate())},
    )


@require_POST
@require_perm(Perm.ANSWER_FEEDBACK)
def _feedback_answer(request, feedback, form):
    if form.is_valid():
        try:
            services.feedback_answer(feedback=feedback, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Feedback updated."))
            return redirect("listening:feedback_detail", center=request.center.code, pk=feedback.pk)
    return _feedback_page(request, feedback, form)
