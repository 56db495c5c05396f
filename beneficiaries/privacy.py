"""What beneficiaries holds about a person: the record itself, its merged duplicates, the household,
the change history, consents, earlier numbers and duplicate decisions."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, Subject, declare, declare_subject, rows

from .models import Beneficiary, Household

ANONYMISED_NAME = "ANONYMISED"
# Internal columns that say nothing about the person.
INTERNAL_FIELDS = (
    "first_name_key",
    "first_name_key_original",
    "last_name_key",
    "last_name_key_original",
    "submission_token",
)


def _identities(person) -> list[int]:
    """The person and every duplicate record merged into them."""
    return [person.pk, *person.merged_records.values_list("pk", flat=True)]


def _find(number: str):
    number = number.strip().upper()
    return (
        Beneficiary.objects.filter(registration_number=number).first()
        or Beneficiary.objects.filter(aliases__number=number).first()
    )


def _due(cutoff):
    return Beneficiary.objects.filter(
        anonymised_at__isnull=True, merged_into__isnull=True, registered_at__date__lt=cutoff
    )


declare_subject(Subject(model="beneficiaries.Beneficiary", identities=_identities, find=_find, due=_due))


def _person(person, ids) -> dict:
    fields = [f for f in Beneficiary._meta.concrete_fields if f.name not in INTERNAL_FIELDS]
    return {f.name: f.value_from_object(person) for f in fields}


def _erase_people(person, ids, now) -> int:
    households = list(
        Beneficiary.objects.filter(pk__in=ids, household__isnull=False).values_list("household_id", flat=True)
    )
    for pk in ids:
        Beneficiary.objects.filter(pk=pk).update(
            registration_number=f"ANON-{pk}",
            first_name=ANONYMISED_NAME,
            last_name="",
            father_name="",
            first_name_original="",
            last_name_original="",
            first_name_key="",
            first_name_key_original="",
            last_name_key="",
            last_name_key_original="",
            # The day goes; the month stays, so age on a month's last day (what reports count) is unchanged.
            date_of_birth=TruncMonth("date_of_birth"),
            phone="",
            district="",
            neighbourhood="",
            languages=[],
            needs_interpreter=False,
            document_type="",
            document_number="",
            vulnerabilities=[],
            household=None,
            relationship_to_head="",
            submission_token=None,
            anonymised_at=now,
        )
    # A household left with nobody identifiable keeps no address.
    for household in Household.objects.filter(pk__in=households).exclude(
        Exists(Beneficiary.objects.filter(household=OuterRef("pk"), anonymised_at__isnull=True))
    ):
        Household.objects.filter(pk=household.pk).update(district="", neighbourhood="", address="")
        Household.history.filter(id=household.pk).delete()
    return len(ids)


def _erase_history(person, ids, now) -> int:
    # The change history holds every earlier value: it goes.
    return Beneficiary.history.filter(id__in=ids).delete()[0]


declare(
    PersonalData(
        model="beneficiaries.Beneficiary",
        person="id",
        section="person",
        title=_("Person"),
        order=10,
        export=_person,
        anonymise=_erase_people,
        count_as="records",
        keeps="sex, year of birth, nationality, population group, centres and dates: what reports count",
    )
)
declare(
    PersonalData(
        model="beneficiaries.Beneficiary#merged",
        person="merged_into_id",
        section="merged_records",
        title=_("Merged duplicate records"),
        order=11,
        export=lambda person, ids: rows(
            Beneficiary.objects.filter(merged_into=person), exclude=("submission_token",)
        ),
        keeps="anonymised with the person (their ids are among the person's identities)",
    )
)
declare(
    PersonalData(
        model="beneficiaries.Household",
        person="members__id",
        section="household",
        title=_("Household"),
        order=12,
        export=lambda person, ids: rows(Household.objects.filter(pk=person.household_id)),
        keeps="the address goes once nobody identifiable is left in the household",
    )
)
declare(
    PersonalData(
        model="beneficiaries.HistoricalBeneficiary",
        person="id",
        section="change_history",
        title=_("Change history"),
        order=13,
        export=lambda person, ids: rows(
            person.history.all().order_by("history_date"),
            exclude=("history_change_reason", "submission_token"),
        ),
        anonymise=_erase_history,
    )
)
declare(
    PersonalData(
        model="beneficiaries.HistoricalHousehold",
        person="members__id",
        keeps="deleted with the household's address when nobody identifiable is left in it",
    )
)
declare(
    PersonalData(
        model="beneficiaries.Consent",
        section="consents",
        title=_("Consents"),
        order=14,
        keeps="the answers and their dates: the legal basis of what was done",
    )
)
declare(
    PersonalData(
        model="beneficiaries.RegistrationAlias",
        section="previous_numbers",
        title=_("Previous numbers"),
        order=15,
        delete=True,
        count_as="previous_numbers",
    )
)
declare(
    PersonalData(
        model="beneficiaries.DuplicateDecision",
        person=("beneficiary_id", "other_id"),
        erase={"note": ""},
        count_as="decisions",
        keeps="not exported: a decision about two records, not about the person; its note goes",
    )
)
declare(
    PersonalData(
        model="beneficiaries.MergeRequest",
        person=("survivor_id", "other_id"),
        keeps="not exported: a decision about two records between two centres, with no words about the person",
    )
)
