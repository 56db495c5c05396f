"""Check-in by name at Today, with the search's ranking (issue 16, item 5)."""

from django.urls import reverse

from beneficiaries.tests.factories import BeneficiaryFactory
from services.models import CheckIn


def _today(client, world, text):
    client.force_login(world.user("ANK", "reception"))
    return client.post(reverse("services:today", kwargs={"center": "ANK"}), {"number": text})


def _person(world, **fields):
    return BeneficiaryFactory(
        center=world.centers["ANK"], registered_by=world.user("ANK", "reception"), **fields
    )


def test_a_name_one_person_answers_to_checks_them_in(client, world):
    zeynep = _person(world, first_name="Zeynep", last_name="Karaca", sex="female")
    page = _today(client, world, "Zeynep Karaca").content.decode()
    assert CheckIn.objects.filter(beneficiary=zeynep).exists()
    assert "checked in" in page


def test_a_name_in_another_script_finds_the_person_too(client, world):
    omar = _person(
        world, first_name="Omar", last_name="Haddad", first_name_original="عمر", last_name_original="حداد"
    )
    _today(client, world, "عمر حداد")
    assert CheckIn.objects.filter(beneficiary=omar).exists()


def test_a_name_several_people_answer_to_lists_them_closest_first_and_checks_no_one_in(client, world):
    mohammed = _person(world, first_name="Mohammed", last_name="Masri")
    muhammad = _person(world, first_name="Muhammad", last_name="Masri", birth_year=1970)
    mahmoud = _person(world, first_name="Mahmoud", last_name="Masri", birth_year=1980)
    response = _today(client, world, "Mohammed Masri")
    page = response.content.decode()
    assert not CheckIn.objects.exists()
    listed = response.context["candidates"]
    assert {p.pk for p in listed[:2]} == {mohammed.pk, muhammad.pk}
    if mahmoud.pk in {p.pk for p in listed}:
        assert listed[-1].pk == mahmoud.pk and listed[-1].strength == "weak"
    assert page.count('name="number" value="') >= 2


def test_choosing_one_of_the_listed_people_checks_them_in(client, world):
    person = _person(world, first_name="Mohammed", last_name="Masri")
    _person(world, first_name="Muhammad", last_name="Masri", birth_year=1970)
    _today(client, world, person.registration_number)
    assert CheckIn.objects.filter(beneficiary=person).count() == 1


def test_a_name_no_one_answers_to_says_so(client, world):
    response = _today(client, world, "Nobodyatall Xyzzy")
    assert "No one found for" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_person_of_another_centre_is_not_found_by_name(client, world):
    BeneficiaryFactory(center=world.centers["IST"], first_name="Rojin", last_name="Barzani")
    response = _today(client, world, "Rojin Barzani")
    assert "No one found for" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_part_of_a_name_lists_the_person_for_a_click_instead_of_checking_them_in(client, world):
    zeynep = _person(world, first_name="Zeynep", last_name="Karaca", sex="female")
    response = _today(client, world, "Zeyn")
    assert not CheckIn.objects.exists()
    assert [p.pk for p in response.context["candidates"]] == [zeynep.pk]
