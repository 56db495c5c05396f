"""The monthly report as a document (issue 15, items 1 and 2): read back from the PDF and XLSX a manager gets."""

import datetime as dt
import io
import re
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader

from beneficiaries.tests.factories import BeneficiaryFactory
from reports import render
from reports.document import document
from reports.models import ReportFile, ReportRun
from reports.services import report_build, report_content, report_files_complete
from reports.tests.test_reports import OCTOBER, october  # noqa: F401 - the shared October fixture
from services.models import ServiceCategory, ServiceDelivery

LANGUAGES = ["en", "tr", "ar", "fr"]
# Seven women reached at ANK in October, USD 350 of costs (reports/tests/test_reports.py).
pytestmark = pytest.mark.usefixtures("october")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _arabic_letters(text: str) -> str:
    """What survives of shaped Arabic once extracted: its letters (glyph clusters come out with stray marks)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[^\u0621-\u064a\s]", "", text)


def _content(world, center=None):
    return report_content(center=center, start=OCTOBER[0], end=OCTOBER[1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_reads_in_each_language_with_its_summary_first(world, language):
    tables, data = _content(world, world.centers["ANK"])
    text = _pdf_text(render.to_pdf(data, language))
    with translation.override(language):
        expected = [_("Female"), _("Male"), _("Definitions"), str(ServiceCategory.Code.ADULTS.label)]
        title = _("Monthly report: people reached and cost per person")
        month = "octobre" if language == "fr" else None
    if language == "ar":
        letters = _arabic_letters(text)
        for word in expected[:2]:  # one-word headings: the header rows are written, not blank
            assert _arabic_letters(word) in letters, word
    else:
        for phrase in expected + [title]:
            assert phrase in text, phrase
        if month:
            assert month in text
    assert "Ankara Community Centre" in text
    # The headline figures: seven people reached, USD 50 per person (350 USD of costs).
    reader = PdfReader(io.BytesIO(render.to_pdf(data, language)))
    summary = reader.pages[0].extract_text()
    assert re.search(r"(?<![\d.,])7(?![\d.,])", summary)
    assert re.search(r"50[.,]00", summary)


def test_translated_reports_are_translated(world):
    """The four languages really differ: the headings a donor reads are not left in English."""
    headings = {}
    for language in LANGUAGES:
        with translation.override(language):
            headings[language] = (_("People reached"), _("Female"), _("Funding runway"), _("Definitions"))
    assert len({headings[lang] for lang in LANGUAGES}) == 4
    # Turkish: reach is "ulaşılan", never the word for transport.
    assert "Ulaşım" not in " ".join(headings["tr"])


def test_every_header_cell_has_words_in_arabic(world):
    _tables, data = _content(world)
    with translation.override("ar"):
        doc = document(data)
    for table in [doc.runway, *doc.tables]:
        for row in table.header:
            assert all(text.strip() for text, _colspan, _rowspan in row), table.title


def test_a_one_centre_report_has_no_all_centres_rows_and_names_categories_in_words(world):
    _tables, data = _content(world, world.centers["ANK"])
    with translation.override("en"):
        doc = document(data)
        text = _pdf_text(render.to_pdf(data, "en"))
    assert "All centres" not in text
    assert "Adult services" in text and "Female" in text and "female" not in text
    assert [table.title for table in doc.tables][:3] == [
        "People reached by service category, sex and age",
        "Migrants: people reached by service category, sex and age",
        "Host community: people reached by service category, sex and age",
    ]


def test_the_national_report_compares_centres_and_hides_small_cells_in_every_table(world):
    # Three people served at IST in category E: a small cell in the centre × category table.
    ist = world.centers["IST"]
    for _n in range(3):
        person = BeneficiaryFactory(center=ist, consents=False)
        ServiceDelivery.objects.create(
            center=ist,
            beneficiary=person,
            category=ServiceCategory.objects.get(code="E"),
            type="information",
            date=dt.date(2026, 10, 5),
            staff=world.user("IST", "reception"),
        )
    _tables, data = _content(world)
    with translation.override("en"):
        doc = document(data)
    by_centre = next(t for t in doc.tables if t.title == "People reached by centre and service category")
    rows = {row[0]: row for row in by_centre.rows}
    categories = [text for text, _c, _r in by_centre.header[0]]
    column = categories.index("Orientation and referral")
    assert rows[ist.name][column] == "<5"
    # Totals are computed before suppression: IST's three people count in every total.
    side_by_side = next(t for t in doc.tables if t.title == "Centres side by side")
    national = side_by_side.rows[-1]
    assert national[0].startswith("All centres") and national[1] == "10"  # 7 at ANK + 3 at IST
    people_tables = [t for t in doc.tables if "people reached" in t.title.lower()]
    assert len(people_tables) == 4
    for table in people_tables:
        assert not any(cell in {"1", "2", "3", "4"} for row in table.rows for cell in row[1:]), table.title
    assert any("<5" in line for line in doc.definitions)


def test_numbers_are_grouped_and_aligned_the_locale_s_way(world):
    _tables, data = _content(world, world.centers["ANK"])
    data["runway"] = [["Appeal", "1234567.89", "12345.00", "100.0"]]
    for language, grouped in (("en", "1,234,568"), ("tr", "1.234.568"), ("fr", "1\u202f234\u202f568")):
        with translation.override(language):
            row = document(data).runway.rows[0]
        assert row[1].replace("\xa0", "\u202f") == grouped, (language, row[1])


def test_the_xlsx_has_the_document_s_tables_with_frozen_headers_and_number_formats(world):
    tables, data = _content(world, world.centers["ANK"])
    book = load_workbook(io.BytesIO(render.to_xlsx(data, "ar")))
    assert book.sheetnames[-1] == _arabic_sheet("Definitions")
    sheet = book.worksheets[2]  # the first sex × age table
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "B5"
    assert sheet.merged_cells.ranges  # Female / Male above their age bands
    numbers = [c for row in sheet.iter_rows(min_row=5) for c in row if isinstance(c.value, int)]
    assert numbers and all(c.number_format == "#,##0" for c in numbers)


def _arabic_sheet(title: str) -> str:
    with translation.override("ar"):
        return _(title)[:28].strip()


def test_the_stored_files_carry_the_same_figures_as_the_stored_tables(world):
    """The flat tables (CSV) and the document (XLSX) come from one count: their figures agree."""
    run = ReportRun.objects.create(center=world.centers["ANK"], start=OCTOBER[0], end=OCTOBER[1])
    run = report_build(run_id=run.pk)
    totals = {row[1]: row[2] for row in dict(run.tables)["People reached"][1:]}
    book = load_workbook(io.BytesIO(run.files.get(format="xlsx", language="en").file.read()))
    sheet = book.worksheets[2]
    names = {str(c.label): c.value for c in ServiceCategory.Code}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        code = "*" if row[0] == "All categories" else names[row[0]]
        assert row[-1] == totals[code]


def test_a_build_stores_each_download_once_and_the_page_serves_it_from_storage(
    client,
    world,
    monkeypatch,
):
    run = ReportRun.objects.create(
        center=world.centers["ANK"], start=OCTOBER[0], end=OCTOBER[1], language="ar"
    )
    report_build(run_id=run.pk)
    assert set(run.files.values_list("format", "language")) == {
        ("csv", ""),
        ("hxl", ""),
        ("pdf", "ar"),
        ("xlsx", "ar"),
    }

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered on download")

    monkeypatch.setattr(render, "to_pdf", no_rendering)
    client.force_login(world.user("ANK", "center_manager"))
    url = reverse("reports:download", kwargs={"center": "ANK", "pk": run.pk, "fmt": "pdf"})
    response = client.get(url, {"language": "ar"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="monthly_reach-ANK-2026-10-ar.pdf"' in response["Content-Disposition"]
    monkeypatch.undo()

    # Another language: rendered once (by the worker right after the build, or on its first download), kept.
    assert report_files_complete(run_id=run.pk) == 6
    assert ReportFile.objects.filter(run=run).count() == 10
    monkeypatch.setattr(render, "to_pdf", no_rendering)
    assert client.get(url, {"language": "fr"}).status_code == 200


def test_a_file_lost_from_storage_is_rendered_again_from_the_stored_figures(client, world):
    run = ReportRun.objects.create(center=world.centers["ANK"], start=OCTOBER[0], end=OCTOBER[1])
    report_build(run_id=run.pk)
    stored = run.files.get(format="xlsx", language="en")
    stored.file.storage.delete(stored.file.name)
    client.force_login(world.user("ANK", "center_manager"))
    response = client.get(
        reverse("reports:download", kwargs={"center": "ANK", "pk": run.pk, "fmt": "xlsx"}), {"language": "en"}
    )
    assert response.status_code == 200
    assert "Reach and cost" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_build_report_writes_the_pdf_in_the_language_asked(world, tmp_path):
    output = tmp_path / "ank-fr.pdf"
    call_command(
        "build_report", "monthly_reach", "--month", "2026-10", "--center", "ANK", "--format", "pdf",
        "--language", "fr", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    with translation.override("fr"):
        assert _("Definitions") in _pdf_text(output.read_bytes())


def test_a_closed_centre_s_report_of_a_quiet_month_still_names_it(world):
    center = world.centers["IST"]
    center.status = center.Status.CLOSED
    center.save()
    _tables, data = report_content(center=center, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    with translation.override("en"):
        doc = document(data)
    assert doc.scope == center.name and doc.headline[0][1] == "0"
    assert _pdf_text(render.to_pdf(data, "en")).count(center.name) >= 1
