import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary, Consent, DuplicateDecision, Household
from beneficiaries.services import registration_number_next, registration_numbers_next
from beneficiaries.tests.conftest import registration_post
from beneficiaries.tests.factories import BeneficiaryFactory, foreigner_id


def new_people():
    return Beneficiary.objects.exclude(first_name="Ahmad")  # the world's two heads


def test_reception_registers_a_person_with_a_yearly_number(register):
    response = register(first_name="Leyla", last_name="Haddad", sex="female", first_name_original="ليلى")
    person = new_people().get()
    year = timezone.localdate().year
    assert person.registration_number == f"ANK-{year}-000001"
    assert response["Location"] == reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    assert person.registered_by.username == "ank_reception"
    assert dict(person.consents.values_list("scope", "given")) == {
        "service_delivery": True,
        "referral_data_sharing": True,
        "photo": False,
    }
    register(first_name="Omar", last_name="Haddad", token=None)
    assert new_people().order_by("pk").last().registration_number == f"ANK-{year}-000002"


def test_a_family_of_four_is_registered_in_one_flow(register):
    register(
        {"first_name": "Amina", "sex": "female", "birth_year": "1990", "relationship_to_head": "spouse"},
        {"first_name": "Yusuf", "sex": "male", "birth_year": "2014", "relationship_to_head": "child"},
        {"first_name": "Mariam", "sex": "female", "birth_year": "2018", "relationship_to_head": "child"},
        first_name="Khaled",
        phone="0532 123 45 67",
    )
    head = new_people().get(first_name="Khaled")
    household = head.household
    assert head.relationship_to_head == "head"
    members = household.members.exclude(pk=head.pk)
    assert sorted(members.values_list("first_name", "relationship_to_head")) == [
        ("Amina", "spouse"),
        ("Mariam", "child"),
        ("Yusuf", "child"),
    ]
    assert all(m.nationality.code == "SY" and m.population_group == "temporary_protection" for m in members)
    assert Consent.objects.filter(beneficiary__in=members, given_by_head=True).count() == 9


