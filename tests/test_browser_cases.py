import re

import pytest
from playwright.sync_api import expect

from beneficiaries.tests.factories import BeneficiaryFactory
from cases.models import Case, Referral
from conftest import assert_accessible
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_social_worker_opens_a_case_follows_up_refers_and_finds_it_in_the_caseload(page, world):
    person = BeneficiaryFactory(center=world.centers["ANK"], first_name="Rania", last_name="Haddad")
    log_in(page, "ank_social_worker")
    page.goto(f"/c/ANK/people/{person.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Open a case").click()
    assert_accessible(page)
    page.get_by_label("Why the case is opened").fill("Three children out of school; mother alone.")
    page.get_by_label("Risk level").select_option("high")
    page.get_by_label("Legal basis").select_option("consent")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name="Case of Rania Haddad")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a follow-up").click()
    assert_accessible(page)
    page.get_by_label("Type").select_option("home_visit")
    page.get_by_label("Summary").fill("Home visit: the children need school places.")
    page.get_by_label("Next follow-up").fill("2099-01-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Follow-up recorded.")).to_be_visible()

    page.get_by_role("link", name="Refer to a partner").click()
    assert_accessible(page)
    page.get_by_label("Partner").select_option(label="Ministry of Health")
    page.get_by_label("Reason").fill("Vaccinations for the three children")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral drafted.")).to_be_visible()
    expect(page.get_by_text("Ministry of Health")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Cases").click()
    page.get_by_role("link", name="My caseload").click()
    caseload = page.get_by_test_id("caseload")
    expect(caseload).to_contain_text("Rania Haddad")
    expect(caseload).to_contain_text(re.compile("Home visit|2099|High"))
    assert_accessible(page)
    case = Case.objects.get(beneficiary=person)
    assert case.status == "active" and case.follow_ups.get().type == "home_visit"
    assert Referral.objects.get(case=case).partner.name == "Ministry of Health"
