from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import record_access, record_export
from beneficiaries.access import access_person
from cases import panels, selectors, services
from cases.access import access_case, access_goal, access_referral, access_transfer_to_decide
from cases.forms import (
    CaseOpenForm,
    CloseForm,
    DirectorySearchForm,
    FollowUpForm,
    GoalForm,
    NoteForm,
    PsychologistsForm,
    ReferralAppointmentForm,
    ReferralDeclineForm,
    ReferralForm,
    ReferralOutcomeForm,
    TransferForm,
)
from cases.letters import referral_letter_pdf
from cases.models import Partner
from centers.permissions import Perm, require_perm


def _to_case(request, case):
    return redirect("cases:detail", center=request.center.code, pk=case.pk)


def _form_page(request, template, form, case, service, success, **context):
    """The shape every small case form shares: validate, call the service, explain a refusal."""
    if request.method == "POST" and form.is_valid():
        try:
            service(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return _to_case(request, case)
    return render(request, template, {"form": form, "case": case, **context})


@require_perm(Perm.VIEW_CASES)
def caseload(request, center):
    today = timezone.localdate()
    cases = selectors.my_caseload(center=request.center, user=request.user, today=today)
    overdue = selectors.overdue_referrals(center=request.center, user=request.user, today=today)
    return render(
        request, "cases/caseload.html", {"cases": cases, "today": today, "overdue_referrals": list(overdue)}
    )


@require_perm(Perm.MANAGE_CASES)
def case_open(request, center, pk):
    person = access_person(request, pk, active_only=True)
    form = CaseOpenForm(request.POST or None, center=request.center, initial={"caseworker": request.user})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "psychologists"}
        case = services.case_open(
            center=request.center,
            person=person,
            by=request.user,
            psychologists=form.cleaned_data["psychologists"],
            **data,
        )
        messages.success(request, _("Case opened."))
        return _to_case(request, case)
    return render(request, "cases/case_open.html", {"form": form, "person": person})


@require_perm(Perm.VIEW_CASES)
def detail(request, center, pk):
    case = access_case(request, pk)
    record_access(
        user=request.user, center=request.center, path=request.path, person=case.beneficiary, case=case
    )
    psychologists = list(case.psychologists.all())
    context = {
        "case": case,
        "goals": case.goals.all(),
        "follow_ups": case.follow_ups.select_related("by"),
        "referrals": case.referrals.select_related("partner", "service_point", "answered_by"),
        "notes": selectors.readable_notes(case=case, user=request.user),
        "psychologists": psychologists,
        "transfers": case.transfers.select_related("from_center", "to_center"),
        "today": timezone.localdate(),
        "may_write_notes": Perm.WRITE_CONFIDENTIAL_NOTES in request.center_perms
        and any(p.pk == request.user.pk for p in psychologists),
        "may_assign_psychologists": services.may_assign_psychologists(case=case, user=request.user),
    }
    context["case_panels"], panel_context = panels.case_panels(request, case)
    context.update(panel_context)
    return render(request, "cases/detail.html", context)


@require_perm(Perm.MANAGE_CASES)
def follow_up_add(request, center, pk):
    case = access_case(request, pk)
    form = FollowUpForm(request.POST or None)
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.follow_up_record(case=case, by=request.user, **f.cleaned_data),
        _("Follow-up recorded."),
        title=_("Record a follow-up"),
    )


@require_perm(Perm.MANAGE_CASES)
def goal_add(request, center, pk):
    case = access_case(request, pk)
    form = GoalForm(request.POST or None)
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.goal_add(case=case, **f.cleaned_data),
        _("Goal added to the plan."),
        title=_("Add a goal"),
    )


@require_POST
@require_perm(Perm.MANAGE_CASES)
def goal_done(request, center, pk):
    goal = access_goal(request, pk)
    services.goal_done(goal=goal)
    return _to_case(request, goal.case)


@require_perm(Perm.WRITE_CONFIDENTIAL_NOTES)
def note_add(request, center, pk):
    case = access_case(request, pk)
    if not services.may_write_notes(case=case, user=request.user):
        # A psychologist of the centre who is not on the case: the caseworker or supervisor adds them.
        raise PermissionDenied
    form = NoteForm(request.POST or None)
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.note_add(case=case, author=request.user, text=f.cleaned_data["text"]),
        _("Confidential note saved."),
        title=_("Add a confidential note"),
    )


@require_perm(Perm.VIEW_CASES)
def psychologists_set(request, center, pk):
    case = access_case(request, pk)
    if not services.may_assign_psychologists(case=case, user=request.user):
        raise PermissionDenied
    form = PsychologistsForm(
        request.POST or None, center=request.center, initial={"psychologists": list(case.psychologists.all())}
    )
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.case_psychologists_set(
            case=case, by=request.user, psychologists=f.cleaned_data["psychologists"]
        ),
        _("Psychologists of the case saved."),
        title=_("Psychologists on the case"),
    )


