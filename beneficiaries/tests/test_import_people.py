"""The people import's dry run, decisions and import (beneficiaries.importing), run in-process."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from beneficiaries.importing import services
from beneficiaries.importing.columns import guess_mapping, template_workbook
from beneficiaries.importing.models import ImportMapping, ImportRow, PeopleImport
from beneficiaries.models import Beneficiary, Consent
from beneficiaries.tests.factories import BeneficiaryFactory, foreigner_id
from core.forms import SpreadsheetField

HEADER = [
    "first_name",
    "last_name",
    "first_name_original",
    "last_name_original",
    "sex",
    "birth_year",
    "nationality",
    "population_group",
    "household_id",
    "relationship_to_head",
    "document_number",
    "document_type",
    "consent_photo",
]


def row(
    first,
    last="",
    *,
    original=("", ""),
    sex="male",
    year="1990",
    household="",
    relationship="",
    doc="",
    photo="",
):
    return [
        first,
        last,
        *original,
        sex,
        year,
        "SY",
        "temporary_protection",
        household,
        relationship,
        doc,
        "foreigner_id" if doc else "",
        photo,
    ]


def csv_file(rows, header=HEADER, name="people.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def upload(world, rows, **kwargs):
    """Upload, choose the guessed columns and run the dry run: the job with its rows classified."""
    file = csv_file(rows, **kwargs)
    SpreadsheetField().clean(file)
    job = services.people_import_start(
        center=world.centers["ANK"], by=world.user("ANK", "center_manager"), upload=file, kind="csv"
    )
    job = services.people_import_map(job=job, mapping=job.mapping)
    return services.people_import_check_run(job=job)


def kinds(job):
    return dict(ImportRow.objects.filter(job=job).values_list("number", "kind"))


def run_import(job):
    services.people_import_request(job=job)
    return services.people_import_run(job=PeopleImport.objects.get(pk=job.pk))


@pytest.fixture
def known(world):
    return BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Mohammed", last_name="Al-Masri", birth_year=1990
    )


def test_the_dry_run_classifies_each_row(world, known):
    job = upload(
        world,
        [
            row("Yusuf", "Kaya", year="1985"),  # 2: new
            row("Xx", original=("محمد", "المصري")),  # 3: the Latin record, found by its Arabic-script names
            row("Yusuf", "Kaya", year="1985"),  # 4: row 2 again
            row("", "Nameless", sex="other", year="2100"),  # 5: three errors
        ],
    )
    assert job.status == "checked"
    assert kinds(job) == {2: "new", 3: "existing", 4: "in_file", 5: "error"}
    existing = ImportRow.objects.get(job=job, number=3)
    assert existing.candidate["pk"] == known.pk and existing.decision == "same"
    assert ImportRow.objects.get(job=job, number=4).same_as_row == 2
    errors = ImportRow.objects.get(job=job, number=5).errors
    assert len(errors) == 3, errors
    assert any("Given name" in e for e in errors) and any("Sex" in e for e in errors)
    assert any("future" in e for e in errors)
    assert job.counts == {"new": 1, "existing": 1, "possible": 0, "in_file": 1, "error": 1, "before": 0}
    assert not job.file  # the file is deleted once read


def test_a_possible_duplicate_waits_for_the_managers_decision(world, known):
    job = upload(world, [row("Mohammed", "Al-Masri", year="1992"), row("Omar", "Demir")])
    assert kinds(job)[2] == "possible"
    with pytest.raises(ValidationError):
        services.people_import_request(job=job)
    possible = ImportRow.objects.get(job=job, number=2)
    services.people_import_decide(job=job, decisions={possible.pk: "new"})
    job = run_import(job)
    assert job.status == "done" and job.counts["created"] == 2
    assert Beneficiary.objects.filter(last_name="Al-Masri").count() == 2


def test_import_registers_people_with_numbers_households_and_consents(world):
    job = upload(
        world,
        [
            row(
                "Ali",
                "Yilmaz",
                year="1980",
                household="H1",
                relationship="head",
                doc=foreigner_id(11),
                photo="yes",
            ),
            row("Ayse", "Yilmaz", sex="female", year="1982", household="H1", relationship="spouse"),
            row(
                "Zeynep", "Yilmaz", sex="female", year="2015", household="H1", relationship="Son or daughter"
            ),
            row("Samir", "Haddad", year="1975"),
        ],
    )
    assert set(kinds(job).values()) == {"new"}
    job = run_import(job)
    assert job.counts["created"] == 4 and job.counts["households"] == 1
    head = Beneficiary.objects.get(first_name="Ali")
    members = Beneficiary.objects.filter(household=head.household).order_by("birth_year")
    assert [m.relationship_to_head for m in members] == ["head", "spouse", "child"]
    assert head.registration_number.startswith("ANK-") and head.registered_center_id == head.center_id
    assert Consent.objects.get(beneficiary=head, scope="photo").given
    assert not Beneficiary.objects.get(first_name="Samir").household_id
    numbers = sorted(
        Beneficiary.objects.filter(last_name__in=["Yilmaz", "Haddad"]).values_list(
            "registration_number", flat=True
        )
    )
    assert len(set(numbers)) == 4
    # Taken from the centre's sequence in one go for the batch: consecutive, no gap, no number twice.
    tails = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert tails == list(range(tails[0], tails[0] + 4))
    # One audit event for the whole file, with the counts.
    events = AuditEvent.objects.filter(object_type="beneficiaries.peopleimport", object_id=str(job.pk))
    assert events.count() == 1 and events.get().detail["created"] == 4
    assert not AuditEvent.objects.filter(
        object_type="beneficiaries.beneficiary", object_id=str(head.pk)
    ).exists()
    # The cells were kept for the decisions only.
    assert not ImportRow.objects.filter(job=job).exclude(values={}).exists()


def test_a_household_without_its_head_is_an_error_on_each_row(world):
    job = upload(world, [row("Ayse", "Kara", sex="female", household="H9", relationship="spouse")])
    assert kinds(job) == {2: "error"}
    assert any("no head" in e for e in ImportRow.objects.get(job=job).errors)


def test_the_same_file_imported_again_creates_nobody(world):
    rows = [row("Hamza", "Aydin", year="1999"), row("Rania", "Aydin", sex="female", year="2001")]
    run_import(upload(world, rows))
    count = Beneficiary.objects.count()
    again = upload(world, rows)
    assert set(kinds(again).values()) == {"before"}
    job = run_import(again)
    assert job.counts["created"] == 0 and job.counts["imported_before"] == 2
    assert Beneficiary.objects.count() == count


def test_the_import_resumes_and_a_second_delivery_creates_nobody(world, monkeypatch):
    monkeypatch.setattr(services, "BATCH_ROWS", 1)
    job = upload(world, [row("Reza", "Karimi"), row("Javad", "Karimi", year="1991")])
    services.people_import_request(job=job)
    first = ImportRow.objects.get(job=job, number=2)
    services._import_batch(job=job, by=job.requested_by, rows=[first])  # the worker died after one batch
    job = services.people_import_run(job=PeopleImport.objects.get(pk=job.pk))
    assert job.status == "done" and job.counts["created"] == 2
    assert services.people_import_run(job=job).counts["created"] == 2
    assert Beneficiary.objects.filter(last_name="Karimi").count() == 2


def test_the_columns_chosen_are_remembered_for_the_same_header(world):
    header = ["group_a/given_name", "group_a/gender", "byear", "nat", "pop", "meta/instanceID"]
    file = csv_file([["Ali", "male", "1990", "SY", "temporary_protection", "uuid:1"]], header=header)
    job = services.people_import_start(
        center=world.centers["ANK"], by=world.user("ANK", "center_manager"), upload=file, kind="csv"
    )
    assert job.mapping == {"first_name": 0, "sex": 1}  # the XML path's last part names the column
    chosen = {**job.mapping, "birth_year": 2, "nationality": 3, "population_group": 4}
    services.people_import_map(job=job, mapping=chosen)
    assert ImportMapping.objects.get(layout=job.layout).mapping == chosen
    file = csv_file([["Omar", "male", "1991", "SY", "temporary_protection", "uuid:2"]], header=header)
    again = services.people_import_start(
        center=world.centers["ANK"], by=world.user("ANK", "center_manager"), upload=file, kind="csv"
    )
    assert again.mapping == chosen


def test_a_column_is_recognised_by_its_label_in_any_language():
    assert guess_mapping(["Ad", "Soyad", "meta/instanceID"]) == {"first_name": 0, "last_name": 1}
    assert guess_mapping(["Given name (Latin script)", "Sex"]) == {"first_name": 0, "sex": 1}


def test_the_template_has_its_headers_in_the_page_language(settings):
    from django.utils import translation
    from openpyxl import load_workbook

    with translation.override("en"):
        book = load_workbook(io.BytesIO(template_workbook()))
    headers = [c.value for c in next(book.active.iter_rows(max_row=1))]
    assert headers[0] == "Given name (Latin script)"
    assert guess_mapping(headers)["first_name"] == 0


def test_a_compressed_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (60 * 1024 * 1024) + "</a>")
    file = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    assert file.size < 200_000
    with pytest.raises(ValidationError) as refused:
        SpreadsheetField().clean(file)
    assert "unpacks to more than" in refused.value.messages[0]


def test_more_rows_than_the_cap_refuse_the_file(world, settings):
    settings.IMPORT_MAX_ROWS = 3
    job = upload(world, [row(f"Name{i}", "Kaya") for i in range(4)])
    assert job.status == "refused" and "3 rows at most" in job.problems[0]
    assert not ImportRow.objects.filter(job=job).exists()


def test_the_command_runs_a_dry_run_then_imports(world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row("Nabil", "Saleh", year="1970"), row("", "Saleh")]).read())
    out = io.StringIO()
    call_command("import_people", str(path), "--center", "ANK", "--dry-run", stdout=out)
    assert "New person: 1" in out.getvalue() and "Error: 1" in out.getvalue()
    assert "Given name (Latin script): This field is required." in out.getvalue()
    assert not Beneficiary.objects.filter(last_name="Saleh").exists()
    call_command("import_people", str(path), "--center", "ANK", stdout=out)
    assert Beneficiary.objects.filter(last_name="Saleh").count() == 1
    call_command("import_people", str(path), "--center", "ANK", stdout=(again := io.StringIO()))
    assert "Imported: 0 registered" in again.getvalue()
    assert Beneficiary.objects.filter(last_name="Saleh").count() == 1
