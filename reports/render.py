"""The monthly report's document laid out as a PDF and as an XLSX workbook, in one language.

Both take the stored figures (reports.document.document_data) and a language; neither counts anything.
Arabic is laid out right to left: columns mirrored, text aligned right, the workbook's sheets right to left.
"""

import datetime as dt
import io
import re
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf.enums import Align, TableBordersLayout
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.pdf import new_pdf
from core.tables import safe
from reports.document import Document, Table, document

RED = (200, 16, 46)
GREY = (90, 90, 90)
LIGHT = (242, 242, 242)


def _rtl() -> bool:
    return translation.get_language_bidi()


# ---- PDF -------------------------------------------------------------------------------------------------


class _Layout:
    """Writes the document on an FPDF, mirrored for right-to-left languages."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.rtl = _rtl()
        self.pdf = new_pdf(orientation="landscape", format="A4")
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.set_title(f"{doc.title} · {doc.scope} · {doc.period}")
        self.pdf.set_lang(translation.get_language() or "en")
        if self.rtl:  # every paragraph right to left, Latin names and figures inside it included
            self.pdf.set_text_shaping(True, direction="rtl")
        self.start_align = Align.R if self.rtl else Align.L

    def text(self, size: float, value: str, *, bold=False, color=(0, 0, 0), height=None, align=None):
        self.pdf.set_font("NotoSans", style="B" if bold else "", size=size)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(
            0, height or size * 0.5, value, align=align or self.start_align, new_x="LMARGIN", new_y="NEXT"
        )
        self.pdf.set_text_color(0, 0, 0)

    def footer_line(self):
        generated = formats.date_format(dt.date.today(), "DATE_FORMAT")
        self.text(8, _("Toplum · generated on %(date)s") % {"date": generated}, color=GREY)

    def first_page(self):
        pdf, doc = self.pdf, self.doc
        pdf.add_page()
        self.text(18, doc.title, bold=True, height=9)
        self.text(13, f"{doc.scope} · {doc.period}", color=RED, height=8)
        pdf.ln(3)
        self.headline()
        pdf.ln(4)
        top = pdf.get_y()
        self.chart(top)
        self.table(doc.runway, x_share=(0.55, 1.0) if not self.rtl else (0.0, 0.45), top=top)
        pdf.set_y(max(pdf.get_y(), top + 12 + 9 * max(1, len(doc.chart))))
        self.footer_line()

    def headline(self):
        pdf, figures = self.pdf, self.doc.headline
        columns = 3
        width = pdf.epw / columns
        height = 24
        y0 = pdf.get_y()
        for i, (label, value, comment) in enumerate(figures):
            column, row = i % columns, i // columns
            if self.rtl:
                column = columns - 1 - column
            x, y = pdf.l_margin + column * width, y0 + row * (height + 3)
            pdf.set_fill_color(*LIGHT)
            pdf.rect(x + 1, y, width - 2, height, style="F")
            for offset, size, text, bold, color in (
                (2, 9, label, False, GREY),
                (7.5, 17, value, True, (0, 0, 0)),
                (17, 8, comment, False, GREY),
            ):
                pdf.set_xy(x + 3, y + offset)
                pdf.set_font("NotoSans", style="B" if bold else "", size=size)
                pdf.set_text_color(*color)
                pdf.cell(width - 6, size * 0.45, text, align=self.start_align)
        pdf.set_text_color(0, 0, 0)
        pdf.set_y(y0 + ((len(figures) + columns - 1) // columns) * (height + 3))

    def chart(self, top: float):
        """People reached per category as horizontal bars, labelled with the category's name and figure."""
        pdf, chart = self.pdf, self.doc.chart
        area = pdf.epw * 0.52
        left = pdf.l_margin if not self.rtl else pdf.l_margin + pdf.epw - area
        pdf.set_xy(left, top)
        pdf.set_font("NotoSans", style="B", size=11)
        pdf.cell(area, 7, _("People reached by service category"), align=self.start_align)
        label_w, value_w = area * 0.45, 16
        bar_room = area - label_w - value_w - 4
        peak = max([n for _label, n, _shown in chart] or [0]) or 1
        for i, (label, n, shown) in enumerate(chart):
            y = top + 9 + i * 9
            bar = bar_room * n / peak
            pdf.set_font("NotoSans", size=8)
            # The figure first, then the label: a cell that fell back to the Arabic font leaves the next
            # cell of the same font shaping Latin figures with the wrong glyphs (seen with fpdf2 2.8).
            pdf.set_fill_color(*RED)
            if not self.rtl:
                if bar:
                    pdf.rect(left + label_w + 2, y + 1, bar, 4, style="F")
                pdf.set_xy(left + label_w + 4 + bar, y)
                pdf.cell(value_w, 6, shown, align=Align.L)
                pdf.set_xy(left, y)
                pdf.cell(label_w, 6, label, align=Align.L)
            else:
                right = left + area
                if bar:
                    pdf.rect(right - label_w - 2 - bar, y + 1, bar, 4, style="F")
                pdf.set_xy(right - label_w - 4 - bar - value_w, y)
                pdf.cell(value_w, 6, shown, align=Align.R)
                pdf.set_xy(right - label_w, y)
                pdf.cell(label_w, 6, label, align=Align.R)
        if not chart:
            pdf.set_xy(left, top + 9)
            pdf.set_font("NotoSans", size=9)
            pdf.cell(area, 6, _("No one was reached this month."), align=self.start_align)

    def table(self, table: Table, *, x_share=(0.0, 1.0), top=None):
        pdf = self.pdf
        if top is not None:
            pdf.set_y(top)
        width = pdf.epw * (x_share[1] - x_share[0])
        x = pdf.l_margin + pdf.epw * x_share[0]
        pdf.set_x(x)
        pdf.set_font("NotoSans", style="B", size=11)
        pdf.cell(width, 7, table.title, align=self.start_align, new_x="LEFT", new_y="NEXT")
        if not table.rows:
            pdf.set_font("NotoSans", size=9)
            pdf.cell(
                width,
                6,
                _("Nothing to show for this month."),
                align=self.start_align,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(3)
            return
        columns = len(table.rows[0])
        aligns = [self.start_align if i < table.numeric_from else Align.R for i in range(columns)]
        widths = table.widths or [1] * columns
        header = table.header
        rows = table.rows
        if self.rtl:
            aligns, widths = aligns[::-1], widths[::-1]
            header = [row[::-1] for row in header]
            rows = [row[::-1] for row in rows]
        pdf.set_font("NotoSans", size=8)
        pdf.set_fill_color(255, 255, 255)  # body cells unfilled whatever the chart drew last
        heading = FontFace(emphasis="BOLD", fill_color=LIGHT, size_pt=8)
        with pdf.table(
            width=width,
            col_widths=widths,
            text_align=aligns,
            align=Align.L,
            num_heading_rows=len(header),
            headings_style=heading,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=4.6,
            padding=1.2,
        ) as pdf_table:
            pdf_table._x = x  # noqa: SLF001 - place a half-width table (fpdf2 aligns to the margins only)
            for header_row in header:
                row = pdf_table.row()
                for text, colspan, rowspan in header_row:
                    row.cell(text, colspan=colspan, rowspan=rowspan, align=Align.C)
            for body_row in rows:
                row = pdf_table.row()
                for value in body_row:
                    row.cell(value)
        pdf.ln(4)

    def body(self):
        pdf = self.pdf
        pdf.add_page()
        for table in self.doc.tables:
            needed = 7 + 5 * (len(table.header) + min(len(table.rows), 4))
            if pdf.get_y() + needed > pdf.h - pdf.b_margin:
                pdf.add_page()
            self.table(table)

    def definitions(self):
        pdf = self.pdf
        pdf.add_page()
        self.text(13, _("Definitions"), bold=True, height=8)
        pdf.ln(2)
        for line in self.doc.definitions:
            self.text(9.5, "• " + line if not self.rtl else line + " •", height=5.2)
            pdf.ln(1.5)


def to_pdf(data: dict, language: str) -> bytes:
    with translation.override(language):
        doc = document(data)
        layout = _Layout(doc)
        layout.first_page()
        layout.body()
        layout.definitions()
        return bytes(layout.pdf.output())


# ---- XLSX ------------------------------------------------------------------------------------------------

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(book, title: str) -> str:
    base = _SHEET_UNSAFE.sub(" ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name in book.sheetnames:
        name, n = f"{base[:26]} {n}", n + 1
    return name


def _number_format(value) -> str:
    if isinstance(value, float):
        return "0%"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "#,##0.00"
    return "#,##0"


def _write_table(book, table: Table, *, rtl: bool):
    sheet = book.create_sheet(_sheet_title(book, table.title))
    sheet.sheet_view.rightToLeft = rtl
    sheet["A1"] = safe(table.title)
    sheet["A1"].font = Font(bold=True, size=13)
    top = 3
    # Header rows with their spans merged, as in the PDF.
    taken = set()
    for r, header_row in enumerate(table.header):
        c = 1
        for text, colspan, rowspan in header_row:
            while (r, c) in taken:
                c += 1
            cell = sheet.cell(row=top + r, column=c, value=safe(text))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if colspan > 1 or rowspan > 1:
                sheet.merge_cells(
                    start_row=top + r,
                    start_column=c,
                    end_row=top + r + rowspan - 1,
                    end_column=c + colspan - 1,
                )
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
    first = top + len(table.header)
    for i, row in enumerate(table.rows):
        raw = table.values[i] if i < len(table.values) else [None] * len(row)
        for j, text in enumerate(row):
            value = raw[j] if j < len(raw) and raw[j] is not None else text
            cell = sheet.cell(row=first + i, column=j + 1)
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                cell.value = float(value) if isinstance(value, Decimal) else value
                cell.number_format = _number_format(value)
            else:
                cell.value = safe(value)
                if j >= table.numeric_from:
                    cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    columns = len(table.rows[0]) if table.rows else sum(span for _t, span, _r in table.header[0])
    for j in range(columns):
        texts = [str(row[j]) for row in table.rows if j < len(row)]
        longest = max([len(t) for t in texts] or [8])
        limit = 48 if j < table.numeric_from else 16
        sheet.column_dimensions[get_column_letter(j + 1)].width = max(9, min(limit, longest + 3))
    return sheet


def to_xlsx(data: dict, language: str) -> bytes:
    with translation.override(language):
        doc = document(data)
        rtl = _rtl()
        book = Workbook()
        summary = book.active
        summary.title = _sheet_title(book, _("Summary"))
        summary.sheet_view.rightToLeft = rtl
        summary.append([safe(doc.title)])
        summary["A1"].font = Font(bold=True, size=14)
        summary.append([safe(f"{doc.scope} · {doc.period}")])
        summary.append([])
        for label, value, comment in doc.headline:
            summary.append([safe(label), safe(value), safe(comment)])
            summary.cell(row=summary.max_row, column=2).alignment = Alignment(horizontal="right")
        summary.column_dimensions["A"].width = 36
        summary.column_dimensions["B"].width = 18
        summary.column_dimensions["C"].width = 48
        _write_table(book, doc.runway, rtl=rtl)
        for table in doc.tables:
            _write_table(book, table, rtl=rtl)
        definitions = book.create_sheet(_sheet_title(book, _("Definitions")))
        definitions.sheet_view.rightToLeft = rtl
        definitions.append([safe(_("Definitions"))])
        definitions["A1"].font = Font(bold=True, size=13)
        for line in doc.definitions:
            definitions.append([safe(line)])
            definitions.cell(row=definitions.max_row, column=1).alignment = Alignment(wrap_text=True)
        definitions.column_dimensions["A"].width = 120
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
