"""Reading uploads: what upload_check refuses before anything parses it, and where read_table stops."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import spreadsheets
from core.spreadsheets import read_table, upload_check
from core.tests import xlsx

ROWS = [["month", "amount"], ["2026-10", 8000], [dt.datetime(2026, 11, 1), 12.5]]


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Fails the test if openpyxl is asked to parse the workbook."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a file upload_check should have refused")

    monkeypatch.setattr(spreadsheets, "load_workbook", refuse)


def code_of(upload) -> str:
    with pytest.raises(ValidationError) as refused:
        upload_check(upload)
    return refused.value.code


def test_it_reads_an_xlsx_and_a_csv_as_text():
    assert read_table(xlsx.upload(xlsx.xlsx_bytes(ROWS))) == [
        ["month", "amount"],
        ["2026-10", "8000"],
        ["2026-11-01", "12.5"],
    ]
    csv = SimpleUploadedFile("x.csv", b"month;amount\n\n2026-10;8000\n")
    assert read_table(csv) == [["month", "amount"], ["2026-10", "8000"]]


def test_a_zip_bomb_is_refused_from_the_sizes_its_zip_declares(openpyxl_never_opens):
    bomb = xlsx.zip_bomb(megabytes=120)
    assert len(bomb) < 200 * 1024  # small as sent, 120 MB unpacked
    assert code_of(xlsx.upload(bomb)) == "unpacked_size"


def test_a_sheet_larger_than_the_cap_is_refused_before_parsing(settings, openpyxl_never_opens):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    assert code_of(xlsx.upload(xlsx.zip_bomb(megabytes=2))) == "unpacked_size"


def test_a_dtd_with_entities_is_refused_before_parsing(openpyxl_never_opens):
    assert code_of(xlsx.upload(xlsx.with_entities(ROWS))) == "dtd"


def test_malformed_xml_is_refused_before_openpyxl_opens_it(openpyxl_never_opens):
    assert code_of(xlsx.upload(xlsx.with_malformed_xml(ROWS))) == "malformed"


def test_the_reader_itself_refuses_them_too_never_a_500():
    # read_table checks again: a caller that skipped the form's check still gets a form error.
    for data in (xlsx.with_entities(ROWS), xlsx.with_malformed_xml(ROWS), xlsx.zip_bomb(megabytes=60)):
        with pytest.raises(ValidationError):
            read_table(xlsx.upload(data))


def test_a_zip_that_understates_a_part_fails_to_unpack(settings):
    # zipfile stops at the size a part declares (Bad CRC): the declared sizes are the ones to check.
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    big = xlsx.rewritten(
        xlsx.xlsx_bytes(ROWS),
        xlsx.SHEET,
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 2**21),
    )
    assert code_of(xlsx.upload(big)) == "unpacked_size"
    assert code_of(xlsx.upload(xlsx.understated(big, xlsx.SHEET, size=1000))) == "unreadable"


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_no_xlsx_is_unreadable(data):
    assert code_of(SimpleUploadedFile("x.xlsx", data)) == "unreadable"


def test_reading_stops_once_the_row_cap_is_passed(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 10
    cells = []
    real = spreadsheets._text
    monkeypatch.setattr(spreadsheets, "_text", lambda value: cells.append(value) or real(value))
    big = xlsx.xlsx_bytes([["month", "amount"], *[["2026-10", n] for n in range(2000)]])
    with pytest.raises(ValidationError, match="Import 10 rows at most at a time."):
        read_table(xlsx.upload(big))
    assert len(cells) == 2 * 12  # the header and 11 rows read, not 2000
    text = "month,amount\n" + "2026-10,1\n" * 2000
    with pytest.raises(ValidationError, match="Import 10 rows at most at a time."):
        read_table(SimpleUploadedFile("x.csv", text.encode()))
    # A tighter cap of the caller wins; the setting is the ceiling.
    with pytest.raises(ValidationError, match="Import 5 rows at most at a time."):
        read_table(SimpleUploadedFile("x.csv", text.encode()), max_rows=5)


def test_a_sheet_that_claims_every_row_and_column_is_read_as_what_it_holds():
    # openpyxl pads rows to the size a sheet declares: A1:XFD1048576 would be 17 billion empty cells.
    forged = xlsx.rewritten(
        xlsx.xlsx_bytes(ROWS),
        xlsx.SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(forged)).read(xlsx.SHEET)
    assert len(read_table(xlsx.upload(forged))) == 3


def test_rows_numbered_beyond_what_excel_allows_are_refused():
    forged = xlsx.rewritten(
        xlsx.xlsx_bytes(ROWS), xlsx.SHEET, lambda xml: xml.replace(b'<row r="3"', b'<row r="2000000"')
    )
    with pytest.raises(ValidationError, match="could not be read"):
        read_table(xlsx.upload(forged))
