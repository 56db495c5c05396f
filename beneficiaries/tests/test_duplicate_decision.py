"""The "none of these is this person" decision sits right under the candidates it answers, tied to them."""

import re

import pytest

from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_the_decision_follows_the_candidates_before_the_rest_of_the_form(register, world):
    existing = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Muhammad", last_name="Hallak", birth_year=1988
    )
    # Typed in Arabic script only: the cross-script check finds the Latin record.
    page = register(first_name="Xx", first_name_original="محمد", last_name="Hallak").content.decode()
    warning = page.index('id="id_person-not_duplicate-warning"')
    candidate = page.index(existing.registration_number, warning)
    checkbox = page.index('id="id_person-not_duplicate"')
    # Under the candidates' table, before the person's own fields (the vulnerabilities come last).
    assert page.index("</table>", candidate) < checkbox < page.index('name="person-first_name"')
    assert checkbox < page.index('name="person-vulnerabilities"')
    box = re.search(r'<input[^>]*id="id_person-not_duplicate"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and 'aria-describedby="id_person-not_duplicate-warning"' in box
    assert page.count('name="person-not_duplicate"') == 1


def test_each_family_member_has_the_decision_under_their_own_candidates(register, world):
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
    warning = page.index('id="id_members-0-not_duplicate-warning"')
    checkbox = page.index('id="id_members-0-not_duplicate"')
    assert warning < checkbox < page.index('name="members-0-first_name"')
    assert 'aria-describedby="id_members-0-not_duplicate-warning"' in page
    # The head has no candidate: no decision to make for him.
    assert 'id="id_person-not_duplicate-warning"' not in page
    assert 'type="hidden" name="person-not_duplicate"' in page


def test_ticking_the_decision_under_the_warning_registers_the_person(register, world):
    BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Muhammad", last_name="Hallak", birth_year=1988
    )
    register(first_name="Mehmet", last_name="Hallak", not_duplicate="on")
    assert Beneficiary.objects.filter(first_name="Mehmet").exists()
