"""The scenario page in Arabic and Turkish on a laptop (issue 22): nothing overflows the page, every label is
inside the runway chart, and the bars read in the page's direction."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import assert_chart_labels_inside
from planning.tests.factories import planned_center
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=True)
@pytest.mark.parametrize("language", ["ar", "tr"])
def test_the_scenario_page_fits_a_laptop_with_the_runway_chart_inside(page, live_server, world, language):
    planned_center()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "national_manager")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/national/planning/scenario/?open_KIL=2027-03")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    chart = page.locator('svg[data-testid="runway-chart"]')
    expect(chart).to_have_count(1)
    expect(page.locator("#runway")).to_contain_text("Appeal fund")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_chart_labels_inside(page, 'svg[data-testid="runway-chart"]')
    # "Without" comes first in reading order: on the left in Turkish, on the right in Arabic.
    without, with_ = chart.locator("rect").nth(0).bounding_box(), chart.locator("rect").nth(1).bounding_box()
    assert (without["x"] > with_["x"]) if language == "ar" else (without["x"] < with_["x"])
