import re

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import assert_accessible
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def report_worker(request):
    """With a broker (CI), a real Celery worker builds the report; without one, it runs in-process."""
    if settings.REDIS_URL:
        return request.getfixturevalue("celery_worker_process")
    return None


def test_centre_manager_requests_last_months_report_and_downloads_it(page, world, report_worker, tmp_path):
    log_in(page, "ank_center_manager")
    assert_accessible(page)
    page.get_by_role("button", name="Centre ANK").click()
    page.get_by_test_id("nav-items").get_by_role("link", name="Reports").click()
    assert_accessible(page)
    page.get_by_role("button", name="Build the monthly report").click()
    expect(page).to_have_url(re.compile(r"/c/ANK/reports/\d+/$"))
    # The page refreshes itself while the worker builds; it never waits on the request.
    expect(page.get_by_test_id("report-status")).to_have_text("Done", timeout=60_000)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Report (PDF)").click()
    pdf = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf)
    assert pdf.name.endswith("-en.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Monthly report: people reached and cost per person" in text and "Ankara" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tables (XLSX)").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    book = load_workbook(saved)
    assert "Reach and cost" in book.sheetnames and "Definitions" in book.sheetnames
