"""What listening holds about a person: needs interviews and feedback tied to their record.

What they said stays counted (needs, kind of feedback), not their words or how to reach them."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare, not_personal

declare(
    PersonalData(
        model="listening.NeedsInterview",
        section="needs_interviews",
        title=_("Needs interviews"),
        order=50,
        erase={"quote": ""},
        count_as="needs_interviews",
        keeps="the needs named, sex, age band, group, nationality",
    )
)
declare(
    PersonalData(
        model="listening.InterviewNeed",
        person="interview__beneficiary_id",
        keeps="a need and its rank: no words, counted in needs versus offer",
    )
)
declare(
    PersonalData(
        model="listening.Feedback",
        section="feedback",
        title=_("Feedback"),
        order=51,
        export_exclude=("submission_token",),
        erase={"text": "", "contact": ""},
        count_as="feedback",
        keeps="its kind, channel and dates: counted in reports",
    )
)
not_personal(
    "listening.OutreachVisit", reason="a visit to a neighbourhood: places and staff, no one asked is named"
)
not_personal(
    "listening.InterviewImport",
    reason="an upload of the offline form's export: the file's name, counts and the problems found in its "
    "rows (row, column, the rule broken: at most a code that is not in a list, never a quote or a name); "
    "the file itself is deleted when the import ends",
)
