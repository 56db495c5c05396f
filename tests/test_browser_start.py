"""Each role logs in, lands on its own start page ("My day") and is one click from its main task.

Every journey runs in English and in Arabic (right to left) on a 1280 × 800 laptop screen, and every page it
visits must be free of serious and critical axe-core violations and must not scroll sideways. The language is
chosen after logging in (as a person would, with the language menu; here with its cookie), and elements are
found by role and accessible name in the page's own language, by label or by test id, never by English text.
"""

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from conftest import assert_accessible, assert_no_horizontal_scroll
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAPTOP = {"width": 1280, "height": 800}
LANGUAGES = ["en", "ar"]


def t(language, message, context=None):
    """What the page says for ``message`` in ``language``: the name a person reads on the screen."""
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def usable(page):
    """The page as it is now is accessible and fits the laptop's width."""
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def start(page, live_server, username, language, url=r"/c/ANK/$"):
    """Log in, switch to ``language`` and land on the start page, which must be usable."""
    page.set_viewport_size(LAPTOP)
    log_in(page, username)
    expect(page).to_have_url(re.compile(url))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.reload()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    usable(page)


def on_my_day(page, language):
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(language, "My day"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_reception_lands_with_the_cursor_in_the_search_box_and_finds_a_person(
    page, live_server, world, language
):
    person = world.people["ANK"]
    start(page, live_server, "ank_reception", language)
    on_my_day(page, language)
    search = page.get_by_role(
        "searchbox", name=t(language, "Name in any script, registration number, phone or document number")
    )
    expect(search).to_be_focused()
    expect(page.get_by_role("heading", name=t(language, "People waiting"))).to_be_visible()
    page.keyboard.type(person.last_name)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/c/ANK/people/"))
    usable(page)
    page.get_by_role("link", name=person.registration_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.last_name)
    usable(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_trainer_opens_todays_register_from_the_start_page(page, live_server, world, language):
    session = world.sessions["ANK"]
    start(page, live_server, "ank_trainer", language)
    on_my_day(page, language)
    expect(page.get_by_role("heading", name=t(language, "My caseload"))).to_have_count(0)
    today = page.get_by_test_id("my-sessions-today")
    today.get_by_role("link", name=t(language, "Register", "attendance register")).click()
    expect(page).to_have_url(re.compile(rf"/c/ANK/sessions/{session.pk}/$"))
    expect(page.get_by_role("heading", name=session.activity.name)).to_be_visible()
    usable(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["social_worker", "psychologist"])
def test_caseworker_opens_a_case_from_the_caseload_on_the_start_page(
    page, live_server, world, language, role
):
    person = world.people["ANK"]
    start(page, live_server, f"ank_{role}", language)
    on_my_day(page, language)
    page.get_by_test_id("start-caseload").get_by_role("link", name=person.full_name).click()
    expect(page).to_have_url(re.compile(rf"/c/ANK/cases/{world.cases['ANK'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    usable(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_centre_manager_sees_the_day_and_goes_to_the_transfer_waiting_for_them(
    page, live_server, world, language
):
    start(page, live_server, "ank_center_manager", language)
    on_my_day(page, language)
    expect(page.get_by_role("heading", name=t(language, "The centre's day"))).to_be_visible()
    expect(page.get_by_test_id("centre-day-summary")).to_contain_text(t(language, "Sessions today"))
    expect(page.get_by_role("heading", name=t(language, "Last report"))).to_be_visible()
    page.get_by_role("link", name=t(language, "Transfers to this centre")).click()
    expect(page).to_have_url(re.compile(r"/c/ANK/cases/supervision/$"))
    expect(page.get_by_text("The family moved")).to_be_visible()
    usable(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_national_manager_lands_on_the_national_dashboard_and_opens_the_national_reports(
    page, live_server, world, language
):
    run = world.report_runs["national"]
    start(page, live_server, "national_manager", language, url=r"/national/dashboard/$")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(language, "All centres"))
    page.get_by_test_id("nav-items").get_by_role("link", name=t(language, "National reports")).click()
    expect(page).to_have_url(re.compile(r"/national/reports/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(language, "All centres"))
    usable(page)
    with translation.override(language):
        month = date_format(run.start, "F Y")
    page.get_by_role("link", name=month, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{run.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(month)
    usable(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_data_protection_officer_finds_a_person_by_name_from_the_start_page(
    page, live_server, world, language
):
    person = world.people["ANK"]
    start(page, live_server, "data_protection_officer", language, url=r"/$")
    on_my_day(page, language)
    search = page.get_by_test_id("start-subject-search").get_by_role(
        "searchbox", name=t(language, "Name in any script, registration number or card number")
    )
    expect(search).to_be_focused()
    search.fill(f"{person.first_name} {person.last_name}")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/audit/people/\?"))
    usable(page)
    page.get_by_role("link", name=person.full_name).click()
    expect(page).to_have_url(re.compile(rf"/audit/people/{person.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(person.registration_number)
    usable(page)
