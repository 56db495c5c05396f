"""Writes for case management. Domain errors are ValidationErrors with words for the page."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import recorder
from audit.models import AuditEvent
from beneficiaries.models import Beneficiary, ConsentScope
from cases.models import (
    REFERRAL_FIELDS,
    Case,
    CaseGoal,
    ConfidentialNote,
    FollowUp,
    Referral,
    ServicePoint,
    Transfer,
)
from cases.signals import referral_sent, referral_withdrawn
from centers.models import Center, Role


class ReferralNotOpen(ValidationError):
    """The referral's state (or the person's withdrawn consent) does not allow this answer now."""


def case_open(
    *,
    center: Center,
    person: Beneficiary,
    by,
    caseworker,
    reason: str,
    risk_level: str,
    legal_basis: str,
    supervisor=None,
    covers_household: bool = False,
    psychologists=(),
) -> Case:
    case = Case(
        center=center,
        beneficiary=person,
        caseworker=caseworker,
        supervisor=supervisor,
        reason=reason,
        risk_level=risk_level,
        legal_basis=legal_basis,
        covers_household=covers_household,
        opened_by=by,
    )
    case.full_clean()
    with transaction.atomic():
        case.save()
        case.psychologists.set(psychologists)
    return case


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed."))


def follow_up_record(
    *,
    case: Case,
    by,
    date: dt.date,
    type: str,
    summary: str,
    actions_agreed: str = "",
    next_date: dt.date | None = None,
) -> FollowUp:
    _require_open(case)
    follow_up = FollowUp(
        case=case,
        center=case.center,
        by=by,
        date=date,
        type=type,
        summary=summary,
        actions_agreed=actions_agreed,
        next_date=next_date,
    )
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        if Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).update(status=Case.Status.ACTIVE):
            recorder.record(AuditEvent.Action.UPDATE, obj=case, actor=by, detail={"fields": ["status"]})
    return follow_up


def goal_add(*, case: Case, goal: str, action: str = "", due_on: dt.date | None = None) -> CaseGoal:
    _require_open(case)
    goal = CaseGoal(case=case, goal=goal, action=action, due_on=due_on)
    goal.full_clean()
    goal.save()
    return goal


def goal_done(*, goal: CaseGoal) -> None:
    with transaction.atomic():
        if CaseGoal.objects.filter(pk=goal.pk, done_on__isnull=True).update(done_on=timezone.localdate()):
            recorder.record(
                AuditEvent.Action.UPDATE,
                obj=goal,
                center_id=goal.case.center_id,
                detail={"fields": ["done_on"]},
            )


def may_write_notes(*, case: Case, user) -> bool:
    """Only a psychologist assigned to the case writes its confidential notes."""
    return case.psychologists.filter(pk=user.pk).exists()


def note_add(*, case: Case, author, text: str) -> ConfidentialNote:
    """A confidential note by a psychologist of the case. Writing never widens who reads the case's notes:
    who joins its psychologists is decided by the caseworker or supervisor (:func:`case_psychologists_set`)."""
    if not may_write_notes(case=case, user=author):
        raise PermissionDenied
    note = ConfidentialNote(case=case, author=author, text=text)
    note.full_clean()
    note.save()
    return note


def may_assign_psychologists(*, case: Case, user) -> bool:
    return user.pk in {case.caseworker_id, case.supervisor_id}


def case_psychologists_set(*, case: Case, by, psychologists) -> Case:
    """The caseworker or supervisor decides which psychologists of the centre are on the case (and so read
    its confidential notes). Audited with who was added and removed."""
    if not may_assign_psychologists(case=case, user=by):
        raise PermissionDenied
    allowed = set(
        case.center.memberships.filter(role=Role.PSYCHOLOGIST, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    wanted = {p.pk for p in psychologists}
    if not wanted <= allowed:
        raise ValidationError(_("Only psychologists of this centre can be on the case."))
    with transaction.atomic():
        before = set(case.psychologists.values_list("pk", flat=True))
        case.psychologists.set(wanted)
        added, removed = sorted(wanted - before), sorted(before - wanted)
        if added or removed:
            recorder.record(
                AuditEvent.Action.ACCESS_CHANGE,
                obj=case,
                actor=by,
                detail={"psychologists_added": added, "psychologists_removed": removed},
            )
    return case


def referral_consent_given(person: Beneficiary) -> bool:
    consent = person.consents.filter(scope=ConsentScope.REFERRAL_DATA_SHARING).first()
    return bool(consent and consent.is_active)


def referral_create(
    *,
    case: Case,
    by,
    partner,
    reason: str,
    urgency: str,
    shared_fields: list[str],
    appointment_at: dt.datetime | None = None,
    service_point: ServicePoint | None = None,
    service_type: str = "",
) -> Referral:
    _require_open(case)
    if not referral_consent_given(case.beneficiary):
        raise ValidationError(
            _("%(name)s has not consented to sharing data for referrals. Record their consent first.")
            % {"name": case.beneficiary.full_name}
        )
    unknown = set(shared_fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    referral = Referral(
        case=case,
        created_by=by,
        partner=partner,
        reason=reason,
        urgency=urgency,
        shared_fields=shared_fields,
        appointment_at=appointment_at,
        service_point=service_point,
        service_type=service_type,
    )
    if service_point is not None:
        referral.partner = service_point.partner
    referral.full_clean()
    referral.save()
    return referral


def _locked_referral(
    referral: Referral, *, allowed: set, consent_needed: bool = True, refused: str = ""
) -> Referral:
    """The referral, locked, if its status is one of ``allowed`` and (unless ``consent_needed`` is False) the
    person's referral consent holds; ``refused`` says what a withdrawn consent stops."""
    referral = Referral.objects.select_for_update().select_related("case__beneficiary").get(pk=referral.pk)
    if referral.status not in allowed:
        raise ReferralNotOpen(
            _("This referral is “%(status)s”: that is not possible now.")
            % {"status": referral.get_status_display()}
        )
    if consent_needed and not referral_consent_given(referral.case.beneficiary):
        # Consent can be withdrawn at any step: sharing, and answering on what was shared, stop at once.
        raise ReferralNotOpen(
            refused
            or _("Consent to share data for referrals was withdrawn: this referral is closed to answers.")
        )
    return referral


