import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.tests import xlsx
from finance.models import CostEntry, CostImport, FundingSource
from finance.services import cost_import_run
from finance.tasks import import_costs

HEADER = [["month", "type", "amount", "currency", "funding_source"]]


@pytest.fixture
def manager(client, world):
    FundingSource.objects.create(
        name="Appeal",
        donor="IFRC",
        currency="USD",
        amount=Decimal(1000),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    client.force_login(world.user("ANK", "center_manager"))
    return client


def url(name):
    return reverse(f"finance:{name}", kwargs={"center": "ANK"})


def job_url(job):
    return reverse("finance:costs_import_job", kwargs={"center": "ANK", "pk": job.pk})


def upload(text, name="costs.csv"):
    return {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}


def test_a_manager_records_a_cost_for_a_month(manager):
    source = FundingSource.objects.get()
    response = manager.post(
        url("costs"),
        {
            "month": "2026-10",
            "type": "rent",
            "amount": "8000",
            "currency": "TRY",
            "funding_source": source.pk,
        },
    )
    assert response.status_code == 302
    assert CostEntry.objects.get().month == dt.date(2026, 10, 1)


@pytest.fixture
def send(manager, celery_eager, django_capture_on_commit_callbacks):
    """Post a file to the import page, let the task run (in the test's process), follow to where it leads."""

    def post(file):
        with django_capture_on_commit_callbacks(execute=True):
            response = manager.post(url("costs_import"), {"file": file})
        if response.status_code != 302:
            return response
        page = manager.get(response["Location"])
        page.redirect_chain = [(response["Location"], 302)]
        return page

    return post


def test_import_saves_every_row(send):
    text = 'month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n2026-10,staff,"1500,50",USD,appeal\n'
    page = send(upload(text)["file"])
    assert CostEntry.objects.count() == 2 and CostEntry.objects.get(type="staff").amount == Decimal("1500.50")
    job = CostImport.objects.get()
    assert page.redirect_chain == [(job_url(job), 302)]
    assert (job.status, job.progress, job.imported, job.requested_by.username) == (
        "done",
        100,
        2,
        "ank_center_manager",
    )
    assert "2 costs imported." in page.text and "refresh" not in page.text


def test_import_with_one_wrong_row_saves_nothing_and_names_each_wrong_row(send):
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n2026-13,rent,1,TRY,Appeal\n2026-10,renta,1,TRY,Appeal\n2026-10,rent,abc,TRY,Appeal\n2026-10,rent,5,TRY,Nobody\n"
    page = send(upload(text)["file"]).text
    assert not CostEntry.objects.exists()
    assert CostImport.objects.get().status == "refused"
    assert "Nothing was saved: 4 problems to fix in the file." in page
    for row in (3, 4, 5, 6):
        assert f"Row {row}:" in page


def test_import_reads_xlsx_and_refuses_other_files_on_the_form(send, manager):
    book = Workbook()
    book.active.append(["month", "type", "amount", "currency", "funding_source"])
    book.active.append(["2026-09", "utilities", 1200, "TRY", "Appeal"])
    data = io.BytesIO()
    book.save(data)
    send(SimpleUploadedFile("costs.xlsx", data.getvalue()))
    assert CostEntry.objects.get().type == "utilities"
    page = manager.post(url("costs_import"), {"file": SimpleUploadedFile("costs.exe", b"MZ")})
    assert page.status_code == 200 and "Upload a .csv or .xlsx file." in page.text
    page = manager.post(url("costs_import"), {"file": SimpleUploadedFile("costs.xlsx", b"not a zip")})
    assert "could not be read" in page.text
    assert CostImport.objects.count() == 1  # refused files are neither stored nor queued


def test_import_checks_size_and_content_not_the_name(manager, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.csv", b"month,type\n" + b"x" * 2000)}
    ).content.decode()
    assert "larger than" in page
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.csv", b"\x7fELF\x00\x00binary")}
    ).content.decode()
    assert "neither a CSV nor an XLSX" in page
    assert not CostEntry.objects.exists() and not CostImport.objects.exists()