def test_double_submit_registers_one_person(register):
    data_token = "3f0e6b2c-8d7a-4a55-9f1e-1d2c3b4a5f60"
    first = register(token=data_token)
    second = register(token=data_token)
    assert new_people().count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"date_of_birth": "2999-01-01", "birth_year": ""}, "The date of birth is in the future."),
        ({"birth_year": "1850"}, "Ensure this value is greater than or equal to 1900."),
        ({"birth_year": "1901"}, "older than 110 years"),
        ({"birth_year": ""}, "Give the date of birth, or at least an estimated year of birth."),
        (
            {"document_type": "foreigner_id", "document_number": "99123456741"},
            "The check digits do not match",
        ),
        (
            {"document_type": "foreigner_id", "document_number": "10000000146"},
            "A foreigner ID number starts with 99.",
        ),
        ({"document_number": "99123456740"}, "Say which document this number belongs to."),
        ({"phone": "12345"}, "Enter a valid phone number"),
        ({"first_name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(register, fields, field_error):
    response = register(**fields)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not new_people().exists()
    assert not Household.objects.exclude(members__first_name="Ahmad").exists()


def test_missing_consent_answer_is_an_error(register):
    response = register(consent={"consent-service_delivery": "yes"})
    assert response.status_code == 200
    assert response.content.decode().count("Ask the person and record their answer.") == 2
    assert not new_people().exists()


def test_errors_speak_the_users_language(client, register):
    client.cookies["django_language"] = "ar"
    response = register(date_of_birth="2999-01-01", birth_year="")
    assert "تاريخ الميلاد في المستقبل" in response.content.decode()


def test_an_invalid_member_saves_nothing_of_the_family(register):
    response = register({"first_name": "Amina", "birth_year": "2999"}, first_name="Khaled")
    assert response.status_code == 200
    assert not new_people().exists()


def test_valid_foreigner_id_and_turkish_phone_are_stored_normalised(register):
    number = foreigner_id(1234567)
    register(
        document_type="foreigner_id", document_number=f"{number[:3]} {number[3:]}", phone="0532 123 45 67"
    )
    person = new_people().get()
    assert person.document_number == number
    assert person.phone.as_e164 == "+905321234567"


def test_estimated_year_is_kept_with_its_flag(register):
    register(birth_year="1975", birth_year_estimated="on")
    person = new_people().get()
    assert (person.birth_year, person.birth_year_estimated, person.date_of_birth) == (1975, True, None)


def test_date_of_birth_sets_the_year(register):
    register(date_of_birth="1992-03-04", birth_year="")
    assert new_people().get().birth_year == 1992


def test_edit_keeps_who_changed_what(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "social_worker"))
    url = reverse("beneficiaries:edit", kwargs={"center": "ANK", "pk": person.pk})
    data = {
        "person-first_name": "Ahmad",
        "person-last_name": "Ankarali",
        "person-sex": "male",
        "person-birth_year": "1990",
        "person-nationality": "SY",
        "person-population_group": "temporary_protection",
        "person-district": "Keçiören",
        "consent-service_delivery": "yes",
        "consent-referral_data_sharing": "no",
        "consent-photo": "yes",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(
        reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    ).content.decode()
    # Who changed it, by name (not by user name).
    assert "Keçiören" in page and world.user("ANK", "social_worker").get_full_name() in page
    consent = person.consents.get(scope="referral_data_sharing")
    assert consent.withdrawn_at is not None and not consent.is_active


def test_profile_of_a_merged_record_leads_to_the_survivor(client, world):
    survivor = world.people["ANK"]
    merged = BeneficiaryFactory(center=survivor.center, merged_into=survivor)
    client.force_login(world.user("ANK", "reception"))
    response = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": merged.pk}))
    assert response["Location"] == reverse(
        "beneficiaries:detail", kwargs={"center": "ANK", "pk": survivor.pk}
    )


def test_profile_queries_stay_constant(client, world, django_assert_max_num_queries):
    head = world.people["ANK"]
    for n in range(10):
        BeneficiaryFactory(
            center=head.center, household=head.household, relationship_to_head="child", birth_year=2010 + n
        )
    for n in range(15):
        head.district = f"District {n}"
        head.save()
    client.force_login(world.user("ANK", "reception"))
    # 1 session, 2 user, 3 roles, 4 centre, 5 person+centre+household+registrar, 6 household members,
    # 7 consents, 8 aliases, 9 history with users, 10-13 enrolments, attendance, one-to-one
    # services and desk messages, 14 the access-log entry, 15-16 navigation, 17-19 session save
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    # +1: the messages sent to the person (messaging's panel).
    # +1: the person's documents, photo and photo consent (documents' panel).
    with django_assert_max_num_queries(22):
        response = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": head.pk}))
    assert response.content.decode().count("District 1") >= 1


def test_registration_page_is_translated_and_keyboard_ready(client, world):
    client.force_login(world.user("ANK", "reception"))
    client.cookies["django_language"] = "tr"
    page = client.get(reverse("beneficiaries:register", kwargs={"center": "ANK"})).content.decode()
    assert "Kaydı kaydet" in page
    assert 'name="token"' in page
    assert 'tabindex="-1"' not in page


def test_registration_times_use_local_dates(register):
    register()
    assert new_people().get().registered_at.date() <= timezone.localdate() + dt.timedelta(days=1)


def test_not_same_decision_is_recorded(register, world):
    existing = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Muhammad", last_name="Hallak", birth_year=1988
    )
    register(first_name="Mehmet", last_name="Hallak", **{"not_duplicate": "on"})
    person = new_people().exclude(pk=existing.pk).get()
    decision = DuplicateDecision.objects.get(beneficiary=person)
    assert (decision.other, decision.kind, decision.decided_by.username) == (
        existing,
        "not_same",
        "ank_reception",
    )


def test_registration_post_helper_builds_valid_data():
    assert registration_post()["person-first_name"] == "Mohammed"


def test_a_form_without_its_token_gets_a_new_one_and_saves_nothing(client, world):
    client.force_login(world.user("ANK", "reception"))
    data = registration_post()
    data["token"] = "not-a-uuid"
    response = client.post(reverse("beneficiaries:register", kwargs={"center": "ANK"}), data)
    page = response.content.decode()
    assert response.status_code == 200 and not new_people().exists()
    token = page.split('name="token" value="')[1].split('"')[0]
    data["token"] = token
    assert client.post(reverse("beneficiaries:register", kwargs={"center": "ANK"}), data).status_code == 302
    assert new_people().count() == 1


def test_a_forged_household_size_is_refused_without_building_a_thousand_forms(client, world):
    client.force_login(world.user("ANK", "reception"))
    data = {**registration_post(first_name="Khaled"), "members-TOTAL_FORMS": "1000"}
    response = client.post(reverse("beneficiaries:register", kwargs={"center": "ANK"}), data)
    assert response.status_code == 200
    assert len(response.context["members"].forms) <= 20
    assert not new_people().exists()


def test_a_batch_of_numbers_continues_the_centres_sequence_without_a_gap(world):
    center = world.centers["ANK"]
    with transaction.atomic():
        first = registration_number_next(center=center, year=2031)
        batch = registration_numbers_next(center=center, year=2031, count=3)
        after = registration_number_next(center=center, year=2031)
        assert registration_numbers_next(center=center, year=2031, count=0) == []
    assert [first, *batch, after] == [f"ANK-2031-{n:06d}" for n in range(1, 6)]
