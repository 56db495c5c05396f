"""Settings, health, sessions and languages: the ground every page stands on."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from centers.tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_health_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "not used")


def test_health_names_the_broker_that_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_login_and_logout(client, world):
    response = client.post(reverse("login"), {"username": "ank_reception", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 302


def test_wrong_password_is_a_generic_error(client, world):
    response = client.post(reverse("login"), {"username": "ank_reception", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_session_ends_after_30_idle_minutes(client, world):
    client.force_login(world.user("ANK", "reception"))
    client.get(reverse("centers:dashboard", kwargs={"center": "ANK"}))
    # Saved on every request, so the 30 minutes restart with each page.
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == 30 * 60


def test_password_change_keeps_this_session(client, world):
    client.force_login(world.user("ANK", "reception"))
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 200


@pytest.mark.parametrize(
    ("language", "direction"), [("en", "ltr"), ("tr", "ltr"), ("fr", "ltr"), ("ar", "rtl")]
)
def test_pages_render_in_each_language(client, world, language, direction):
    client.force_login(world.user("ANK", "center_manager"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("centers:room_list", kwargs={"center": "ANK"})).content.decode()
    assert f'lang="{language}" dir="{direction}"' in page
    assert ("bootstrap.rtl.min.css" in page) == (direction == "rtl")
    with translation.override(language):
        assert str(translation.gettext("Add a room")) in page


@pytest.mark.parametrize("language", ["tr", "ar", "fr"])
def test_catalogue_is_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    # The committed .mo must match the .po, so `make run` needs no gettext.
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in compiled} == {e.msgid: e.msgstr for e in catalogue if not e.obsolete}


def test_static_assets_come_from_the_app_not_a_cdn(client, world, settings):
    # As under `make run` (DEBUG=1): WhiteNoise serves straight from the packages.
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(world.user("ANK", "reception"))
    page = client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).content.decode()
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    assert client.get("/static/bootstrap/css/bootstrap.rtl.min.css").status_code == 200


def _manage(*args, **env):
    # The browser tests allow async-unsafe ORM calls in this process; a
    # deployment never does, so the child does not inherit it.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=300,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "s" * 20,
    "ALLOWED_HOSTS": "toplum.example.org",
}


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_collects_static_files_with_hashed_names(tmp_path):
    result = _manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "bootstrap/css/bootstrap.rtl.min.css" in manifest


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_english_pages_write_dates_day_first_not_us_style(settings):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("en"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }} · {{ d|date:"DATE_FORMAT" }}').render(
            Context({"d": dt.date(2026, 12, 1)})
        )
    assert rendered == "1 Dec 2026 · 1 December 2026"