@require_perm(Perm.MANAGE_CASES)
def referral_add(request, center, pk):
    """The directory's search (service type, district) narrows the service points offered; a POST is
    checked against the whole active directory."""
    case = access_case(request, pk)
    search = DirectorySearchForm(request.GET or None, prefix="find")
    filters = search.filters()
    points = None if request.method == "POST" else selectors.service_points(**filters)
    form = ReferralForm(
        request.POST or None, service_points=points, initial={"service_type": filters.get("service_type", "")}
    )
    consent = services.referral_consent_given(case.beneficiary)
    return _form_page(
        request,
        "cases/referral_form.html",
        form,
        case,
        lambda f: services.referral_create(case=case, by=request.user, **f.cleaned_data),
        _("Referral drafted."),
        title=_("Refer to a partner"),
        consent_missing=not consent,
        search=search,
    )


@require_POST
@require_perm(Perm.MANAGE_CASES)
def referral_advance(request, center, pk, action):
    referral = access_referral(request, pk)
    try:
        services.referral_advance(
            referral=referral, action=action, outcome=request.POST.get("outcome", "")[:500], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_case(request, referral.case)


@require_perm(Perm.MANAGE_CASES)
def referral_decline(request, center, pk):
    """The partner has no account: the caseworker records its refusal and the reason it gave."""
    referral = access_referral(request, pk)
    return _form_page(
        request,
        "cases/form.html",
        ReferralDeclineForm(request.POST or None),
        referral.case,
        lambda f: services.referral_decline(
            referral=referral, reason=f.cleaned_data["reason"], by=request.user
        ),
        _("Referral recorded as declined."),
        title=_("Declined by %(partner)s") % {"partner": referral.partner},
    )


@require_perm(Perm.MANAGE_CASES)
def referral_outcome(request, center, pk):
    """The partner has no account: the caseworker records the service it gave."""
    referral = access_referral(request, pk)
    return _form_page(
        request,
        "cases/form.html",
        ReferralOutcomeForm(request.POST or None),
        referral.case,
        lambda f: services.referral_record_outcome(
            referral=referral,
            given_on=f.cleaned_data["given_on"],
            note=f.cleaned_data["note"],
            by=request.user,
        ),
        _("Outcome recorded."),
        title=_("Outcome at %(partner)s") % {"partner": referral.partner},
    )


@require_perm(Perm.MANAGE_CASES)
def referral_appointment(request, center, pk):
    referral = access_referral(request, pk)
    form = ReferralAppointmentForm(request.POST or None, instance=referral)
    return _form_page(
        request,
        "cases/form.html",
        form,
        referral.case,
        lambda f: services.referral_appointment_set(
            referral=referral, appointment_at=f.cleaned_data["appointment_at"]
        ),
        _("Appointment saved."),
        title=_("Appointment at %(partner)s") % {"partner": referral.partner},
    )


@require_perm(Perm.MANAGE_CASES)
def referral_letter(request, center, pk):
    referral = access_referral(request, pk)
    if not services.referral_consent_given(referral.case.beneficiary):
        messages.error(
            request, _("Consent to share data for referrals was withdrawn: no letter can be printed.")
        )
        return _to_case(request, referral.case)
    record_export(referral, "referral letter")
    response = HttpResponse(referral_letter_pdf(referral), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    return response


@require_perm(Perm.MANAGE_CASES)
def close_request(request, center, pk):
    case = access_case(request, pk)
    form = CloseForm(request.POST or None)
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.case_close_request(case=case, by=request.user, reason=f.cleaned_data["reason"]),
        _("Closure recorded."),
        title=_("Close the case"),
    )


@require_POST
@require_perm(Perm.VIEW_CASES)
def close_decide(request, center, pk, decision):
    case = access_case(request, pk)
    try:
        services.case_close_approve(case=case, by=request.user, approve=decision == "approve")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_case(request, case)


@require_perm(Perm.MANAGE_CASES)
def transfer_request(request, center, pk):
    case = access_case(request, pk)
    form = TransferForm(request.POST or None, center=request.center)
    return _form_page(
        request,
        "cases/form.html",
        form,
        case,
        lambda f: services.transfer_request(case=case, by=request.user, **f.cleaned_data),
        _("Transfer requested: the receiving centre's manager will answer."),
        title=_("Transfer to another centre"),
    )


@require_POST
@require_perm(Perm.DECIDE_TRANSFERS)
def transfer_decide(request, center, pk, decision):
    # Only transfers *to* this centre are answered here.
    transfer = access_transfer_to_decide(request, pk)
    try:
        services.transfer_decide(transfer=transfer, by=request.user, accept=decision == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Transfer answered."))
    return redirect("cases:supervision", center=request.center.code)


@require_perm(Perm.VIEW_CASES)
def partners(request, center):
    """The partner directory: who offers what, to choose where to refer."""
    return render(request, "cases/partners.html", {"partners": Partner.objects.filter(is_active=True)})


@require_perm(Perm.VIEW_CASES)
def supervision(request, center):
    context = selectors.supervision(
        center=request.center,
        user=request.user,
        all_cases=Perm.DECIDE_TRANSFERS in request.center_perms,
        today=timezone.localdate(),
    )
    return render(request, "cases/supervision.html", context)
