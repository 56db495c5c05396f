"""Messaging tests send through memory (messaging.backends.locmem), never a file or a provider."""

import pytest

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.tests.factories import BeneficiaryFactory
from messaging.backends import locmem
from messaging.models import ContactPreference


@pytest.fixture(autouse=True)
def memory_backend(settings):
    settings.SMS_BACKEND = "messaging.backends.locmem.MemoryBackend"
    settings.SMS_QUIET_START, settings.SMS_QUIET_END = 21, 8
    settings.SMS_DAILY_CAP = 3
    settings.SMS_PRICE_USD = "0.05"
    locmem.reset()
    yield locmem
    locmem.reset()


@pytest.fixture
def reachable(world):
    """make(center_code, **fields): a person of that centre who agreed to messages, with a Turkish mobile."""

    def make(code="ANK", *, language="en", channel="sms", phone="+905321234567", **fields):
        person = BeneficiaryFactory(
            center=world.centers[code], registered_by=world.user(code, "reception"), phone=phone, **fields
        )
        Consent.objects.create(
            beneficiary=person, scope=CONTACT_SCOPE, given=True, recorded_by=world.user(code, "reception")
        )
        ContactPreference.objects.create(beneficiary=person, channel=channel, language=language)
        return person

    return make
