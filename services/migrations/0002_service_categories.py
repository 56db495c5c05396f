from django.db import migrations

CODES = ["A", "B", "C", "D", "E", "F"]


def create_categories(apps, schema_editor):
    ServiceCategory = apps.get_model("services", "ServiceCategory")
    for code in CODES:
        ServiceCategory.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
