"""What cases holds about a person: case files, goals, follow-ups, referrals, transfers, confidential notes.

Anonymisation clears every free text written about the person and keeps the rows (follow-ups are contacts)."""

from django.db.models import Exists
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare, not_personal

from .models import Case, FollowUp

ON_CASE = "case__beneficiary_id"

declare(
    PersonalData(
        model="cases.Case",
        section="cases",
        title=_("Cases"),
        order=20,
        erase={"reason": "", "closure_reason": ""},
        count_as="cases",
        retains=lambda person, cutoff: Exists(
            Case.objects.filter(beneficiary=person).exclude(status=Case.Status.CLOSED)
        ),
    )
)
declare(
    PersonalData(
        model="cases.CaseGoal",
        person=ON_CASE,
        section="case_goals",
        title=_("Case goals"),
        order=21,
        erase={"goal": "", "action": ""},
        count_as="goals",
    )
)
declare(
    PersonalData(
        model="cases.FollowUp",
        person=ON_CASE,
        section="follow_ups",
        title=_("Follow-ups"),
        order=22,
        erase={"summary": "", "actions_agreed": ""},
        count_as="follow_ups",
        keeps="the date, centre and type: a follow-up is a contact reports count",
        retains=lambda person, cutoff: Exists(
            FollowUp.objects.filter(case__beneficiary=person, date__gte=cutoff)
        ),
    )
)
declare(
    PersonalData(
        model="cases.Referral",
        person=ON_CASE,
        section="referrals",
        title=_("Referrals"),
        order=23,
        erase={"reason": "", "outcome": "", "shared_fields": [], "decline_reason": "", "outcome_note": ""},
        count_as="referrals",
    )
)
declare(
    PersonalData(
        model="cases.Transfer",
        person=ON_CASE,
        section="transfers",
        title=_("Transfers"),
        order=24,
        erase={"reason": ""},
        count_as="transfers",
    )
)
# The data protection officer may not read confidential notes: the export lists their date and author only;
# the clinical supervisor releases the text on request.
declare(
    PersonalData(
        model="cases.ConfidentialNote",
        person=ON_CASE,
        section="confidential_notes",
        title=_("Confidential notes (date and author only)"),
        order=25,
        export_exclude=("text",),
        erase={"text": ""},
        count_as="notes",
    )
)

not_personal(
    "cases.Partner", reason="an organisation people are referred to: its name, services and contact desk"
)
not_personal(
    "cases.ServicePoint",
    reason="where an organisation offers services: its address, hours, languages, eligibility and contact desk",
)
not_personal(
    "cases.PartnerFocalPoint",
    reason="links a partner's staff account to its organisation; the account itself is auth's, like staff's",
)
