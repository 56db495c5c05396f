"""Records saved under the earlier key rules are found once the migration has recomputed their keys."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.names import name_key
from beneficiaries.selectors import duplicate_candidates
from beneficiaries.tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("beneficiaries.migrations.0002_recompute_name_keys")

# What the rules before issue 16 stored for Chadi Alkhatib (French ch was read as Turkish ç).
OLD_KEYS = {"first_name_key": "jdi", "last_name_key": "alhdb"}


def test_stale_keys_are_recomputed_and_the_record_is_found_again():
    person = BeneficiaryFactory(first_name="Chadi", last_name="Alkhatib")
    Beneficiary.objects.filter(pk=person.pk).update(**OLD_KEYS)
    typed = {"first_name": "Shadi", "last_name": "Khatib", "birth_year": person.birth_year, "sex": "male"}
    assert duplicate_candidates(person=typed, user_center_ids=set()) == []

    migration.recompute_name_keys(apps, None)

    person.refresh_from_db()
    assert (person.first_name_key, person.last_name_key) == (name_key("Chadi"), name_key("Alkhatib"))
    assert person.first_name_key == name_key("Shadi")
    assert [c.pk for c in duplicate_candidates(person=typed, user_center_ids=set())] == [person.pk]


def test_anonymised_records_keep_no_keys():
    gone = BeneficiaryFactory(first_name="Anonymised")
    Beneficiary.objects.filter(pk=gone.pk).update(
        first_name_key="", last_name_key="", anonymised_at=timezone.now()
    )
    migration.recompute_name_keys(apps, None)
    gone.refresh_from_db()
    assert (gone.first_name_key, gone.last_name_key) == ("", "")
