"""Reading an uploaded spreadsheet (CSV or XLSX) as rows of text, with limits, never stored."""

import csv
import datetime as dt
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


def _delimiter(text: str) -> str:
    """KoboToolbox writes CSV with semicolons, spreadsheets with commas: whichever the header uses most."""
    header = text.partition("\n")[0]
    return max(",;\t", key=header.count)


def _rows_from_upload(upload) -> list[list[str]]:
    """By the name the browser sent, then by content: a CSV is text (an XLSX that is no ZIP fails to open)."""
    name = upload.name.lower()
    head = upload.read(2048)
    upload.seek(0)
    if name.endswith(".csv") and b"\x00" in head:
        raise ValidationError(_("This is neither a CSV nor an XLSX file."))
    if name.endswith(".csv"):
        text = upload.read().decode("utf-8-sig")
        rows = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        return [row for row in rows if any(cell.strip() for cell in row)]
    if name.endswith(".xlsx"):
        book = load_workbook(upload, read_only=True, data_only=True)
        return [
            ["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
            if any(v not in (None, "") for v in row)
        ]
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def read_table(upload) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX (first sheet) as text, read in memory and never stored.

    Dates in an XLSX come back as ISO dates. Refused with a form error, never a 500: too large, not CSV
    or XLSX, or a file the readers cannot split."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    try:
        return _rows_from_upload(upload)
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise ValidationError(_("The file could not be read as CSV or XLSX.")) from exc
