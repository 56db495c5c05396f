"""The API's documentation works under the site's Content-Security-Policy: Swagger UI loads from this site's
static files, starts from a static script, and tries an endpoint with a token."""

import pytest
from playwright.sync_api import expect

from api.models import Scope
from api.tests.conftest import client_with_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_runs_under_the_csp_and_tries_a_call(page, world, live_server):
    _client, http = client_with_token(name="Donor", scopes=[Scope.DIRECTORY_READ])
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else problems.append(f"elsewhere: {r.url}"),
    )
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Toplum API").first).to_be_visible()
    operation = page.locator("#operations-directory-activities_list")
    expect(operation).to_be_visible()

    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input").first.fill(http.token_text)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    assert problems == []
