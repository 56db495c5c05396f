import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from finance.models import CostEntry, FundingSource


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


def test_import_saves_every_row(manager):
    text = 'month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n2026-10,staff,"1500,50",USD,appeal\n'
    manager.post(url("costs_import"), upload(text))
    assert CostEntry.objects.count() == 2 and CostEntry.objects.get(type="staff").amount == Decimal("1500.50")


def test_import_with_one_wrong_row_saves_nothing_and_names_each_wrong_row(manager):
    text = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n2026-13,rent,1,TRY,Appeal\n2026-10,renta,1,TRY,Appeal\n2026-10,rent,abc,TRY,Appeal\n2026-10,rent,5,TRY,Nobody\n"
    page = manager.post(url("costs_import"), upload(text)).content.decode()
    assert not CostEntry.objects.exists()
    for row in (3, 4, 5, 6):
        assert f"Row {row}:" in page


def test_import_reads_xlsx_and_refuses_other_files(manager):
    book = Workbook()
    book.active.append(["month", "type", "amount", "currency", "funding_source"])
    book.active.append(["2026-09", "utilities", 1200, "TRY", "Appeal"])
    data = io.BytesIO()
    book.save(data)
    manager.post(url("costs_import"), {"file": SimpleUploadedFile("costs.xlsx", data.getvalue())})
    assert CostEntry.objects.get().type == "utilities"
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.exe", b"MZ")}
    ).content.decode()
    assert "Upload a .csv or .xlsx file." in page
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.xlsx", b"not a zip")}
    ).content.decode()
    assert "could not be read" in page


def test_costs_are_the_managers_alone(client, world, assert_other_center_gets_404):
    client.force_login(world.user("ANK", "social_worker"))
    assert client.get(url("costs")).status_code == 403
    assert_other_center_gets_404(world.user("IST", "center_manager"), "finance:costs", center="ANK")
    assert_other_center_gets_404(world.user("IST", "center_manager"), "finance:costs_import", center="ANK")


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
    assert not CostEntry.objects.exists()


def test_a_csv_the_csv_module_cannot_split_is_a_form_error(manager):
    # Found by fuzzing: a lone carriage return used to raise csv.Error (a 500).
    page = manager.post(
        url("costs_import"), {"file": SimpleUploadedFile("costs.csv", b"\r\x01")}
    ).content.decode()
    assert "could not be read" in page
    assert not CostEntry.objects.exists()