def referral_send(*, referral: Referral, by=None) -> Referral:
    """The referral leaves the centre: its partner (focal point, or system through the API) sees it now."""
    with transaction.atomic():
        referral = _locked_referral(
            referral,
            allowed={Referral.Status.DRAFT},
            refused=_("Consent to share data for referrals was withdrawn: this referral cannot be sent."),
        )
        referral.status, referral.sent_on = Referral.Status.SENT, timezone.localdate()
        referral.save(update_fields=["status", "sent_on"])
        sent = referral
        transaction.on_commit(lambda: referral_sent.send(sender=Referral, referral=sent))
    return referral


def _answered(referral: Referral, *, by, via: str) -> None:
    if via not in Referral.AnsweredVia.values:
        raise ValidationError(_("Unknown answer channel."))
    referral.answered_on = referral.answered_on or timezone.localdate()
    referral.answered_via = via
    referral.answered_by = by if by is not None and by.is_authenticated else None


def referral_accept(*, referral: Referral, by=None, via: str = Referral.AnsweredVia.CASEWORKER) -> Referral:
    """The partner takes the referral: recorded by its focal point, its system, or the caseworker."""
    with transaction.atomic():
        referral = _locked_referral(referral, allowed={Referral.Status.SENT})
        referral.status = Referral.Status.ACCEPTED
        _answered(referral, by=by, via=via)
        referral.save(update_fields=["status", "answered_on", "answered_via", "answered_by"])
    return referral


