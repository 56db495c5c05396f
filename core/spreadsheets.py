"""Reading an uploaded spreadsheet (CSV or XLSX) as rows of text, with limits.

Two steps, so that a web worker never parses a big file and no file can crash the reader:

- :func:`upload_check` runs in the upload form, before the file is stored. It looks at the container
  only: size, kind, the first lines of a CSV, and for an XLSX (a ZIP of XML parts) the sizes its ZIP
  declares (a zip bomb or a huge sheet is refused before anything is unpacked; ``zipfile`` never
  unpacks more than a part declares) and whether each XML part is well-formed XML without a document
  type declaration (streamed through expat with no tree built, so entity expansion never happens).
- :func:`read_table` runs in the import's Celery task: it checks again, then reads the rows and stops
  as soon as there are more than the row cap.

Every refusal is a ``ValidationError`` with a translated message, never a 500.
"""

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# An XLSX from Excel, LibreOffice or KoboToolbox has a few dozen parts.
MAX_PARTS = 1000
# Excel's own limit: rows numbered beyond it are padding a forged file asks the reader for.
MAX_SHEET_ROWS = 1_048_576
# Columns read from an XLSX row (KoboToolbox exports have a few dozen); the rest are ignored.
MAX_COLUMNS = 500
CHUNK = 64 * 1024
CSV_LINES_CHECKED = 20

# What openpyxl and the CSV reader raise on a file they cannot read (defusedxml's refusals are ValueErrors).
UNREADABLE = (
    UnicodeDecodeError,
    csv.Error,
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    ParseError,
    expat.ExpatError,
    EOFError,
    NotImplementedError,  # a ZIP compression method zipfile does not know
    KeyError,
    IndexError,
    TypeError,
    ValueError,
)


def import_max_rows() -> int:
    """Rows one import may hold, below its header (setting ``IMPORT_MAX_ROWS``)."""
    return getattr(settings, "IMPORT_MAX_ROWS", 50_000)


def import_max_unpacked_bytes() -> int:
    """What an XLSX may unpack to, all parts together (setting ``IMPORT_MAX_UNPACKED_BYTES``)."""
    return getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


def _unreadable() -> ValidationError:
    return ValidationError(_("The file could not be read as CSV or XLSX."), code="unreadable")


def _kind(upload) -> str:
    """By the name the browser sent, then by content: a CSV is text (an XLSX that is no ZIP fails to open)."""
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if not name.endswith(".csv"):
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="kind")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if b"\x00" in head:
        raise ValidationError(_("This is neither a CSV nor an XLSX file."), code="kind")
    return "csv"


def upload_check(upload) -> str:
    """Refuse a file no import should read, without parsing it; return its kind ("csv" or "xlsx").

    Cheap enough for the request: a CSV is at most ``UPLOAD_MAX_BYTES``, of which the first lines are
    split; an XLSX is unpacked only as a stream through expat, at most ``IMPORT_MAX_UNPACKED_BYTES``."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="size",
        )
    kind = _kind(upload)
    try:
        if kind == "csv":
            _csv_rows(_csv_text(upload), limit=CSV_LINES_CHECKED, cap=None)
        else:
            _xlsx_check(upload)
    except UNREADABLE as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)
    return kind


def _xlsx_check(upload) -> None:
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _unreadable()
        # Declared sizes: zipfile stops (Bad CRC) at a part that unpacks to more than it declares.
        if sum(part.file_size for part in parts) > import_max_unpacked_bytes():
            raise ValidationError(
                _("This spreadsheet unpacks to more than %(mb)d MB. Split it into smaller files.")
                % {"mb": import_max_unpacked_bytes() // (1024 * 1024)},
                code="unpacked_size",
            )
        for part in parts:
            if not part.is_dir() and _is_xml(archive, part):
                _xml_check(archive, part)


def _is_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """The parts openpyxl parses: by name, or by a first byte that is "<" (after a byte-order mark)."""
    if part.filename.lower().endswith((".xml", ".rels", ".vml")):
        return True
    with archive.open(part) as stream:
        head = stream.read(64)
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<")


def _refuse_dtd(name, *args):
    raise DTDForbidden(name, None, None)


def _xml_check(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Well-formed and without a DTD: a stream through expat with no tree built, in constant memory.

    A spreadsheet program never writes a DTD; one is how entity expansion (billion laughs) and external
    entities get in, so it is refused as it starts, before any entity is declared."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except DefusedXmlException as exc:
        raise ValidationError(
            _(
                "This spreadsheet contains an XML document type declaration, which is refused for safety. "
                "Open it in a spreadsheet program and save it again as XLSX."
            ),
            code="dtd",
        ) from exc
    except expat.ExpatError as exc:
        raise ValidationError(
            _(
                "This spreadsheet is damaged: part of it is not well-formed XML. "
                "Open it in a spreadsheet program and save it again as XLSX."
            ),
            code="malformed",
        ) from exc


def _delimiter(text: str) -> str:
    """KoboToolbox writes CSV with semicolons, spreadsheets with commas: whichever the header uses most."""
    header = text.partition("\n")[0]
    return max(",;\t", key=header.count)


def _csv_text(upload) -> str:
    upload.seek(0)
    return upload.read().decode("utf-8-sig")


def _too_many_rows(cap: int) -> ValidationError:
    return ValidationError(_("Import %(n)d rows at most at a time.") % {"n": cap}, code="rows")


def _csv_rows(text: str, *, limit: int | None, cap: int | None) -> list[list[str]]:
    """The non-empty rows, the first ``limit`` only, or refused past ``cap`` rows below the header."""
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text)):
        if not any(cell.strip() for cell in row):
            continue
        rows.append(row)
        if cap is not None and len(rows) > cap + 1:
            raise _too_many_rows(cap)
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def _xlsx_rows(upload, *, cap: int, progress: Callable[[int], None]) -> list[list[str]]:
    upload.seek(0)
    book = load_workbook(upload, read_only=True, data_only=True)
    try:
        sheet = book.active
        # Forget the size the sheet claims: openpyxl would pad every row up to it (A1:XFD1048576 is 17
        # billion cells). Rows are then as long as their last cell, and missing rows are empty tuples.
        sheet.reset_dimensions()
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise _unreadable()
            if row.count(None) == len(row):
                continue
            cells = [_text(v) for v in row[:MAX_COLUMNS]]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            rows.append(cells)
            if len(rows) > cap + 1:
                raise _too_many_rows(cap)
            if len(rows) % 1000 == 0:
                progress(len(rows))
        return rows
    finally:
        book.close()


def read_table(upload, *, max_rows: int | None = None, progress=lambda rows: None) -> list[list[str]]:
    """The non-empty rows of an uploaded CSV or XLSX (its active sheet) as text, the header first.

    Dates in an XLSX come back as ISO dates. Reading stops, refused, once there are more than ``max_rows``
    rows below the header (``IMPORT_MAX_ROWS`` by default); ``progress`` is told the rows read so far.
    Refused with a form error, never a 500: too large, not CSV or XLSX, or a file the readers cannot split."""
    cap = min(max_rows or import_max_rows(), import_max_rows())
    kind = upload_check(upload)
    try:
        if kind == "csv":
            return _csv_rows(_csv_text(upload), limit=None, cap=cap)
        return _xlsx_rows(upload, cap=cap, progress=progress)
    except UNREADABLE as exc:
        raise _unreadable() from exc
