from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import record_export
from beneficiaries.access import access_person
from beneficiaries.selectors import ScanRefused, beneficiary_for_scan
from centers.access import get_scoped
from centers.permissions import Perm, require_perm
from services import selectors, services
from services.access import access_activity, access_desk_message, access_enrollment, access_session_register
from services.certificates import certificate_pdf
from services.forms import (
    ActivityForm,
    DeliveryForm,
    DeskMessageForm,
    PersonNumberForm,
    SessionForm,
    SlotFormSet,
    WalkInForm,
)
from services.models import Activity

# ---------------------------------------------------------------- today and the desk


@require_perm(Perm.VIEW_ACTIVITIES)
def today(request, center):
    form = PersonNumberForm(request.POST or None)
    alerts = person = None
    candidates = []
    if request.method == "POST":
        if Perm.CHECK_IN not in request.center_perms:
            raise PermissionDenied
        if form.is_valid():
            found = selectors.check_in_lookup(center=request.center, text=form.cleaned_data["number"])
            person, candidates = found.person, found.candidates
            if found.error:
                form.add_error("number", found.error)
            elif person is not None:
                services.check_in(center=request.center, person=person, by=request.user)
                alerts = selectors.check_in_alerts(center=request.center, person=person)
                form = PersonNumberForm()
    day = timezone.localdate()
    context = {
        "day": day,
        "sessions": selectors.mark_register_keeper(
            selectors.today_sessions(center=request.center, day=day),
            user=request.user,
            perms=request.center_perms,
        ),
        "check_ins": selectors.today_check_ins(center=request.center, day=day),
        "form": form,
        "person": person,
        "alerts": alerts,
        "candidates": candidates,
    }
    return render(request, "services/today.html", context)


@require_POST
@require_perm(Perm.CHECK_IN)
def desk_message_done(request, center, pk):
    message = access_desk_message(request, pk)
    services.desk_message_done(message=message)
    messages.success(request, _("Message marked as passed on."))
    return redirect("services:today", center=request.center.code)


@require_perm(Perm.LEAVE_DESK_MESSAGES)
def desk_message_leave(request, center, pk):
    person = access_person(request, pk, active_only=True)
    form = DeskMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.desk_message_leave(
            center=request.center, person=person, by=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("The desk will pass your message on at the next check-in."))
        return redirect("beneficiaries:detail", center=request.center.code, pk=person.pk)
    return render(request, "services/desk_message_form.html", {"person": person, "form": form})


