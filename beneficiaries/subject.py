"""Subject rights: everything held about one person, and anonymising them.

Anonymising destroys what identifies a person (names, birth date, phone, document, address,
free text written about them, the change history that still holds the old values) and keeps
what the reports count: the record itself with its centre, sex, year of birth, population group
and registration date, and every contact (attendance, service, follow-up) as an anonymous row.
So a report built before and after gives the same figures.
"""

import datetime as dt
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers import audit
from centers.models import AuditEvent
from centers.pdf import new_pdf
from services.models import (
    Attendance,
    CheckIn,
    DeskMessage,
    Enrollment,
    Feedback,
    NeedsInterview,
    ServiceDelivery,
)  # fmt: skip

from .models import (
    AccessLog,
    Beneficiary,
    Case,
    CaseGoal,
    ConfidentialNote,
    Consent,
    DuplicateDecision,
    FollowUp,
    Household,
    Referral,
    RegistrationAlias,
    Transfer,
)

ANONYMISED_NAME = "ANONYMISED"
# What stays on an anonymised record, because reports count by it.
KEPT_FIELDS = {
    "id", "center", "sex", "birth_year", "birth_year_estimated", "nationality", "population_group",
    "registered_at", "registered_by", "merged_into", "card_version", "anonymised_at",
}  # fmt: skip


# The sections of an export, as the DPO and the person read them.
SECTIONS = {
    "person": gettext_lazy("Person"), "merged_records": gettext_lazy("Merged duplicate records"), "household": gettext_lazy("Household"),
    "change_history": gettext_lazy("Change history"), "consents": gettext_lazy("Consents"), "previous_numbers": gettext_lazy("Previous numbers"),
    "cases": gettext_lazy("Cases"), "case_goals": gettext_lazy("Case goals"), "follow_ups": gettext_lazy("Follow-ups"), "referrals": gettext_lazy("Referrals"),
    "transfers": gettext_lazy("Transfers"), "confidential_notes": gettext_lazy("Confidential notes (date and author only)"),
    "enrolments": gettext_lazy("Enrolments"), "attendance": gettext_lazy("Attendance"), "services": gettext_lazy("One-to-one services"),
    "check_ins": gettext_lazy("Check-ins"), "desk_messages": gettext_lazy("Desk messages"),
    "needs_interviews": gettext_lazy("Needs interviews"), "feedback": gettext_lazy("Feedback"),
    "who_opened_the_record": gettext_lazy("Who opened the record"),
}  # fmt: skip
# Internal columns that say nothing about the person.
INTERNAL_FIELDS = ("first_name_key", "first_name_key_original", "last_name_key", "last_name_key_original",
                   "submission_token")  # fmt: skip


def section_counts(data: dict) -> list[tuple[str, int]]:
    """(translated section name, rows) for each list in an export."""
    return [(SECTIONS[name], len(rows)) for name, rows in data.items() if isinstance(rows, list)]


def _rows(queryset, *, exclude: tuple = ()) -> list[dict]:
    fields = [f for f in queryset.model._meta.concrete_fields if f.name not in exclude]
    return [{f.name: f.value_from_object(obj) for f in fields} for obj in queryset]


def _identities(person: Beneficiary) -> list[int]:
    """The person and every duplicate record merged into them."""
    return [person.pk, *person.merged_records.values_list("pk", flat=True)]


def subject_data(*, person: Beneficiary) -> dict:
    """Everything Toplum holds about a person, as plain data (the JSON and PDF exports).

    Confidential psychosocial notes are listed (date, author) but not their text: the data protection
    officer may not read them; the clinical supervisor releases them on request.
    """
    ids = _identities(person)
    cases = Case.objects.filter(beneficiary_id__in=ids)
    person_fields = [f for f in Beneficiary._meta.concrete_fields if f.name not in INTERNAL_FIELDS]
    return {
        "generated_at": timezone.now(),
        "person": {f.name: f.value_from_object(person) for f in person_fields},
        "merged_records": _rows(
            Beneficiary.objects.filter(merged_into=person), exclude=("submission_token",)
        ),
        "household": _rows(Household.objects.filter(pk=person.household_id)),
        "change_history": _rows(
            person.history.all().order_by("history_date"),
            exclude=("history_change_reason", "submission_token"),
        ),
        "consents": _rows(Consent.objects.filter(beneficiary_id__in=ids)),
        "previous_numbers": _rows(RegistrationAlias.objects.filter(beneficiary_id__in=ids)),
        "cases": _rows(cases),
        "case_goals": _rows(CaseGoal.objects.filter(case__in=cases)),
        "follow_ups": _rows(FollowUp.objects.filter(case__in=cases)),
        "referrals": _rows(Referral.objects.filter(case__in=cases)),
        "transfers": _rows(Transfer.objects.filter(case__in=cases)),
        "confidential_notes": _rows(ConfidentialNote.objects.filter(case__in=cases), exclude=("text",)),
        "enrolments": _rows(Enrollment.objects.filter(beneficiary_id__in=ids)),
        "attendance": _rows(Attendance.objects.filter(beneficiary_id__in=ids)),
        "services": _rows(ServiceDelivery.objects.filter(beneficiary_id__in=ids)),
        "check_ins": _rows(CheckIn.objects.filter(beneficiary_id__in=ids)),
        "desk_messages": _rows(DeskMessage.objects.filter(beneficiary_id__in=ids)),
        "needs_interviews": _rows(NeedsInterview.objects.filter(beneficiary_id__in=ids)),
        "feedback": _rows(Feedback.objects.filter(beneficiary_id__in=ids), exclude=("submission_token",)),
        "who_opened_the_record": _rows(
            AccessLog.objects.filter(beneficiary_id__in=ids), exclude=("ip_address",)
        ),
    }


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # a Country, a PhoneNumber: their text form


