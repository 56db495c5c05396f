import pytest

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import duplicate_candidates
from beneficiaries.tests.factories import BeneficiaryFactory, HouseholdFactory, foreigner_id

pytestmark = pytest.mark.django_db


def candidates_for(**person):
    person.setdefault("sex", "male")
    return duplicate_candidates(person=person, user_center_ids=set())


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ({"first_name": "Mohammed"}, {"first_name": "Muhammad"}),
        ({"first_name": "Mohammed"}, {"first_name": "Mohamad"}),
        ({"first_name": "Mohammed"}, {"first_name": "Mehmet"}),
        ({"first_name": "Mohammed"}, {"first_name": "Xx", "first_name_original": "محمد"}),
        ({"first_name": "Mehmet", "first_name_original": "محمد"}, {"first_name": "Muhammad"}),
        ({"first_name": "Hussein"}, {"first_name": "Hüseyin"}),
        ({"first_name": "Hussein"}, {"first_name": "Xx", "first_name_original": "حسين"}),
        ({"first_name": "Abdulrahman"}, {"first_name": "Abd al-Rahman"}),
        ({"first_name": "Abdulrahman"}, {"first_name": "Xx", "first_name_original": "عبد الرحمن"}),
        ({"first_name": "Ahmad"}, {"first_name": "Ahmed"}),
        ({"first_name": "Ahmad"}, {"first_name": "Ahmet"}),
    ],
)
def test_same_person_under_another_spelling_or_script_is_found(registered, typed):
    existing = BeneficiaryFactory(last_name="Hallak", birth_year=1988, **registered)
    found = candidates_for(last_name="Halak", birth_year=1989, **typed)
    assert [c.pk for c in found] == [existing.pk]
    assert found[0].reasons == ["name"]


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ({"first_name": "Ahmad"}, {"first_name": "Hamad"}),
        ({"first_name": "Ali"}, {"first_name": "Alia", "sex": "female"}),
        ({"first_name": "Ali", "sex": "unknown"}, {"first_name": "Alia"}),
        ({"first_name": "Mohammed", "birth_year": 1958}, {"first_name": "Mohammed"}),
        (
            {"first_name": "Mohammed", "last_name": "Hallak"},
            {"first_name": "Mohammed", "last_name": "Kassab"},
        ),
        ({"first_name": "Mohammed", "sex": "female"}, {"first_name": "Mohammed"}),
    ],
)
def test_different_people_do_not_match(registered, typed):
    registered = {"last_name": "Hallak", "birth_year": 1988, **registered}
    BeneficiaryFactory(**registered)
    typed = {"last_name": "Hallak", "birth_year": 1988, **typed}
    assert candidates_for(**typed) == []


def test_same_identity_document_matches_whatever_the_name():
    number = foreigner_id(7654321)
    existing = BeneficiaryFactory(first_name="Leyla", document_type="foreigner_id", document_number=number)
    found = candidates_for(first_name="Zeynep", last_name="X", birth_year=1970, document_number=number)
    assert [(c.pk, c.reasons, c.score) for c in found] == [(existing.pk, ["document"], 100)]


def test_same_phone_matches_except_within_the_same_household():
    existing = BeneficiaryFactory(first_name="Leyla", phone="+905321234567", household=HouseholdFactory())
    typed = {"first_name": "Zeynep", "birth_year": 1970, "phone": "0532 123 45 67"}
    assert [c.pk for c in candidates_for(**typed)] == [existing.pk]
    # A child added to Leyla's household shares her phone: that is no duplicate.
    same_family = duplicate_candidates(
        person=typed, user_center_ids=set(), same_household_id=existing.household_id
    )
    assert same_family == []


def test_merged_records_are_not_candidates():
    survivor = BeneficiaryFactory(first_name="Mohammed", last_name="Hallak", birth_year=1988)
    BeneficiaryFactory(first_name="Mehmet", last_name="Hallak", birth_year=1988, merged_into=survivor)
    assert [c.pk for c in candidates_for(first_name="Muhammad", last_name="Hallak", birth_year=1988)] == [
        survivor.pk
    ]


def test_candidate_from_another_centre_shows_only_number_centre_and_year(register, world):
    other = BeneficiaryFactory(
        center=world.centers["IST"],
        first_name="Muhammad",
        last_name="Hallak",
        father_name="Secretfather",
        birth_year=1988,
    )
    response = register(first_name="Mehmet", last_name="Hallak")
    page = response.content.decode()
    assert response.status_code == 200
    assert other.registration_number in page and "IST" in page and "1988" in page
    assert "Secretfather" not in page and "Muhammad" not in page
    assert "another centre&#x27;s record" in page or "another centre's record" in page
    assert not Beneficiary.objects.filter(first_name="Mehmet").exists()


def test_own_centre_candidate_can_be_opened(register, world):
    existing = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Muhammad", last_name="Hallak", birth_year=1988
    )
    page = register(first_name="Mehmet", last_name="Hallak").content.decode()
    assert f"/c/ANK/people/{existing.pk}/" in page and "Open existing record" in page


def test_a_duplicate_member_blocks_the_whole_family_until_confirmed(register, world):
    BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Amina", last_name="Hallak", sex="female", birth_year=1990
    )
    member = {
        "first_name": "Emine",
        "last_name": "Hallak",
        "sex": "female",
        "birth_year": "1990",
        "relationship_to_head": "spouse",
    }
    page = register(member, first_name="Khaled").content.decode()
    assert "This person may already be registered" in page
    assert not Beneficiary.objects.filter(first_name="Khaled").exists()
    register({**member, "not_duplicate": "on"}, first_name="Khaled")
    assert Beneficiary.objects.filter(first_name="Emine").exists()
