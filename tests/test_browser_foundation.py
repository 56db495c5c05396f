import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.security import requires_two_factor
from centers.tests.factories import TEST_PASSWORD
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username):
    """Password, then (for managers, national roles, superusers) a code from the user's authenticator."""
    user = get_user_model().objects.get(username=username)
    device = None
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="browser", defaults={"confirmed": True})
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        page.get_by_role("textbox", name=re.compile(r"^Code")).fill(current_code(device.bin_key))
        page.get_by_role("button", name="Continue").click()


def current_code(key: bytes) -> str:
    """What the authenticator app on the person's phone shows now."""
    return f"{totp(key, step=30, digits=6):06d}"


def test_reception_switches_to_arabic_and_logs_out(page, world):
    log_in(page, "ank_reception")
    expect(page.get_by_role("heading", name=re.compile("Ankara Community Centre"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert_accessible(page)

    page.get_by_role("button", name="Language: English").click()
    page.get_by_role("button", name=re.compile("^العربي")).click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator('link[href*="bootstrap.rtl.min.css"]')).to_have_count(1)
    # The page itself is translated, not only flipped.
    expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()
    # Bootstrap's RTL sheet really loaded: the body's text starts on the right.
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_accessible(page)

    page.get_by_role("button", name="تسجيل الخروج").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)


def test_centre_manager_sets_up_two_factor_login_then_logs_in_with_a_recovery_code(page, world):
    # First login: password, then the set-up page with a QR code and the key typed into the "app".
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.fill("#id_username", "ank_center_manager")
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.get_by_role("heading", name="Set up two-factor login")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    assert_accessible(page)
    key = page.locator("code").inner_text().replace(" ", "")
    page.get_by_role("textbox", name=re.compile(r"^Code")).fill(
        current_code(base64.b32decode(key + "=" * (-len(key) % 8)))
    )
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert_accessible(page)
    recovery = page.locator("ul.font-monospace li").first.inner_text()
    page.get_by_role("link", name="I have written them down").click()
    expect(page.get_by_role("heading", name=re.compile("Ankara Community Centre"))).to_be_visible()

    # The phone is lost: the next login takes a recovery code instead.
    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.fill("#id_username", "ank_center_manager")
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile(r"^Code")).fill(recovery)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile("Ankara Community Centre"))).to_be_visible()
    expect(page.get_by_text(re.compile("You used a recovery code; 9 are left"))).to_be_visible()
    assert_accessible(page)
