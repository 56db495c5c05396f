import re

import pytest
from playwright.sync_api import expect

from conftest import assert_accessible
from listening.models import NeedsInterview, OutreachVisit
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = [
    (
        "Female",
        "18–59",
        "Temporary protection",
        "Children's education",
        "Language",
        "Okul kaydı için belge istiyorlar",
    ),
    ("Male", "60 and over", "Host community", "Children's education", "Social cohesion", ""),
    ("Female", "12–17", "International protection", "Children's education", "", "أريد أن أدرس"),
]


def test_social_worker_records_an_outreach_visit_with_three_interviews_and_sees_the_needs_change(page, world):
    log_in(page, "ank_social_worker")
    page.get_by_role("button", name="Community").click()
    page.get_by_role("link", name="Needs and offer").click()
    expect(page.get_by_role("heading", name=re.compile("Needs and offer"))).to_be_visible()
    assert_accessible(page)
    # Before: one person asked this year (the world's), who named language first; no gap yet.
    expect(page.locator("tr[data-need=language] td").first).to_have_text("1")
    expect(page.locator("tr[data-need=children_education] td").nth(1)).to_have_text("0")
    expect(page.locator("#gap-list")).to_have_count(0)

    page.get_by_role("link", name="Record an outreach visit").click()
    assert_accessible(page)
    page.get_by_label("District").fill("Altındağ")
    page.get_by_label("Neighbourhood").fill("Ulubey")
    page.get_by_label("Households visited").fill("8")
    page.get_by_label(re.compile(r"\(ank_trainer\)")).check()
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_text("Visit saved. Now record the people you asked.")).to_be_visible()
    assert_accessible(page)

    for n, (sex, age, group, first, second, quote) in enumerate(PEOPLE, start=1):
        form = page.locator("form[aria-labelledby=add-interview]")
        form.get_by_label(sex, exact=True).check()
        form.get_by_label(age, exact=True).check()
        form.get_by_label("Group").select_option(label=group)
        form.get_by_label("Most important need").select_option(label=first)
        if second:
            form.get_by_label("Second need").select_option(label=second)
        form.get_by_label("In their words").fill(quote)
        form.get_by_role("button", name="Save the interview").click()
        expect(page.get_by_text("Interview saved.")).to_be_visible()
        expect(page.locator("#interviews tbody tr")).to_have_count(n)
    expect(page.get_by_role("heading", name="3 people asked")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Needs and offer").click()
    # After: children's education is named first by three of the four people asked, and nothing answers it.
    row = page.locator("tr[data-need=children_education]")
    expect(row.locator("td").first).to_have_text("1")
    expect(row.locator("td").nth(1)).to_contain_text("3")
    expect(page.locator("#gap-list")).to_contain_text(
        "Children's education: named by 3 of 4 people asked (rank 1), and no activity answers it."
    )
    expect(page.get_by_text("Okul kaydı için belge istiyorlar")).to_be_visible()
    assert_accessible(page)

    visit = OutreachVisit.objects.get(neighbourhood="Ulubey")
    assert visit.households_visited == 8
    assert set(visit.staff.values_list("username", flat=True)) == {"ank_social_worker", "ank_trainer"}
    assert NeedsInterview.objects.filter(visit=visit).count() == 3