@require_perm(Perm.RECORD_SERVICES)
def delivery_record(request, center, pk):
    person = access_person(request, pk, active_only=True)
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_record(
                center=request.center, person=person, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("beneficiaries:detail", center=request.center.code, pk=person.pk)
    return render(request, "services/delivery_form.html", {"person": person, "form": form})


# ---------------------------------------------------------------- activities


@require_perm(Perm.VIEW_ACTIVITIES)
def activity_list(request, center):
    activities = selectors.activity_list(center=request.center).order_by("category__code", "name")
    return render(request, "services/activity_list.html", {"activities": activities})


@require_perm(Perm.VIEW_ACTIVITIES)
def activity_detail(request, center, pk):
    activity = access_activity(request, pk)
    enrollments = activity.enrollments.select_related("beneficiary").order_by("status", "requested_at")
    upcoming = selectors.mark_register_keeper(
        activity.sessions.filter(date__gte=timezone.localdate(), is_cancelled=False)[:8],
        user=request.user,
        perms=request.center_perms,
    )
    return render(
        request,
        "services/activity_detail.html",
        {
            "activity": activity,
            "enrollments": enrollments,
            "upcoming": upcoming,
            "slots": activity.slots.all(),
            "enrol_form": PersonNumberForm(),
        },
    )


def _activity_form_page(request, activity=None):
    form = ActivityForm(request.POST or None, instance=activity, center=request.center)
    slots = SlotFormSet(request.POST or None, instance=form.instance, prefix="slots")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        kept = [f.instance for f in slots.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            saved = services.activity_save(activity=form.instance, slots=[_fresh_slot(s) for s in kept])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(name)s” saved and its sessions laid out.") % {"name": saved.name})
            return redirect("services:activity_detail", center=request.center.code, pk=saved.pk)
    return render(
        request, "services/activity_form.html", {"form": form, "slots": slots, "activity": activity}
    )


def _fresh_slot(slot):
    slot.pk = None  # slots are replaced as a whole on each save
    return slot


@require_perm(Perm.MANAGE_ACTIVITIES)
def activity_create(request, center):
    return _activity_form_page(request)


@require_perm(Perm.MANAGE_ACTIVITIES)
def activity_edit(request, center, pk):
    return _activity_form_page(request, get_scoped(Activity.objects.all(), center=request.center, pk=pk))


@require_perm(Perm.MANAGE_ACTIVITIES)
def session_add(request, center, pk):
    activity = access_activity(request, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_add(activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("services:register", center=request.center.code, pk=session.pk)
    return render(request, "services/session_form.html", {"activity": activity, "form": form})


@require_POST
@require_perm(Perm.ENROL)
def enrol(request, center, pk):
    activity = access_activity(request, pk)
    form = PersonNumberForm(request.POST)
    try:
        if not form.is_valid():
            raise ScanRefused(_("No one with this number is registered at this centre."))
        person = beneficiary_for_scan(center=request.center, scanned=form.cleaned_data["number"])
    except ScanRefused as refused:
        messages.error(request, refused.message)
    else:
        try:
            enrollment = services.enrollment_request(activity=activity, person=person, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": person.full_name, "status": enrollment.get_status_display()},
            )
    return redirect("services:activity_detail", center=request.center.code, pk=activity.pk)


@require_POST
@require_perm(Perm.ENROL)
def enrollment_change(request, center, pk, action):
    enrollment = access_enrollment(request, pk)
    try:
        services.enrollment_change(enrollment=enrollment, action=action, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Enrolment updated."))
    return redirect("services:activity_detail", center=request.center.code, pk=enrollment.activity_id)


@require_perm(Perm.ENROL)
def certificate(request, center, pk):
    enrollment = access_enrollment(request, pk, completed=True)
    record_export(enrollment, "certificate")
    response = HttpResponse(certificate_pdf(enrollment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="certificate-{enrollment.beneficiary.registration_number}.pdf"'
    )
    return response


# ---------------------------------------------------------------- registers


@require_perm(Perm.KEEP_ATTENDANCE)
def register(request, center, pk):
    session = access_session_register(request, pk)
    rows = selectors.register_rows(session=session)
    walk_in_form = WalkInForm(request.POST or None)
    is_open = session.has_started()
    if request.method == "POST" and walk_in_form.is_valid():
        present_ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        marks = {person.pk: person.pk in present_ids for person, _present, _walk_in in rows}
        walk_ins, errors = selectors.people_from_text(
            center=request.center, text=walk_in_form.cleaned_data["walk_ins"]
        )
        for error in errors:
            walk_in_form.add_error("walk_ins", error)
        if not errors:
            try:
                result = services.register_save(
                    session=session, marks=marks, walk_ins=walk_ins, by=request.user
                )
            except services.RegisterNotOpen:
                is_open = False  # the page says when it opens
            except ValidationError as exc:
                walk_in_form.add_error("walk_ins", exc)
            else:
                messages.success(
                    request,
                    _("Register saved: %(present)d present, %(absent)d absent.")
                    % {"present": result.present, "absent": result.absent},
                )
                return redirect("services:register", center=request.center.code, pk=session.pk)
        # Keep what was ticked, so a wrong walk-in number costs no clicks.
        rows = [(p, p.pk in present_ids, w) for p, _present, w in rows]
    return render(
        request,
        "services/register.html",
        {"session": session, "rows": rows, "walk_in_form": walk_in_form, "is_open": is_open},
    )
