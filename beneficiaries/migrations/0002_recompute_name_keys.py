"""Recompute the stored name keys with the current rules of beneficiaries/names.py.

The rules learnt the article glued to a family name, assimilated compounds (Nasreddin), the feminine and
long-vowel endings (-ah, -eh, ة, final alef, Persian ی), French ch and dj, Persian gh for ق and Kurdish x:
records saved before keep keys the duplicate check and the search no longer look for.

This runs the rules of the code it ships with. When the rules change again, add a migration like this one
(running both on a fresh database costs nothing: there are no rows yet).
"""

from django.db import migrations

from beneficiaries import names

BATCH = 2000
KEYS = {
    "first_name_key": "first_name",
    "first_name_key_original": "first_name_original",
    "last_name_key": "last_name",
    "last_name_key_original": "last_name_original",
}


def recompute_name_keys(apps, schema_editor):
    Beneficiary = apps.get_model("beneficiaries", "Beneficiary")
    # Anonymised records keep no keys.
    rows = Beneficiary.objects.filter(anonymised_at__isnull=True).only("pk", *KEYS, *KEYS.values())
    changed = []
    for person in rows.iterator(chunk_size=BATCH):
        before = [getattr(person, key) for key in KEYS]
        for key, name in KEYS.items():
            setattr(person, key, names.name_key(getattr(person, name)))
        if [getattr(person, key) for key in KEYS] != before:
            changed.append(person)
        if len(changed) >= BATCH:
            Beneficiary.objects.bulk_update(changed, list(KEYS))
            changed = []
    Beneficiary.objects.bulk_update(changed, list(KEYS))


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [migrations.RunPython(recompute_name_keys, migrations.RunPython.noop, elidable=True)]
