from django.db import migrations

PARTNERS = [
    ("Ministry of National Education", "ministry", "School enrolment, Turkish language support, adult education (Public Education Centres)"),
    ("Ministry of Health", "ministry", "Migrant health centres, vaccination, mental health services, maternal care"),
    ("Ministry of Family and Social Services", "ministry", "Social assistance, child protection, services for older people and people with disabilities"),
    ("Presidency of Migration Management", "ministry", "Registration, identity documents, address updates, international protection procedures"),
    ("Municipality social services", "municipality", "In-kind aid, social markets, community centres of the municipality"),
    ("Turkish Employment Agency (İŞKUR)", "ministry", "Job placement, vocational courses, work permits guidance"),
    ("UNHCR", "un_agency", "Protection counselling, resettlement, legal aid referrals"),
    ("UNICEF", "un_agency", "Child protection, education support, conditional cash transfer for education"),
    ("IOM", "un_agency", "Migrant assistance, health and psychosocial support, livelihoods"),
    ("Legal aid NGO", "ngo", "Legal counselling and representation"),
]


def create(apps, schema_editor):
    Partner = apps.get_model("cases", "Partner")
    for name, kind, services in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind, "services": services})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
