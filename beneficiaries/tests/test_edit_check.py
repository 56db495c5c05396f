"""Checks where records change: an edit of names, birth date, document or phone, and a member added later,
run the duplicate check of registration (issue 16, part 3)."""

import pytest
from django.urls import reverse

from beneficiaries.models import Beneficiary, DuplicateDecision
from beneficiaries.tests.factories import BeneficiaryFactory, HouseholdFactory, foreigner_id

CONSENTS = {"consent-service_delivery": "yes", "consent-referral_data_sharing": "yes", "consent-photo": "no"}


def url(name, **kwargs):
    return reverse(f"beneficiaries:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def reception(client, world):
    client.force_login(world.user("ANK", "reception"))
    return client


def edit_post(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "first_name_original": person.first_name_original,
        "last_name_original": person.last_name_original,
        "sex": person.sex,
        "birth_year": str(person.birth_year),
        "nationality": str(person.nationality),
        "population_group": person.population_group,
        "phone": str(person.phone or ""),
        "document_type": person.document_type,
        "document_number": person.document_number,
        **changes,
    }
    return {**{f"person-{k}": v for k, v in data.items()}, **CONSENTS}


@pytest.fixture
def namesake(world):
    """Someone of the same centre whose name a correction could give to another person."""
    return BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Mohammed", last_name="Al-Khatib", birth_year=1985
    )


def test_correcting_a_name_into_someone_elses_warns_and_saves_nothing(reception, world, namesake):
    person = world.people["ANK"]
    response = reception.post(
        url("edit", pk=person.pk),
        edit_post(person, first_name="Muhammad", last_name="Alkhatib", birth_year="1986"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in page and namesake.registration_number in page
    assert "Nothing was saved yet" in page and "ask a manager to merge" in page
    assert f"Edit · {person.full_name}" in page  # the heading keeps the saved name
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Ahmad", "Ankarali")
    assert not DuplicateDecision.objects.exists()


def test_the_warning_finds_an_arabic_script_record_for_a_latin_correction(reception, world):
    other = BeneficiaryFactory(
        center=world.centers["ANK"],
        first_name="Xx",
        first_name_original="محمد",
        last_name="",
        last_name_original="الخطيب",
        birth_year=1985,
    )
    person = world.people["ANK"]
    page = reception.post(
        url("edit", pk=person.pk),
        edit_post(person, first_name="Mohammed", last_name="Khatib", birth_year="1985"),
    ).content.decode()
    assert other.registration_number in page


def test_confirming_none_is_this_person_saves_and_records_the_decision(reception, world, namesake):
    person = world.people["ANK"]
    data = edit_post(person, first_name="Muhammad", last_name="Alkhatib", birth_year="1986")
    response = reception.post(url("edit", pk=person.pk), {**data, "person-not_duplicate": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Muhammad"
    decision = DuplicateDecision.objects.get()
    assert (decision.kind, decision.beneficiary, decision.other, decision.decided_by) == (
        "not_same",
        person,
        namesake,
        world.user("ANK", "reception"),
    )


def test_a_dismissed_candidate_is_not_offered_again(reception, world, namesake):
    person = world.people["ANK"]
    data = edit_post(person, first_name="Muhammad", last_name="Alkhatib", birth_year="1986")
    reception.post(url("edit", pk=person.pk), {**data, "person-not_duplicate": "on"})
    person.refresh_from_db()
    again = reception.post(url("edit", pk=person.pk), edit_post(person, first_name="Mohammed"))
    assert again.status_code == 302


@pytest.mark.parametrize(
    "changes",
    [
        {"district": "Keçiören"},
        {"languages": ["ar", "tr"]},
        {"population_group": "international_protection"},
    ],
    ids=["district", "languages", "group"],
)
def test_a_change_that_does_not_identify_the_person_runs_no_check(reception, world, changes):
    person = world.people["ANK"]
    # Same name and year as the person: the check would offer this record if it ran.
    BeneficiaryFactory(center=world.centers["ANK"], first_name="Ahmad", last_name="Ankarali", birth_year=1990)
    response = reception.post(url("edit", pk=person.pk), edit_post(person, **changes))
    assert response.status_code == 302


def test_a_new_birth_year_runs_the_check(reception, world):
    person = world.people["ANK"]
    twin = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Ahmed", last_name="Ankarali", birth_year=1980
    )
    page = reception.post(url("edit", pk=person.pk), edit_post(person, birth_year="1981")).content.decode()
    assert twin.registration_number in page


def test_another_persons_document_runs_the_check(reception, world):
    number = foreigner_id(2345678)
    holder = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Leyla", document_type="foreigner_id", document_number=number
    )
    person = world.people["ANK"]
    page = reception.post(
        url("edit", pk=person.pk), edit_post(person, document_type="foreigner_id", document_number=number)
    ).content.decode()
    assert holder.registration_number in page and "same identity document" in page


def test_a_phone_shared_in_the_household_is_no_duplicate_but_anothers_is(reception, world):
    person = world.people["ANK"]
    BeneficiaryFactory(
        center=world.centers["ANK"],
        first_name="Sara",
        household=person.household,
        relationship_to_head="child",
        phone="+905321110000",
    )
    stranger = BeneficiaryFactory(
        center=world.centers["ANK"],
        first_name="Leyla",
        household=HouseholdFactory(center=world.centers["ANK"]),
        phone="+905329990000",
    )
    assert (
        reception.post(url("edit", pk=person.pk), edit_post(person, phone="0532 111 00 00")).status_code
        == 302
    )
    person.refresh_from_db()
    page = reception.post(
        url("edit", pk=person.pk), edit_post(person, phone="0532 999 00 00")
    ).content.decode()
    assert stranger.registration_number in page and "same phone" in page


def test_a_member_added_later_is_checked_too(reception, world):
    existing = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Fatima", last_name="Ankarali", sex="female", birth_year=2015
    )
    head = world.people["ANK"]
    data = {
        "member-first_name": "Fatma",
        "member-last_name": "Ankarali",
        "member-sex": "female",
        "member-birth_year": "2016",
        "member-relationship_to_head": "child",
        **CONSENTS,
    }
    page = reception.post(url("member_add", pk=head.household_id), data).content.decode()
    assert existing.registration_number in page and "Nothing was saved yet" in page
    assert not Beneficiary.objects.filter(first_name="Fatma").exists()
    response = reception.post(url("member_add", pk=head.household_id), {**data, "member-not_duplicate": "on"})
    fatma = Beneficiary.objects.get(first_name="Fatma")
    assert response["Location"] == url("detail", pk=fatma.pk)
    assert DuplicateDecision.objects.filter(kind="not_same", beneficiary=fatma, other=existing).exists()