def subject_json(*, person: Beneficiary) -> bytes:
    return json.dumps(subject_data(person=person), cls=_Encoder, ensure_ascii=False, indent=2).encode()


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def subject_pdf(*, person: Beneficiary) -> bytes:
    """The same data, readable on paper: one section per kind of record."""
    data = subject_data(person=person)
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("NotoSans", size=14)
    pdf.multi_cell(
        0,
        8,
        _("Personal data held about %(number)s") % {"number": person.registration_number},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("NotoSans", size=8)
    pdf.multi_cell(
        0, 5, _("Generated %(when)s") % {"when": _text(data["generated_at"])}, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    for section, value in data.items():
        if section == "generated_at":
            continue
        rows = [value] if isinstance(value, dict) else value
        pdf.set_font("NotoSans", size=11)
        pdf.multi_cell(0, 7, f"{SECTIONS[section]} ({len(rows)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSans", size=8)
        for row in rows:
            line = "; ".join(f"{k}: {_text(v)}" for k, v in row.items() if v not in (None, "", [], {}))
            pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())


@transaction.atomic
def person_anonymise(*, person: Beneficiary, by=None, reason: str) -> Beneficiary:
    """Destroy what identifies a person and their merged duplicates; keep what reports count. Idempotent."""
    person = Beneficiary.objects.select_for_update().get(pk=person.pk)
    ids = _identities(person)
    now = timezone.now()
    households = list(
        Beneficiary.objects.filter(pk__in=ids, household__isnull=False).values_list("household_id", flat=True)
    )
    for pk in ids:
        Beneficiary.objects.filter(pk=pk).update(
            registration_number=f"ANON-{pk}", first_name=ANONYMISED_NAME, last_name="", father_name="",
            first_name_original="", last_name_original="", first_name_key="", first_name_key_original="",
            last_name_key="", last_name_key_original="", date_of_birth=None, phone="", district="",
            neighbourhood="", languages=[], needs_interpreter=False, document_type="", document_number="",
            vulnerabilities=[], household=None, relationship_to_head="", submission_token=None,
            anonymised_at=now,
        )  # fmt: skip
    # The change history holds every earlier value: it goes.
    Beneficiary.history.filter(id__in=ids).delete()
    # A household left with nobody identifiable keeps no address.
    for household in Household.objects.filter(pk__in=households).exclude(
        Exists(Beneficiary.objects.filter(household=OuterRef("pk"), anonymised_at__isnull=True))
    ):
        Household.objects.filter(pk=household.pk).update(district="", neighbourhood="", address="")
        Household.history.filter(id=household.pk).delete()
    cases = Case.objects.filter(beneficiary_id__in=ids)
    counts = {
        "records": len(ids),
        "previous_numbers": RegistrationAlias.objects.filter(beneficiary_id__in=ids).delete()[0],
        "cases": cases.update(reason="", closure_reason=""),
        "goals": CaseGoal.objects.filter(case__in=cases).update(goal="", action=""),
        "follow_ups": FollowUp.objects.filter(case__in=cases).update(summary="", actions_agreed=""),
        "notes": ConfidentialNote.objects.filter(case__in=cases).update(text=""),
        "referrals": Referral.objects.filter(case__in=cases).update(reason="", outcome="", shared_fields=[]),
        "transfers": Transfer.objects.filter(case__in=cases).update(reason=""),
        "desk_messages": DeskMessage.objects.filter(beneficiary_id__in=ids).update(text=""),
        # What they said stays counted (needs, kind of feedback), not their words or how to reach them.
        "needs_interviews": NeedsInterview.objects.filter(beneficiary_id__in=ids).update(quote=""),
        "feedback": Feedback.objects.filter(beneficiary_id__in=ids).update(text="", contact=""),
        "decisions": DuplicateDecision.objects.filter(Q(beneficiary_id__in=ids) | Q(other_id__in=ids)).update(
            note=""
        ),
    }
    audit.record(
        AuditEvent.Action.ANONYMISE, obj=person, actor=by, detail={"reason": reason, "cleared": counts}
    )
    person.refresh_from_db()
    return person


def people_due_for_anonymisation(*, today: dt.date):
    """People with no contact, registration or open case in the last RETENTION_YEARS years."""
    try:
        cutoff = today.replace(year=today.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - settings.RETENTION_YEARS, day=28)
    person = OuterRef("pk")
    return (
        Beneficiary.objects.filter(
            anonymised_at__isnull=True, merged_into__isnull=True, registered_at__date__lt=cutoff
        )
        .exclude(Exists(Attendance.objects.filter(beneficiary=person, session__date__gte=cutoff)))
        .exclude(Exists(ServiceDelivery.objects.filter(beneficiary=person, date__gte=cutoff)))
        .exclude(Exists(FollowUp.objects.filter(case__beneficiary=person, date__gte=cutoff)))
        .exclude(Exists(CheckIn.objects.filter(beneficiary=person, at__date__gte=cutoff)))
        .exclude(Exists(Case.objects.filter(beneficiary=person).exclude(status=Case.Status.CLOSED)))
    )


def retention_anonymise(*, today: dt.date | None = None) -> int:
    """The nightly retention job: anonymise everyone due, one transaction per person."""
    today = today or timezone.localdate()
    done = 0
    for person in people_due_for_anonymisation(today=today).only("pk").iterator(chunk_size=500):
        person_anonymise(person=person, reason="retention")
        done += 1
    return done
