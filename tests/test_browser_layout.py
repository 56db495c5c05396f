"""The layout fits (issue 17): the navigation holds on one line on a 1280 px laptop in every language and
folds behind the toggler below 1200 px; Arabic pages keep times and numbers in their reading order; and the
pages pass axe-core's WCAG 2.1 AA checks with their menus open."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import assert_accessible, assert_no_horizontal_scroll
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ["en", "tr", "ar", "fr"]

# The navigation's top-level entries (menu items, the language menu, the account) and where each sits.
TOP_LEVEL = """() => [...document.querySelectorAll(
    '#nav-main .navbar-nav > .nav-item, #nav-main > [data-testid=language-menu], #nav-main > [data-testid=nav-account]'
  )].map(e => ({
    text: e.innerText.trim().split('\\n')[0], item: e.matches('.nav-item'), top: e.offsetTop,
    rect: e.getBoundingClientRect().toJSON(),
  }))"""

# How wide the navigation is when its entries are packed side by side, the free space between the menu and the
# language menu taken out: what it needs, whatever the window.
NATURAL_WIDTH = """() => {
  const bar = document.querySelector('nav.navbar > div'), menu = document.querySelector('#nav-main .navbar-nav');
  const space = parseFloat(getComputedStyle(menu).marginInlineEnd);
  const rects = [...bar.querySelectorAll('.navbar-brand, #nav-main > *')].map(e => e.getBoundingClientRect());
  const padding = parseFloat(getComputedStyle(bar).paddingLeft) + parseFloat(getComputedStyle(bar).paddingRight);
  return Math.round(Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left)) - space + padding);
}"""


def in_language(page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def assert_navigation_on_one_line(page):
    entries = page.evaluate(TOP_LEVEL)
    assert len(entries) >= 3, entries
    menu_items = [entry for entry in entries if entry["item"]]
    assert len({entry["top"] for entry in menu_items}) == 1, f"the menu wraps: {menu_items}"
    # The language menu and the account are shorter than the menu's items: their middles line up.
    middles = [entry["rect"]["top"] + entry["rect"]["height"] / 2 for entry in entries]
    assert max(middles) - min(middles) <= 4, f"the navigation takes more than one line: {entries}"
    log_out = page.get_by_test_id("logout").bounding_box()
    width = page.evaluate("window.innerWidth")
    assert log_out["x"] >= 0 and log_out["x"] + log_out["width"] <= width, f"Log out is cut: {log_out}"
    expect(page.get_by_test_id("logout")).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_be_hidden()


def test_centre_managers_navigation_fits_one_line_at_1280_px_in_every_language(page, world, live_server):
    log_in(page, "ank_center_manager")
    widths = {}
    for language in LANGUAGES:
        in_language(page, live_server, language)
        page.goto("/c/ANK/people/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_no_horizontal_scroll(page)
        assert_navigation_on_one_line(page)
        widths[language] = page.evaluate(NATURAL_WIDTH)
    # Room to spare for longer translations: the window's content box is 1256 px.
    assert max(widths.values()) <= 1200, widths
    assert widths["en"] < 1150, widths


@pytest.mark.parametrize("role", ["reception", "social_worker", "psychologist", "trainer"])
def test_every_roles_navigation_fits_one_line_in_french(page, world, live_server, role):
    # French has the longest words of the four languages.
    log_in(page, f"ank_{role}")
    in_language(page, live_server, "fr")
    page.goto("/c/ANK/people/")
    assert_no_horizontal_scroll(page)
    assert_navigation_on_one_line(page)


def test_below_1200_px_the_navigation_folds_behind_the_toggler(page, world):
    page.set_viewport_size({"width": 1000, "height": 800})
    log_in(page, "ank_center_manager")
    page.goto("/c/ANK/people/")
    assert_no_horizontal_scroll(page)
    toggler = page.get_by_role("button", name="Show navigation")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("logout")).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.get_by_role("button", name="People").click()
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page).to_have_url("/c/ANK/people/register/")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_menu_of_the_navigation_passes_axe_when_open(page, world, live_server, language):
    log_in(page, "ank_center_manager")
    in_language(page, live_server, language)
    page.goto("/c/ANK/people/")
    assert_accessible(page)
    toggles = page.locator("nav.navbar [data-bs-toggle=dropdown]")
    assert toggles.count() >= 5
    for i in range(toggles.count()):
        toggles.nth(i).click()
        menu = toggles.nth(i).locator("xpath=following-sibling::ul[1]")
        expect(menu).to_be_visible()
        expect(toggles.nth(i)).to_have_attribute("aria-expanded", "true")
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()


def test_arabic_today_shows_a_time_range_in_reading_order(page, world, live_server):
    session = world.sessions["ANK"]
    session.starts_at, session.ends_at = dt.time(10, 0), dt.time(13, 0)
    session.save()
    log_in(page, "ank_trainer")
    in_language(page, live_server, "ar")
    page.goto("/c/ANK/today/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    cell = page.get_by_role("row").filter(has_text=session.activity.name).get_by_role("cell").first
    time_range = cell.locator("[dir=ltr]")
    expect(time_range).to_have_text("10:00–13:00")
    # As drawn on the screen: 10:00 to the left of 13:00 on one line, not "13:00–10:00" read right to left.
    starts, ends = time_range.evaluate(
        """element => {
          const text = element.firstChild, at = (from, to) => {
            const range = document.createRange(); range.setStart(text, from); range.setEnd(text, to);
            return range.getBoundingClientRect().toJSON();
          };
          return [at(0, 5), at(6, 11)];
        }"""
    )
    assert starts["right"] <= ends["left"] and starts["top"] == ends["top"], (starts, ends)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
