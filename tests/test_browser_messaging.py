"""A centre manager reminds a course's enrolled people of it and sees the messages delivered, in Arabic and Turkish."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import assert_accessible
from messaging.backends import locmem
from messaging.models import ContactPreference, Message
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def course(world, settings, celery_eager):  # messages are sent in-process, as `make run` sends them
    settings.SMS_BACKEND = "messaging.backends.locmem.MemoryBackend"
    # No quiet hours: the test may run at night, and it is about the broadcast, not the clock.
    settings.SMS_QUIET_START = settings.SMS_QUIET_END = 0
    locmem.reset()
    center, reception = world.centers["ANK"], world.user("ANK", "reception")
    activity = ActivityFactory(center=center, name="Tailoring for beginners", room=world.rooms["ANK"])
    SessionFactory(activity=activity, date=timezone.localdate() + dt.timedelta(days=2))
    for n, (name, original, language) in enumerate((("Amina", "أمينة", "ar"), ("Elif", "", "tr"))):
        person = BeneficiaryFactory(
            center=center, first_name=name, first_name_original=original, phone=f"+90532123450{n}"
        )
        Consent.objects.create(beneficiary=person, scope=CONTACT_SCOPE, given=True, recorded_by=reception)
        ContactPreference.objects.create(beneficiary=person, channel="sms", language=language)
        EnrollmentFactory(activity=activity, beneficiary=person, status="enrolled", by=reception)
    yield activity
    locmem.reset()


@pytest.mark.parametrize("language", ["ar", "tr"])
def test_centre_manager_reminds_a_course_and_sees_the_messages_delivered(
    page, world, course, language, live_server
):
    log_in(page, "ank_center_manager")
    # The two-factor page is driven in English; then the manager works in their language.
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/c/ANK/messages/broadcast/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    assert_accessible(page)

    page.select_option("#id_audience", "activity")
    page.select_option("#id_activity", label=course.name)
    page.select_option("#id_template", "activity_reminder")
    page.locator("main form button[type=submit]").click()

    # The confirm step: how many will receive it, and the text in each of their languages.
    expect(page.get_by_test_id("reach")).to_contain_text("2")
    expect(page.locator("blockquote[lang=ar]")).to_contain_text(course.name)
    expect(page.locator("blockquote[lang=ar]")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    assert not Message.objects.exists()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/c/ANK/messages/$"))
    expect(page.locator("tbody tr[data-status=delivered]")).to_have_count(2)
    expect(page.get_by_test_id("month-count")).to_have_text("2")
    assert_accessible(page)
    bodies = sorted(m.body for m in locmem.outbox)
    assert len(bodies) == 2 and "Elif" in bodies[0] and "أمينة" in bodies[1]
    assert all(course.name in body for body in bodies)
