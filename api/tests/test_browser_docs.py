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


def test_the_manager_reads_the_deliveries_page(page, world, live_server):
    from api import services
    from api.models import Event, WebhookDelivery
    from conftest import assert_accessible
    from tests.test_browser_foundation import log_in

    client = services.api_client_save(
        name="Ministry of Health system", scopes=["referrals:read"], partner=world.partner
    )
    webhook = services.webhook_create(
        client=client, url="https://moh.example/hooks", events=[Event.REFERRAL_SENT]
    )
    WebhookDelivery.objects.create(
        webhook=webhook,
        event=Event.REFERRAL_SENT,
        referral=world.referrals["ANK"],
        center=world.centers["ANK"],
        payload={},
        status="failed",
        attempts=6,
        last_status_code=500,
        last_error="HTTP 500",
    )
    log_in(page, "ank_center_manager")
    page.goto("/c/ANK/api/webhooks/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Webhook deliveries")
    expect(page.locator("tr[data-status=failed]")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name="Delivered").click()
    expect(page.locator("tbody tr[data-status]")).to_have_count(0)