def referral_decline(
    *, referral: Referral, reason: str, by=None, via: str = Referral.AnsweredVia.CASEWORKER
) -> Referral:
    """The partner cannot take the referral, and says why (the caseworker refers elsewhere)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the referral is declined."))
    with transaction.atomic():
        referral = _locked_referral(referral, allowed={Referral.Status.SENT})
        referral.status, referral.decline_reason = Referral.Status.DECLINED, reason[:500]
        _answered(referral, by=by, via=via)
        referral.full_clean()
        referral.save(
            update_fields=["status", "decline_reason", "answered_on", "answered_via", "answered_by"]
        )
    return referral


def referral_record_outcome(
    *, referral: Referral, given_on: dt.date, note: str, by=None, via: str = Referral.AnsweredVia.CASEWORKER
) -> Referral:
    """The service was given: on which day, and a note for the caseworker. Closes the loop."""
    today = timezone.localdate()
    with transaction.atomic():
        referral = _locked_referral(referral, allowed={Referral.Status.ACCEPTED})
        if given_on is None or given_on > today:
            raise ValidationError({"given_on": _("This date is in the future.")})
        if referral.sent_on and given_on < referral.sent_on:
            raise ValidationError(
                {"given_on": _("The service cannot be given before the referral was sent.")}
            )
        referral.status, referral.completed_on = Referral.Status.COMPLETED, today
        referral.service_given_on, referral.outcome_note = given_on, (note or "").strip()
        if not referral.outcome and referral.outcome_note:
            referral.outcome = referral.outcome_note[:500]
        _answered(referral, by=by, via=via)
        referral.full_clean()
        referral.save(
            update_fields=[
                "status",
                "completed_on",
                "service_given_on",
                "outcome_note",
                "outcome",
                "answered_on",
                "answered_via",
                "answered_by",
            ]
        )
    return referral


def referral_withdraw(*, referral: Referral, by=None) -> Referral:
    """The centre takes a referral back (the person changed their mind, or went elsewhere). Its partner
    stops seeing it at once; a partner system is told when it had received it."""
    open_ = {Referral.Status.DRAFT, Referral.Status.SENT, Referral.Status.ACCEPTED}
    with transaction.atomic():
        referral = _locked_referral(referral, allowed=open_, consent_needed=False)
        was_sent = referral.status != Referral.Status.DRAFT
        referral.status = Referral.Status.WITHDRAWN
        referral.save(update_fields=["status"])
        if was_sent:
            withdrawn = referral
            transaction.on_commit(lambda: referral_withdrawn.send(sender=Referral, referral=withdrawn))
    return referral


def referral_advance(*, referral: Referral, action: str, outcome: str = "", by=None) -> Referral:
    """The caseworker's buttons, where the partner has no account: each calls the service of its step."""
    if action == "send":
        return referral_send(referral=referral, by=by)
    if action == "accept":
        return referral_accept(referral=referral, by=by)
    if action == "decline":
        return referral_decline(referral=referral, reason=outcome, by=by)
    if action == "complete":
        return referral_record_outcome(referral=referral, given_on=timezone.localdate(), note=outcome, by=by)
    if action == "withdraw":
        return referral_withdraw(referral=referral, by=by)
    raise ValidationError(_("Unknown action."))


