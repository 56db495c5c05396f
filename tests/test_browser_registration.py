import re

import pytest
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary
from conftest import assert_accessible
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_person(page, prefix, *, first, last, original="", sex, year, relationship=None):
    page.fill(f"#id_{prefix}-first_name", first)
    page.fill(f"#id_{prefix}-last_name", last)
    if original:
        page.fill(f"#id_{prefix}-first_name_original", original)
    page.select_option(f"#id_{prefix}-sex", sex)
    page.fill(f"#id_{prefix}-birth_year", str(year))
    if relationship:
        page.select_option(f"#id_{prefix}-relationship_to_head", relationship)


def answer_consent(page):
    page.check("#id_consent-service_delivery_0")
    page.check("#id_consent-referral_data_sharing_0")
    page.check("#id_consent-photo_1")


def test_reception_registers_a_family_in_arabic_and_catches_a_duplicate(page, world, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    log_in(page, "ank_reception")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.get_by_role("button", name="الأشخاص").click()
    page.get_by_role("link", name="تسجيل", exact=True).click()
    assert_accessible(page)
    fill_person(page, "person", first="Mohammed", last="Hallak", original="محمد", sex="male", year=1985)
    page.select_option("#id_person-nationality", "SY")
    page.select_option("#id_person-population_group", "temporary_protection")
    page.fill("#id_person-phone", "0532 555 44 33")
    answer_consent(page)
    family = [
        ("Amina", "آمنة", "female", 1988, "spouse"),
        ("Yusuf", "يوسف", "male", 2012, "child"),
        ("Mariam", "مريم", "female", 2016, "child"),
    ]
    for index, (first, original, sex, year, relationship) in enumerate(family):
        page.get_by_role("button", name="إضافة فرد من الأسرة").click()
        fill_person(
            page,
            f"members-{index}",
            first=first,
            last="Hallak",
            original=original,
            sex=sex,
            year=year,
            relationship=relationship,
        )
    page.get_by_role("button", name="حفظ التسجيل").click()

    expect(page.get_by_role("heading", name="Mohammed Hallak")).to_be_visible()
    assert_accessible(page)
    for first, *_ in family:
        expect(page.get_by_role("link", name=f"{first} Hallak")).to_be_visible()
    amina = Beneficiary.objects.get(first_name="Amina")

    # The same woman comes back and is registered under a Turkish spelling.
    page.get_by_role("button", name="الأشخاص").click()
    page.get_by_role("link", name="تسجيل", exact=True).click()
    fill_person(page, "person", first="Emine", last="Halak", sex="female", year=1988)
    page.select_option("#id_person-nationality", "SY")
    page.select_option("#id_person-population_group", "temporary_protection")
    answer_consent(page)
    page.get_by_role("button", name="حفظ التسجيل").click()

    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(amina.registration_number)
    assert_accessible(page)
    warning.get_by_role("link", name="فتح السجل الموجود").click()
    expect(page).to_have_url(re.compile(rf"/c/ANK/people/{amina.pk}/$"))
    assert_accessible(page)
    assert Beneficiary.objects.filter(first_name="Emine").count() == 0

    page.get_by_role("link", name="بطاقة التسجيل").click()
    card = page.get_by_test_id("registration-card")
    expect(card).to_contain_text(amina.registration_number)
    expect(card.locator("svg")).to_be_visible()
    assert_accessible(page)
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="طباعة").click()
    assert page.evaluate("window.__printed") is True
    pdf = page.request.get(page.get_by_role("link", name="تنزيل PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    # On paper only the card comes out: no navigation, no buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="طباعة")).to_be_hidden()
    expect(card).to_be_visible()
