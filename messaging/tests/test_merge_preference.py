"""Merging two records of one person keeps how they want to be reached (beneficiary_merged → messaging)."""

from audit.models import AuditEvent
from beneficiaries import services as beneficiary_services
from beneficiaries.tests.factories import BeneficiaryFactory
from messaging.models import ContactPreference


def _merge(world, survivor, other):
    return beneficiary_services.beneficiary_merge(
        survivor=survivor, other=other, by=world.user("ANK", "center_manager")
    )


def _bare(world):
    return BeneficiaryFactory(center=world.centers["ANK"], registered_by=world.user("ANK", "reception"))


def test_the_survivor_without_a_preference_takes_the_merged_records(world, reachable):
    survivor, other = _bare(world), reachable(channel="whatsapp", language="ar")
    _merge(world, survivor, other)
    preference = ContactPreference.objects.get(beneficiary=survivor)
    assert (preference.channel, preference.language) == ("whatsapp", "ar")
    assert not ContactPreference.objects.filter(beneficiary=other).exists()


def test_the_move_is_audited(world, reachable):
    survivor, other = _bare(world), reachable(channel="whatsapp", language="ar")
    preference = ContactPreference.objects.get(beneficiary=other)
    _merge(world, survivor, other)
    assert AuditEvent.objects.filter(
        object_type="messaging.contactpreference", object_id=str(preference.pk), action="update"
    ).exists()


def test_the_survivor_keeps_its_own_preference(world, reachable):
    survivor = reachable(channel="sms", language="tr")
    other = reachable(channel="whatsapp", language="ar", phone="+905329876543")
    _merge(world, survivor, other)
    preference = ContactPreference.objects.get(beneficiary=survivor)
    assert (preference.channel, preference.language) == ("sms", "tr")
    # The merged record keeps its own row: nothing is doubled or lost.
    assert ContactPreference.objects.filter(beneficiary=other).count() == 1


def test_a_merge_without_preferences_creates_none(world):
    survivor, other = _bare(world), _bare(world)
    _merge(world, survivor, other)
    assert not ContactPreference.objects.filter(beneficiary__in=[survivor, other]).exists()