def referral_appointment_set(*, referral: Referral, appointment_at: dt.datetime | None) -> Referral:
    """Record (or clear) the appointment the partner gave, while the referral is sent or accepted."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status not in (Referral.Status.SENT, Referral.Status.ACCEPTED):
            raise ValidationError(
                _("This referral is “%(status)s”: its appointment cannot be changed now.")
                % {"status": referral.get_status_display()}
            )
        referral.appointment_at = appointment_at
        referral.full_clean()
        referral.save(update_fields=["appointment_at"])
    return referral


def case_close_request(*, case: Case, by, reason: str) -> Case:
    """The caseworker asks; the supervisor approves. A supervisor closing their own case needs no one."""
    _require_open(case)
    if not reason.strip():
        raise ValidationError(_("Say why the case is closed."))
    case.closure_reason, case.closure_requested_by = reason, by
    if case.supervisor_id in (None, by.pk):
        case.status, case.closed_at = Case.Status.CLOSED, timezone.now()
    else:
        case.status = Case.Status.CLOSURE_REQUESTED
    case.save(update_fields=["closure_reason", "closure_requested_by", "status", "closed_at"])
    return case


def case_close_approve(*, case: Case, by, approve: bool) -> Case:
    if case.status != Case.Status.CLOSURE_REQUESTED:
        raise ValidationError(_("No closure is waiting for approval."))
    if by.pk != case.supervisor_id:
        raise PermissionDenied
    case.status = Case.Status.CLOSED if approve else Case.Status.ACTIVE
    case.closed_at = timezone.now() if approve else None
    case.save(update_fields=["status", "closed_at"])
    return case


def transfer_request(*, case: Case, by, to_center: Center, reason: str) -> Transfer:
    _require_open(case)
    if to_center.pk == case.center_id:
        raise ValidationError(_("The case is already at this centre."))
    if case.transfers.filter(status=Transfer.Status.REQUESTED).exists():
        raise ValidationError(_("A transfer of this case is already waiting for an answer."))
    transfer = Transfer(
        case=case, from_center=case.center, to_center=to_center, reason=reason, requested_by=by
    )
    transfer.full_clean()
    transfer.save()
    return transfer


def transfer_decide(*, transfer: Transfer, by, accept: bool) -> Transfer:
    """The receiving manager answers. On acceptance the case, the person (and the
    household the case covers) move to the new centre in one transaction: the old
    centre loses access at the same instant the new one gains it."""
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update()
            .select_related("case", "case__beneficiary")
            .get(pk=transfer.pk)
        )
        if transfer.status != Transfer.Status.REQUESTED:
            raise ValidationError(_("This transfer was already answered."))
        transfer.status = Transfer.Status.ACCEPTED if accept else Transfer.Status.DECLINED
        transfer.decided_by, transfer.decided_at = by, timezone.now()
        transfer.save()
        if accept:
            case, person = transfer.case, transfer.case.beneficiary
            Case.objects.filter(pk=case.pk).update(center=transfer.to_center, caseworker=by, supervisor=None)
            case.psychologists.clear()  # the new centre assigns its own
            moving = Beneficiary.objects.filter(pk=person.pk)
            if case.covers_household and person.household_id:
                moving = Beneficiary.objects.filter(household_id=person.household_id)
                person.household.__class__.objects.filter(pk=person.household_id).update(
                    center=transfer.to_center
                )
            moved = list(moving.values_list("pk", flat=True))
            moving.update(center=transfer.to_center)
            recorder.record(
                recorder.AuditEvent.Action.UPDATE,
                obj=case,
                actor=by,
                center_id=transfer.to_center_id,
                detail={"transfer": transfer.pk, "people_moved": moved},
            )
    return transfer


def follow_ups_due_today() -> dict:
    """{caseworker: [case, …]} for open cases whose promised next follow-up is today."""
    today = timezone.localdate()
    latest = FollowUp.objects.filter(case=OuterRef("pk")).order_by("-date", "-pk").values("next_date")[:1]
    due = (
        Case.objects.exclude(status=Case.Status.CLOSED)
        .annotate(next_due=Subquery(latest))
        .filter(next_due=today)
        .select_related("caseworker", "center", "beneficiary")
        .order_by("caseworker_id", "pk")
    )
    by_worker: dict = {}
    for case in due:
        by_worker.setdefault(case.caseworker, []).append(case)
    return by_worker


def follow_ups_due_notify() -> int:
    """E-mail each caseworker the registration numbers of today's follow-ups (no names, no notes:
    e-mail leaves the system). The caseload page shows the same list in the app."""
    sent = 0
    for worker, cases in follow_ups_due_today().items():
        if not worker.email:
            continue
        lines = [f"- {case.beneficiary.registration_number} ({case.center.code})" for case in cases]
        send_mail(
            subject=_("Toplum: %(count)d follow-ups due today") % {"count": len(cases)},
            message="\n".join([_("Follow-ups due today:"), *lines]),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[worker.email],
        )
        sent += 1
    return sent


# The service directory and partners' accounts (cases/services/directory.py), imported here so that callers
# keep one name for case management's writes: ``from cases import services``.
from cases.services.directory import (  # noqa: E402, F401
    IMPORT_COLUMNS,
    partner_focal_point_create,
    service_point_save,
    service_points_import,
)
