"""Each role logs in, lands on its own start page ("My day") and is one click from its main task."""

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAPTOP = {"width": 1280, "height": 800}


def land(page, username):
    page.set_viewport_size(LAPTOP)
    log_in(page, username)
    expect(page).to_have_url(re.compile(r"/c/ANK/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")


def test_reception_lands_with_the_cursor_in_the_search_box_and_finds_a_person(page, world):
    person = world.people["ANK"]
    land(page, "ank_reception")
    search = page.get_by_role("searchbox", name=re.compile("Name in any script"))
    expect(search).to_be_focused()
    expect(page.get_by_role("heading", name="People waiting")).to_be_visible()
    page.keyboard.type(person.last_name)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=person.registration_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.last_name)


def test_trainer_opens_todays_register_from_the_start_page(page, world):
    session = world.sessions["ANK"]
    land(page, "ank_trainer")
    expect(page.get_by_role("heading", name="My caseload")).to_have_count(0)
    page.get_by_test_id("my-sessions-today").get_by_role("link", name=re.compile("Register")).click()
    expect(page).to_have_url(re.compile(rf"/c/ANK/sessions/{session.pk}/$"))
    expect(page.get_by_role("heading", name=session.activity.name)).to_be_visible()


def test_social_worker_opens_a_case_from_the_caseload_on_the_start_page(page, world):
    person = world.people["ANK"]
    land(page, "ank_social_worker")
    page.get_by_test_id("start-caseload").get_by_role("link", name=person.full_name).click()
    expect(page).to_have_url(re.compile(rf"/c/ANK/cases/{world.cases['ANK'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)


def test_centre_manager_sees_the_day_and_goes_to_the_transfer_waiting_for_them(page, world):
    land(page, "ank_center_manager")
    expect(page.get_by_role("heading", name="The centre's day")).to_be_visible()
    expect(page.get_by_test_id("centre-day-summary")).to_contain_text("Sessions today")
    expect(page.get_by_role("heading", name="Last report")).to_be_visible()
    page.get_by_role("link", name="Transfers to this centre").click()
    expect(page.get_by_role("heading", name=re.compile("Supervision"))).to_be_visible()
    expect(page.get_by_text("The family moved")).to_be_visible()
