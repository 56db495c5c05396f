"""A referral that closes the loop: a social worker finds a health service in the district and refers; the
partner's focal point logs in, accepts and records the outcome; the social worker sees it on the case."""

import pytest
from playwright.sync_api import expect

from cases.models import Referral
from conftest import assert_accessible
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_referral_goes_to_a_partner_who_answers_it_and_the_caseworker_sees_the_outcome(page, world):
    case = world.cases["ANK"]
    log_in(page, "ank_social_worker")
    page.goto("/c/ANK/directory/")
    page.get_by_label("Service type").select_option("health_care")
    page.get_by_role("textbox", name="District").fill("Altındağ")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("directory")).to_contain_text("Altındağ migrant health centre")
    expect(page.get_by_test_id("directory")).not_to_contain_text("Fatih")
    assert_accessible(page)
    page.goto(f"/c/ANK/cases/{case.pk}/")
    page.get_by_role("link", name="Refer to a partner").click()
    page.get_by_label("Service type").select_option("health_care")
    page.get_by_role("textbox", name="District").fill("Altındağ")
    page.get_by_role("button", name="Find service points").click()
    assert_accessible(page)
    page.get_by_label("Service point", exact=True).select_option(
        label="Altındağ migrant health centre · Ministry of Health · Altındağ"
    )
    page.get_by_label("Service needed").select_option("health_care")
    page.get_by_label("Reason").fill("Vaccinations for the three children")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral drafted.")).to_be_visible()
    referral = Referral.objects.get(reason="Vaccinations for the three children")
    page.get_by_test_id(f"referral-{referral.pk}").locator("..").get_by_role(
        "button", name="Mark as sent"
    ).click()
    expect(page.get_by_test_id(f"referral-{referral.pk}")).to_contain_text("Sent")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "partner_focal_point")
    expect(page.get_by_role("heading", name="Referrals to your organisation")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("partner-referrals").get_by_role(
        "link", name=case.beneficiary.full_name
    ).first.click()
    expect(page.get_by_test_id("shared-data")).to_contain_text(case.beneficiary.full_name)
    assert_accessible(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Referral accepted")).to_be_visible()
    page.get_by_role("link", name="Record the outcome").click()
    assert_accessible(page)
    page.get_by_label("Note for the caseworker").fill("All three children vaccinated; next dose in March.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome recorded")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "ank_social_worker")
    page.goto(f"/c/ANK/cases/{case.pk}/")
    answered = page.get_by_test_id(f"referral-{referral.pk}")
    expect(answered).to_contain_text("Completed")
    expect(answered).to_contain_text("All three children vaccinated")
    expect(answered).to_contain_text("The partner's focal point")
    assert_accessible(page)
