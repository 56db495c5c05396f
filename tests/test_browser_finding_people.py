"""Finding people in the browser (issue 16): a common given name shows exact matches first; a returning
person typed in Arabic script is found from the duplicate warning and opened."""

import pytest
from playwright.sync_api import expect

from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import assert_accessible
from tests.test_browser_foundation import log_in
from tests.test_browser_registration import answer_consent, fill_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _person(world, **fields):
    return BeneficiaryFactory(
        center=world.centers["ANK"], registered_by=world.user("ANK", "reception"), **fields
    )


def test_searching_a_common_given_name_shows_exact_matches_first(page, world):
    for first, last, year in (
        ("Mahmoud", "Masri", 1980),
        ("Mohammed", "Masri", 1985),
        ("Mahmut", "Kaya", 1975),
        ("Muhammad", "Hallak", 1990),
        ("Mohammed", "Nasser", 1992),
    ):
        _person(world, first_name=first, last_name=last, birth_year=year)
    log_in(page, "ank_reception")
    page.goto("/c/ANK/people/?q=Mohammed")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Mohammed")
    assert_accessible(page)
    names = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    firsts = [n.split()[0] for n in names]
    mahmouds = [i for i, n in enumerate(firsts) if n in {"Mahmoud", "Mahmut"}]
    mohammeds = [i for i, n in enumerate(firsts) if n in {"Mohammed", "Muhammad"}]
    assert mohammeds and (not mahmouds or max(mohammeds) < min(mahmouds))
    for i in mahmouds:
        expect(rows.nth(i).get_by_test_id("weak-match")).to_be_visible()


def test_reception_types_a_returning_person_in_arabic_and_opens_the_right_record(page, world):
    returning = _person(
        world, first_name="Youssef", last_name="Al-Khatib", sex="male", birth_year=1987, document_number=""
    )
    log_in(page, "ank_reception")
    page.goto("/c/ANK/people/register/")
    fill_person(page, "person", first="", last="", original="يوسف", sex="male", year=1988)
    page.fill("#id_person-first_name", "Yusuf")
    page.fill("#id_person-last_name_original", "الخطيب")
    page.select_option("#id_person-nationality", "SY")
    page.select_option("#id_person-population_group", "temporary_protection")
    answer_consent(page)
    page.get_by_role("button", name="Save registration").click()
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text(returning.registration_number)
    assert_accessible(page)
    row = warning.locator("tr", has_text=returning.registration_number)
    row.get_by_role("link", name="Open existing record").click()
    expect(page).to_have_url(f"/c/ANK/people/{returning.pk}/")
    expect(page.locator("h1")).to_contain_text("Youssef")
    assert_accessible(page)
