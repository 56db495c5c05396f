"""Tables and their renderers: a report or an export is an ordered dict of title -> rows, and each renderer
turns it into a file (XLSX, CSV, HXL, PDF). Every text cell is made safe to open in a spreadsheet."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from core.pdf import new_pdf

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Neutralise spreadsheet formulas (CSV/formula injection): prefix text that would be read as one."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_xlsx(named_tables: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in named_tables.items():
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([safe(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = min(
                60, max(len(str(c.value or "")) for c in column) + 2
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(named_tables: dict) -> bytes:
    """The disaggregated table, which is what most people import."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in next(iter(named_tables.values())):
        writer.writerow([safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def jsonable(named_tables: dict) -> list:
    """Tables as JSON, in order: a list of [title, rows] (PostgreSQL's jsonb does not keep key order)."""
    return [
        [str(title), [[float(v) if isinstance(v, Decimal) else v for v in row] for row in rows]]
        for title, rows in named_tables.items()
    ]


# HXL hashtags of the disaggregated table (https://hxlstandard.org), column by column.
HXL_TAGS = ["#org+centre", "#sector+code", "#meta+sex", "#meta+age", "#population+group", "#reached+ind"]


def to_hxl(named_tables: dict) -> bytes:
    """The disaggregated table as HXL-hashtagged CSV for humanitarian data exchange."""
    rows = next(iter(named_tables.values()))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe(v) for v in rows[0]])
    writer.writerow(HXL_TAGS)
    for row in rows[1:]:
        writer.writerow([safe(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_pdf(named_tables: dict) -> bytes:
    pdf = new_pdf(orientation="landscape", format="A4")
    for title, rows in named_tables.items():
        pdf.add_page()
        pdf.set_font("NotoSans", size=14)
        pdf.cell(0, 10, str(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSans", size=8)
        if len(rows[0]) == 1:
            for row in rows[1:]:
                pdf.multi_cell(0, 5, str(row[0]), new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(first_row_as_headings=True) as table:
            for row in rows:
                table_row = table.row()
                for value in row:
                    table_row.cell("" if value is None else str(value))
    return bytes(pdf.output())


RENDERERS = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "hxl": (to_hxl, "text/csv; charset=utf-8"),
    "pdf": (to_pdf, "application/pdf"),
}