def test_a_csv_the_csv_module_cannot_split_is_a_form_error(manager):
    # Found by fuzzing: a lone carriage return used to raise csv.Error (a 500).
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.csv", b"\r\x01")}
    ).content.decode()
    assert "could not be read" in page
    assert not CostEntry.objects.exists() and not CostImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: xlsx.zip_bomb(megabytes=120), "unpacks to more than 50 MB"),
        (lambda: xlsx.with_entities(HEADER), "document type declaration"),
        (lambda: xlsx.with_malformed_xml(HEADER), "not well-formed XML"),
    ],
    ids=["zip-bomb", "dtd-entities", "malformed-xml"],
)
def test_a_hostile_or_damaged_xlsx_is_a_form_error_before_anything_parses_it(
    manager, monkeypatch, data, message
):
    monkeypatch.setattr("core.spreadsheets.load_workbook", lambda *a, **k: pytest.fail("openpyxl opened it"))
    page = manager.post(url("costs_import"), {"file": xlsx.upload(data())})
    assert page.status_code == 200 and message in page.text
    assert not CostImport.objects.exists() and not CostEntry.objects.exists()


def test_a_file_over_the_row_cap_is_refused_and_says_so(send, settings):
    settings.IMPORT_MAX_ROWS = 3
    text = "month,type,amount,currency,funding_source\n" + "2026-10,rent,1,TRY,Appeal\n" * 4
    page = send(upload(text)["file"]).text
    assert "Import 3 rows at most at a time." in page
    assert CostImport.objects.get().status == "refused" and not CostEntry.objects.exists()


def test_the_upload_waits_privately_and_is_deleted_when_the_import_ends(manager, send, settings):
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n"
    manager.post(url("costs_import"), upload(text))  # the task is queued after the commit: not run here
    job = CostImport.objects.get()
    assert job.status == "queued" and job.filename == "costs.csv"
    assert job.file.name.startswith("imports/finance/") and "costs" not in job.file.name
    assert default_storage.exists(job.file.name)
    assert job.file.name not in manager.get(job_url(job)).text  # the stored file has no address
    stored = job.file.name
    import_costs(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and not job.file and not default_storage.exists(stored)


def test_the_page_refreshes_itself_while_the_import_runs(manager):
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n"
    manager.post(url("costs_import"), upload(text))
    job = CostImport.objects.get()
    page = manager.get(job_url(job)).text
    assert 'http-equiv="refresh"' in page and "Queued" in page and 'value="0"' in page
    CostImport.objects.filter(pk=job.pk).update(status="running", progress=45)
    page = manager.get(job_url(job)).text
    assert 'http-equiv="refresh"' in page and "Running" in page and 'value="45"' in page
    # The import page lists it, so one can come back to it.
    assert job_url(job) in manager.get(url("costs_import")).text


def test_a_broken_import_shows_a_failed_state_and_saves_nothing(send, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("finance.services.costs_check", broken)
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n"
    page = send(upload(text)["file"]).text
    job = CostImport.objects.get()
    assert job.status == "failed" and "disk on fire" in job.error and not job.file
    assert "could not be finished" in page and "disk on fire" not in page
    assert not CostEntry.objects.exists()


def test_a_task_delivered_twice_imports_once(manager, celery_eager):
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n"
    manager.post(url("costs_import"), upload(text))
    job = CostImport.objects.get()
    # A worker died while reading: the job stays running, nothing was saved, the next delivery imports it.
    CostImport.objects.filter(pk=job.pk).update(status="running", progress=30)
    assert import_costs(job.pk) == "done"
    # Delivered again after it ended (acks_late): nothing more is saved.
    assert import_costs(job.pk) == "done"
    assert cost_import_run(job=CostImport.objects.get(pk=job.pk)).imported == 1
    assert CostEntry.objects.count() == 1


def test_an_import_of_another_centre_answers_404(client, world, manager, assert_other_center_gets_404):
    job = CostImport.objects.create(
        center=world.centers["ANK"],
        requested_by=world.user("ANK", "center_manager"),
        filename="costs.csv",
        language="en",
    )
    assert manager.get(job_url(job)).status_code == 200
    assert_other_center_gets_404(
        world.user("IST", "center_manager"), "finance:costs_import_job", center="ANK", pk=job.pk
    )
    # Under the manager's own prefix too: the id of another centre's import finds nothing.
    client.force_login(world.user("IST", "center_manager"))
    other = reverse("finance:costs_import_job", kwargs={"center": "IST", "pk": job.pk})
    assert client.get(other).status_code == 404


def test_costs_are_the_managers_alone(client, world, assert_other_center_gets_404):
    client.force_login(world.user("ANK", "social_worker"))
    assert client.get(url("costs")).status_code == 403
    assert_other_center_gets_404(world.user("IST", "center_manager"), "finance:costs", center="ANK")
    assert_other_center_gets_404(world.user("IST", "center_manager"), "finance:costs_import", center="ANK")
