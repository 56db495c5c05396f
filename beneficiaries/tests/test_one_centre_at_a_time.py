"""A person belongs to one centre's scope at a time, through every path; an old card opens nothing anywhere.
(Issue 14, items 4 and 5.)"""

import pytest
from django.urls import reverse

from beneficiaries import services
from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from cases import services as case_services
from cases.models import Transfer
from services.models import Attendance, CheckIn, Enrollment
from services.tests.factories import once_started


@pytest.fixture
def moved(world):
    """IST's Ahmad, who has a merged-away duplicate record, moves to ANK with his case (not his household);
    his wife stays at IST."""
    ist, ank = world.centers["IST"], world.centers["ANK"]
    person = world.people["IST"]
    wife = BeneficiaryFactory(
        center=ist,
        registered_by=world.user("IST", "reception"),
        first_name="Fatima",
        last_name="Istanbulli",
        household=person.household,
        relationship_to_head="spouse",
    )
    duplicate = BeneficiaryFactory(
        center=ist, registered_by=world.user("IST", "reception"), first_name="Ahmet"
    )
    services.beneficiary_merge(survivor=person, other=duplicate, by=world.user("IST", "center_manager"))
    transfer = Transfer.objects.get(case=world.cases["IST"], to_center=ank)
    case_services.transfer_decide(transfer=transfer, by=world.user("ANK", "center_manager"), accept=True)
    person.refresh_from_db()
    assert person.center == ank
    return person, duplicate, wife


def _today(center):
    return reverse("services:today", kwargs={"center": center})


def test_the_family_left_behind_no_longer_lists_the_moved_person(client, world, moved):
    person, _duplicate, wife = moved
    client.force_login(world.user("IST", "reception"))
    page = client.get(
        reverse("beneficiaries:detail", kwargs={"center": "IST", "pk": wife.pk})
    ).content.decode()
    assert person.first_name not in page and person.registration_number not in page


def test_the_moved_persons_household_list_at_the_new_centre_names_nobody_of_the_old(client, world, moved):
    person, _duplicate, wife = moved
    client.force_login(world.user("ANK", "reception"))
    page = client.get(
        reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    ).content.decode()
    assert wife.first_name not in page


@pytest.mark.parametrize("which", ["current", "merged_away"])
def test_no_number_of_the_moved_person_checks_them_in_at_the_old_centre(client, world, moved, which):
    person, duplicate, _wife = moved
    number = person.registration_number if which == "current" else duplicate.registration_number
    client.force_login(world.user("IST", "reception"))
    page = client.post(_today("IST"), {"number": number}).content.decode()
    assert "No one with this number is registered at this centre." in page
    assert person.first_name not in page and person.registration_number not in page.replace(number, "")
    assert not CheckIn.objects.filter(beneficiary=person).exists()


def test_the_merged_away_number_checks_them_in_at_the_new_centre(client, world, moved):
    person, duplicate, _wife = moved
    client.force_login(world.user("ANK", "reception"))
    client.post(_today("ANK"), {"number": duplicate.registration_number})
    assert CheckIn.objects.filter(beneficiary=person, center=world.centers["ANK"]).exists()


def test_the_old_centre_cannot_enrol_or_look_up_the_moved_person(client, world, moved):
    person, duplicate, _wife = moved
    client.force_login(world.user("IST", "reception"))
    activity = world.activities["IST"]
    Enrollment.objects.filter(activity=activity, beneficiary=person).delete()  # the world's, from before
    for number in (person.registration_number, duplicate.registration_number):
        client.post(
            reverse("services:enrol", kwargs={"center": "IST", "pk": activity.pk}), {"number": number}
        )
        lookup = client.get(reverse("beneficiaries:lookup", kwargs={"center": "IST"}), {"number": number})
        assert lookup.status_code == 200 and "No one with this number" in lookup.content.decode()
    assert not Enrollment.objects.filter(activity=activity, beneficiary=person).exists()


# ---------------------------------------------------------------- an old card, at every scan point


@pytest.fixture
def old_card(world):
    person = world.people["ANK"]
    old = f"{person.registration_number}/{person.card_version}"
    services.card_reissue(person=person)
    return person, old


def test_an_old_card_does_not_check_in_at_today(client, world, old_card):
    person, old = old_card
    client.force_login(world.user("ANK", "reception"))
    page = client.post(_today("ANK"), {"number": old}).content.decode()
    assert "This card is no longer valid" in page
    assert not CheckIn.objects.filter(beneficiary=person).exists()


def test_an_old_card_does_not_enrol(client, world, old_card):
    person, old = old_card
    client.force_login(world.user("ANK", "reception"))
    activity = world.activities["ANK"]
    Enrollment.objects.filter(activity=activity, beneficiary=person).delete()
    response = client.post(
        reverse("services:enrol", kwargs={"center": "ANK", "pk": activity.pk}), {"number": old}, follow=True
    )
    assert "This card is no longer valid" in response.content.decode()
    assert not Enrollment.objects.filter(activity=activity, beneficiary=person).exists()


def test_an_old_card_is_not_a_walk_in(client, world, old_card, time_machine):
    person, old = old_card
    session = world.sessions["ANK"]
    time_machine.move_to(once_started(session))  # a register opens when its session begins
    client.force_login(world.user("ANK", "trainer"))
    response = client.post(
        reverse("services:register", kwargs={"center": "ANK", "pk": session.pk}), {"walk_ins": old}
    )
    assert "This card is no longer valid" in response.content.decode()
    assert not Attendance.objects.filter(session=session, beneficiary=person).exists()


def test_the_new_card_works_everywhere(client, world, old_card):
    person, _old = old_card
    client.force_login(world.user("ANK", "reception"))
    client.post(_today("ANK"), {"number": f"{person.registration_number}/{person.card_version}"})
    assert CheckIn.objects.filter(beneficiary=person).exists()
    assert Beneficiary.objects.get(pk=person.pk).card_version == 2


@pytest.mark.parametrize("version", ["²", "x", "", " 1 ", "٣"])
def test_a_card_version_that_is_not_a_number_is_refused_not_a_500(client, world, version):
    from beneficiaries.selectors import ScanRefused, beneficiary_for_scan

    person = world.people["ANK"]
    scanned = f"{person.registration_number}/{version}"
    if version.strip() in {"", "1"}:
        assert beneficiary_for_scan(center=world.centers["ANK"], scanned=scanned) == person
    else:
        with pytest.raises(ScanRefused):
            beneficiary_for_scan(center=world.centers["ANK"], scanned=scanned)
