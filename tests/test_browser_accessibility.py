"""WCAG 2.1 AA (issue 17): every page the navigation leads to passes axe-core in a left-to-right and a
right-to-left language, and a form sent back with errors names each error to its field."""

import re

import pytest
from playwright.sync_api import expect

from conftest import assert_accessible, assert_no_horizontal_scroll
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def in_language(page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_in_the_centre_managers_navigation_passes_axe(page, world, live_server, language):
    log_in(page, "ank_center_manager")
    in_language(page, live_server, language)
    page.goto("/c/ANK/")
    links = page.eval_on_selector_all(
        "#nav-main a[href^='/c/ANK/']", "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert len(links) >= 15, links
    for href in links:
        response = page.goto(href)
        assert response.status == 200, href
        assert_no_horizontal_scroll(page)
        assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_form_sent_back_with_errors_names_each_error_to_its_field(page, world, live_server, language):
    log_in(page, "ank_reception")
    in_language(page, live_server, language)
    page.goto("/c/ANK/feedback/new/")
    # The browser's own checks would stop an empty form: send it anyway, as an old browser would.
    page.evaluate("document.querySelectorAll('main form').forEach(form => form.noValidate = true)")
    page.locator("main form[method=post] button[type=submit]").first.click()

    channel = page.locator("#id_channel")
    expect(channel).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{channel.get_attribute('aria-describedby')}")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    # A group of radio buttons is described as a whole, through its fieldset.
    kinds = page.locator("fieldset", has=page.locator("input[name=kind]"))
    expect(page.locator(f"#{kinds.get_attribute('aria-describedby')}")).to_have_text(re.compile(r"\S"))
    assert_accessible(page)
