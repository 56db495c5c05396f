"""Writes for listening: outreach visits, needs interviews and feedback, each saved once per form shown."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Center
from core.services import model_fields_set
from core.tokens import create_once
from services.models import Need

from .models import MAX_RANKED_NEEDS, Feedback, InterviewNeed, NeedsInterview, OutreachVisit

# ---------------------------------------------------------------- recording


VISIT_FIELDS = ["date", "district", "neighbourhood", "households_visited", "notes"]


def visit_record(
    *,
    center: Center,
    by,
    staff,
    token: uuid.UUID,
    date: dt.date,
    district: str,
    neighbourhood: str = "",
    households_visited: int = 0,
    notes: str = "",
) -> tuple[OutreachVisit, bool]:
    """Save a visit once per form shown: a double submit returns the visit already saved."""

    def create() -> OutreachVisit:
        visit = OutreachVisit(
            center=center,
            created_by=by,
            submission_token=token,
            date=date,
            district=district,
            neighbourhood=neighbourhood,
            households_visited=households_visited,
            notes=notes,
        )
        visit.full_clean()
        visit.save()
        visit.staff.set({by, *staff})
        return visit

    return create_once(OutreachVisit.objects.all(), create=create, submission_token=token)


def visit_update(*, visit: OutreachVisit, by, staff, data: dict) -> OutreachVisit:
    """Correct a visit (the fields of VISIT_FIELDS in ``data``); whoever recorded it stays on its staff."""
    model_fields_set(instance=visit, fields=VISIT_FIELDS, data=data)
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        visit.staff.set({visit.created_by, *staff})
    return visit


def interview_remove(*, interview: NeedsInterview) -> OutreachVisit:
    """An interview recorded by mistake (twice, or on the wrong visit). The audit trail keeps the deletion."""
    visit = interview.visit
    interview.delete()
    return visit


def interview_save(
    *,
    visit: OutreachVisit,
    by,
    submission_id: str,
    needs: list[str],
    respondent_sex: str,
    age_band: str,
    population_group: str,
    nationality: str = "",
    beneficiary=None,
    quote: str = "",
) -> NeedsInterview:
    interview = NeedsInterview.objects.create(
        visit=visit,
        created_by=by,
        submission_id=submission_id,
        respondent_sex=respondent_sex,
        age_band=age_band,
        population_group=population_group,
        nationality=nationality,
        beneficiary=beneficiary,
        quote=quote,
    )
    InterviewNeed.objects.bulk_create(
        InterviewNeed(interview=interview, need=need, rank=rank) for rank, need in enumerate(needs, start=1)
    )
    return interview


def interview_record(
    *,
    visit: OutreachVisit,
    by,
    token: uuid.UUID,
    needs: list[str],
    respondent_sex: str,
    age_band: str,
    population_group: str,
    nationality: str = "",
    beneficiary=None,
    quote: str = "",
) -> tuple[NeedsInterview, bool]:
    """Save one interview of a visit, once per form shown. ``needs`` are codes, most important first."""
    submission_id = f"web:{token}"
    if not NeedsInterview.objects.filter(submission_id=submission_id).exists():
        needs = ranked_needs(needs)
    return create_once(
        NeedsInterview.objects.all(),
        create=lambda: interview_save(
            visit=visit,
            by=by,
            submission_id=submission_id,
            needs=needs,
            respondent_sex=respondent_sex,
            age_band=age_band,
            population_group=population_group,
            nationality=nationality,
            beneficiary=beneficiary,
            quote=quote,
        ),
        submission_id=submission_id,
    )


def ranked_needs(needs) -> list[str]:
    """The needs a respondent named, in order, without blanks; refused when one repeats or is unknown."""
    named = [n for n in needs if n]
    if not named:
        raise ValidationError(_("Record at least the most important need."))
    if len(named) > MAX_RANKED_NEEDS:
        raise ValidationError(_("Record three needs at most."))
    if len(set(named)) != len(named):
        raise ValidationError(_("Each need can be named once."))
    if not set(named) <= set(Need.values):
        raise ValidationError(_("Unknown need."))
    return named


# ---------------------------------------------------------------- feedback


FEEDBACK_FIELDS = [
    "kind",
    "channel",
    "category",
    "received_on",
    "text",
    "anonymous",
    "contact",
    "sensitive",
    "beneficiary",
]


def feedback_record(*, center: Center, by, token: uuid.UUID, data: dict) -> tuple[Feedback, bool]:
    """Save feedback once per form shown (the fields of FEEDBACK_FIELDS in ``data``)."""

    def create() -> Feedback:
        feedback = Feedback(center=center, received_by=by, submission_token=token)
        model_fields_set(instance=feedback, fields=FEEDBACK_FIELDS, data=data)
        feedback.full_clean()
        feedback.save()
        return feedback

    return create_once(Feedback.objects.all(), create=create, submission_token=token)


def feedback_answer(
    *, feedback: Feedback, by, status: str, answer: str, sensitive: bool | None = None
) -> Feedback:
    """Record the answer given; closing needs an answer and stamps the date. ``sensitive`` None: unchanged."""
    if status == Feedback.Status.CLOSED and not answer.strip():
        raise ValidationError({"answer": _("Write the answer given before closing.")})
    feedback.status, feedback.answer = status, answer
    if sensitive is not None:
        feedback.sensitive = sensitive
    if status == Feedback.Status.CLOSED:
        if feedback.closed_on is None:
            feedback.closed_on, feedback.closed_by = timezone.localdate(), by
    else:
        feedback.closed_on = feedback.closed_by = None
    feedback.save(update_fields=["status", "answer", "closed_on", "closed_by", "sensitive"])
    return feedback
