"""The people import's pages: who may use them, the flow through the browser's requests, their queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.importing.models import ImportRow, PeopleImport
from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from beneficiaries.tests.test_import_people import csv_file, row
from demo.bench import MALE


def url(name, **kwargs):
    return reverse(f"beneficiaries:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def manager(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    return client


def _checked(manager, rows, django_capture_on_commit_callbacks):
    response = manager.post(url("import"), {"file": csv_file(rows)})
    job = PeopleImport.objects.get()
    assert response.url == url("import_columns", pk=job.pk)
    page = manager.get(response.url)
    assert page.status_code == 200 and b"Given name (Latin script)" in page.content
    data = {code: str(index) for code, index in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("import_columns", pk=job.pk), data)
    assert response.url == url("import_job", pk=job.pk)
    job.refresh_from_db()
    assert job.status == "checked"
    return job


def test_a_manager_uploads_maps_decides_and_imports(
    manager, world, celery_eager, django_capture_on_commit_callbacks
):
    BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Mohammed", last_name="Al-Masri", birth_year=1990
    )
    job = _checked(
        manager,
        [row("Mohammed", "Al-Masri", year="1992"), row("Bilal", "Sabri", year="1970")],
        django_capture_on_commit_callbacks,
    )
    page = manager.get(url("import_job", pk=job.pk))
    assert page.context["shown"] == "possible" and page.context["undecided"] == 1
    possible = ImportRow.objects.get(job=job, kind="possible")
    # Importing before deciding is refused, with the reason.
    response = manager.post(
        url("import_job", pk=job.pk) + "?show=possible", {"action": "import"}, follow=True
    )
    assert "Decide on every possible duplicate first." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            url("import_job", pk=job.pk) + "?show=possible",
            {f"row-{possible.pk}": "skip", "action": "import"},
        )
    job.refresh_from_db()
    assert job.status == "done" and job.counts["created"] == 1 and job.counts["skipped"] == 1
    assert Beneficiary.objects.filter(first_name="Bilal").exists()
    assert "1 person registered." in manager.get(url("import_job", pk=job.pk)).content.decode()


def test_a_mapping_without_a_required_column_is_a_form_error(manager, world):
    manager.post(
        url("import"),
        {
            "file": csv_file(
                [row("Ali")], header=["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"]
            )
        },
    )
    job = PeopleImport.objects.get()
    response = manager.post(url("import_columns", pk=job.pk), {"first_name": "0", "sex": "0"})
    assert response.status_code == 200
    assert "This column is already chosen" in response.content.decode()
    assert "Choose the column that holds this." in response.content.decode()
    assert PeopleImport.objects.get().status == "mapping"


def test_a_file_of_another_kind_is_refused_on_the_form(manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = manager.post(url("import"), {"file": SimpleUploadedFile("x.exe", b"MZ\x00\x00")})
    assert response.status_code == 200 and "Upload a .csv or .xlsx file." in response.content.decode()
    assert not PeopleImport.objects.exists()


def test_another_centres_import_answers_404(world, assert_other_center_gets_404):
    job = PeopleImport.objects.create(
        center=world.centers["ANK"],
        requested_by=world.user("ANK", "center_manager"),
        filename="p.csv",
        language="en",
    )
    for name in ("beneficiaries:import_job", "beneficiaries:import_columns"):
        assert_other_center_gets_404(world.user("IST", "center_manager"), name, center="ANK", pk=job.pk)
    # Under the manager's own centre, the id of another centre's import finds nothing either.
    from django.test import Client

    other = Client()
    other.force_login(world.user("IST", "center_manager"))
    response = other.get(reverse("beneficiaries:import_job", kwargs={"center": "IST", "pk": job.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["reception", "social_worker", "psychologist", "trainer"])
def test_roles_other_than_the_manager_may_not_import(client, world, role):
    client.force_login(world.user("ANK", role))
    assert client.get(url("import")).status_code == 403
    assert client.get(url("import_template")).status_code == 403


def test_the_template_is_an_xlsx_with_the_pages_headers(manager):
    response = manager.get(url("import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.active["A1"].value == "Given name (Latin script)"


def test_the_dry_run_page_reads_a_constant_number_of_queries(
    manager, world, celery_eager, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    job = _checked(
        manager,
        [row(name, f"Family{i}", year=str(1950 + i)) for i, name in enumerate(MALE)],
        django_capture_on_commit_callbacks,
    )
    # session, user, two-factor device, the role here, the centre (centre scope); the job; the page's count
    # and its rows; the possible duplicates still undecided; navigation (national roles, the user's centres);
    # the session saved; and room for the start-page lookups: the same for 30 rows or 100 a page.
    with django_assert_max_num_queries(14):
        response = manager.get(url("import_job", pk=job.pk) + "?show=new")
    assert response.status_code == 200 and len(response.context["rows"]) == 30
