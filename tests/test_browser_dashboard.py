"""The dashboard in Arabic on a laptop (issue 15, item 5): nothing overflows, every label is inside its chart,
months read right to left."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import assert_chart_labels_inside
from services.models import ServiceCategory, ServiceDelivery
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _served_over_the_year(world):
    staff = world.user("ANK", "reception")
    for months_ago in range(12):
        day = (dt.date(2026, 11, 15) - dt.timedelta(days=30 * months_ago)).replace(day=10)
        for _n in range(3 + months_ago):
            ServiceDelivery.objects.create(
                center=world.centers["ANK"],
                beneficiary=BeneficiaryFactory(center=world.centers["ANK"], consents=False),
                category=ServiceCategory.objects.get(code="E"),
                type="information",
                date=day,
                staff=staff,
            )


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=True)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_national_dashboard_fits_a_laptop_with_every_label_inside_its_chart(
    page, live_server, world, language
):
    _served_over_the_year(world)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "national_manager")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/national/dashboard/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    charts = page.locator('svg[data-testid="chart"]')
    expect(charts).to_have_count(4)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_chart_labels_inside(page, 'svg[data-testid="chart"]')
    # Months in reading order: the oldest month first in the page's direction.
    bars = charts.first.locator("rect")
    first, last = bars.first.bounding_box(), bars.last.bounding_box()
    assert (first["x"] > last["x"]) if language == "ar" else (first["x"] < last["x"])
