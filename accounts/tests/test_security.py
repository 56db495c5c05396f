"""Login hardening: lockout, two-factor login, session limits, and the headers every page carries."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from centers.tests.factories import TEST_PASSWORD
from conftest import force_login_password_only

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    kwargs = {} if at is None else {"t": lambda: at}
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, **kwargs):06d}"


def post_login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


# -- lockout (django-axes) -------------------------------------------------------------------------------


def test_five_failures_lock_that_user_from_that_address_with_a_generic_message(client, world):
    user = world.user("ANK", "reception")
    statuses = [post_login(client, user.username, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = post_login(client, user.username, TEST_PASSWORD)  # even the right password now
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed attempts" in text
    assert user.username not in text  # nothing says whether the account exists
    assert "_auth_user_id" not in client.session
    # Another desk (address) is not locked out: staff of a centre share one public address.
    assert post_login(Client(), user.username, TEST_PASSWORD, address="10.0.0.2").status_code == 302
    events = AuditEvent.objects.filter(username=user.username)
    assert events.filter(action="login_failed").count() == 6  # the attempt while locked is refused too
    assert events.filter(action="locked_out").exists()
    assert events.filter(action="login", ip_address="10.0.0.2").exists()


def test_a_failed_login_for_an_unknown_name_is_recorded_with_the_name_typed(client, world):
    post_login(client, "=HYPERLINK(evil)", "x")
    assert AuditEvent.objects.filter(action="login_failed", username="=HYPERLINK(evil)").exists()


# -- two-factor login (django-otp) ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["center_manager"])
def test_a_manager_without_a_device_is_sent_to_set_one_up_before_anything_else(client, world, role):
    force_login_password_only(client, world.user("ANK", role))
    response = client.get(reverse("centers:dashboard", kwargs={"center": "ANK"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("role", ["national_manager", "data_protection_officer"])
def test_national_roles_must_give_a_code_too(client, world, role):
    user = world.user(None, role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    force_login_password_only(client, user)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_a_superuser_must_give_a_code(client, world):
    admin = world.user("ANK", "reception")
    admin.is_superuser = True
    admin.save()
    force_login_password_only(client, admin)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("two_factor_setup"))


def test_reception_needs_no_second_factor(client, world):
    force_login_password_only(client, world.user("ANK", "reception"))
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200


def test_setting_up_the_app_confirms_it_gives_recovery_codes_and_lets_the_manager_in(client, world):
    manager = world.user("ANK", "center_manager")
    force_login_password_only(client, manager)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=manager, confirmed=False)

    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # django-otp pauses 1 s (doubling) after a wrong code; the test does not wait

    response = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/c/ANK/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor", actor=manager).exists()


def test_a_confirmed_app_cannot_be_replaced_without_a_code(client, world):
    manager = world.user("ANK", "center_manager")
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    force_login_password_only(client, manager)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_the_code_step_accepts_the_app_and_each_recovery_code_once(client, world):
    manager = world.user("ANK", "center_manager")
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    force_login_password_only(client, manager)
    verify = reverse("two_factor_verify") + "?next=/c/ANK/"

    response = client.post(verify, {"code": "123456"})
    assert "That code is not right" in response.content.decode()
    assert AuditEvent.objects.filter(action="two_factor_failed", actor=manager).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp pauses 1 s (doubling) after a wrong code; the test does not wait

    response = client.post(verify, {"code": code_for(device), "next": "/c/ANK/"})
    assert response["Location"] == "/c/ANK/"

    # A recovery code, on another login, works once.
    client.post(reverse("logout"))
    from accounts.two_factor import _new_recovery_codes

    code = _new_recovery_codes(manager)[0]
    force_login_password_only(client, manager)
    assert client.post(verify, {"code": code, "next": "/c/ANK/"})["Location"] == "/c/ANK/"
    assert not StaticToken.objects.filter(token=code).exists()
    client.post(reverse("logout"))
    force_login_password_only(client, manager)
    assert client.post(verify, {"code": code}).status_code == 200  # refused the second time


def test_the_next_address_after_the_code_stays_on_this_site(client, world):
    manager = world.user("ANK", "center_manager")
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    force_login_password_only(client, manager)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "home" or response["Location"] == reverse("home")


def test_new_recovery_codes_need_a_verified_session(client, world):
    manager = world.user("ANK", "center_manager")
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    force_login_password_only(client, manager)
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 302 and not StaticToken.objects.exists()
    client.force_login(manager)  # with the second factor
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 200 and StaticToken.objects.count() == 10


def test_a_password_set_by_an_administrator_does_not_skip_the_second_factor(world):
    manager = world.user("ANK", "center_manager")
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    manager.set_password("a-brand-new-passphrase-2026")
    manager.save()
    client = Client()
    response = post_login(client, manager.username, "a-brand-new-passphrase-2026")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("two_factor_verify"))


# -- sessions -----------------------------------------------------------------------------------------------


def test_a_session_ends_twelve_hours_after_login_however_active(world):
    client = Client()
    start = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert post_login(client, world.user("ANK", "reception").username, TEST_PASSWORD).status_code == 302
        for _ in range(24):  # busy all day: a request every 29 minutes, never idle for 30
            clock.shift(dt.timedelta(minutes=29))
            assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200
        clock.shift(dt.timedelta(minutes=25))  # 12 h 01 min after login
        response = client.get(reverse("centers:dashboard", kwargs={"center": "ANK"}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_changing_the_password_ends_the_other_sessions(world):
    user = world.user("ANK", "reception")
    desk, phone = Client(), Client()
    for c in (desk, phone):
        assert post_login(c, user.username, TEST_PASSWORD).status_code == 302
    response = desk.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302
    assert desk.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200
    assert phone.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 302


def test_deactivating_an_account_ends_its_sessions(client, world):
    user = world.user("ANK", "reception")
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(reverse("centers:dashboard", kwargs={"center": "ANK"}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(
        action="access_change", object_id=str(user.pk), detail__fields=["is_active"]
    ).exists()


# -- headers ------------------------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_are_never_cached(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    response = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "no-store" in response["Cache-Control"]


def test_no_template_has_inline_script_or_style(settings):
    from pathlib import Path

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or re.search(r"\son[a-z]+=\"", text)
        ):
            offenders.append(path.name)
    assert offenders == []  # the CSP would block them
