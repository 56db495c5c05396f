import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.tests.factories import BeneficiaryFactory
from core.counting import ALL, small_cell
from core.tables import safe, to_csv
from finance.models import CostEntry, ExchangeRate, FundingSource
from reports import costs as money
from reports.models import ReportRun
from reports.services import monthly_reports_request, report_request
from services.models import Attendance, Session
from services.tests.factories import ActivityFactory

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def october(world):
    """Seven people reached at ANK in October, costs in lira and dollars, rates for both months."""
    center, recorder = world.centers["ANK"], world.user("ANK", "trainer")
    activity = ActivityFactory(center=center, name="Turkish A2")
    session = Session.objects.create(
        activity=activity, date=dt.date(2026, 10, 12), starts_at=dt.time(10), ends_at=dt.time(12)
    )
    for _ in range(7):
        person = BeneficiaryFactory(center=center, consents=False, sex="female", birth_year=1990)
        Attendance.objects.create(session=session, beneficiary=person, present=True, recorded_by=recorder)
    source = FundingSource.objects.create(
        name="Appeal",
        donor="IFRC",
        currency="USD",
        amount=Decimal(100000),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    ExchangeRate.objects.create(month=dt.date(2026, 10, 1), currency="TRY", per_usd=Decimal("40"))
    CostEntry.objects.create(
        center=center,
        month=dt.date(2026, 10, 1),
        type="rent",
        amount=Decimal(8000),
        currency="TRY",
        funding_source=source,
    )
    CostEntry.objects.create(
        center=center,
        month=dt.date(2026, 10, 1),
        type="staff",
        amount=Decimal(150),
        currency="USD",
        funding_source=source,
    )
    return {"center": center, "source": source}


def test_cost_per_person_converts_each_month_at_its_rate(october):
    center = october["center"]
    costs, missing = money.costs_usd(start=OCTOBER[0], end=OCTOBER[1], center_ids=[center.pk])
    assert costs[center.pk] == Decimal(200 + 150) and missing == []
    per_person = money.cost_per_beneficiary(costs, {(center.pk, ALL): 7})
    assert per_person[center.pk] == Decimal("50.00")


def test_a_month_without_a_rate_is_reported_not_guessed(october):
    CostEntry.objects.create(
        center=october["center"],
        month=dt.date(2026, 10, 1),
        type="other",
        amount=Decimal(10),
        currency="EUR",
        funding_source=october["source"],
    )
    costs, missing = money.costs_usd(start=OCTOBER[0], end=OCTOBER[1])
    assert missing == ["2026-10 EUR"] and costs[ALL] == Decimal(350)


def test_runway_is_what_is_left_over_the_last_three_months_average(october):
    for month in (dt.date(2026, 8, 1), dt.date(2026, 9, 1)):
        CostEntry.objects.create(
            center=october["center"],
            month=month,
            type="staff",
            amount=Decimal(350),
            currency="USD",
            funding_source=october["source"],
        )
    row = next(r for r in money.runway(today=dt.date(2026, 11, 15)) if r["source"] == october["source"])
    assert row["spent_usd"] == Decimal(1050) and row["monthly_usd"] == Decimal(350)
    assert row["months"] == Decimal("282.7")  # (100000 − 1050) / 350


def test_a_requested_report_is_built_by_the_task_and_downloads_as_xlsx(
    client, world, october, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(world.user("ANK", "center_manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-10"})
    run = ReportRun.objects.exclude(pk__in=[r.pk for r in world.report_runs.values()]).get()
    assert response["Location"] == reverse("reports:run", kwargs={"center": "ANK", "pk": run.pk})
    assert (run.status, run.progress, run.requested_by.username) == ("done", 100, "ank_center_manager")
    download = client.get(reverse("reports:download", kwargs={"center": "ANK", "pk": run.pk, "fmt": "xlsx"}))
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Definitions"
    # Categories as rows in words, sex × age band as columns (the document's layout).
    sheet = book["People reached by service ca"]
    assert [c.value for c in sheet[4]][1:6] == ["0–4", "5–11", "12–17", "18–59", "60+"]
    adults = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Adult services")
    assert adults[4] == 7 and adults[-1] == 7  # women aged 18–59; all of them
    assert sheet.freeze_panes == "B5"
    money_rows = list(book["Reach and cost"].values)
    assert money_rows[3][:2] == ("Ankara Community Centre", 7) and money_rows[3][4:6] == (350, 50)
    reach_rows = list(sheet.values)
    assert not any(
        str(cell).startswith(("Ahmad", "Mohammed")) for row in reach_rows for cell in row
    )  # no individual


def test_the_same_report_is_never_built_twice_at_once(world):
    first = report_request(center=world.centers["ANK"], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    ReportRun.objects.filter(pk=first.pk).update(status="running")
    second = report_request(center=world.centers["ANK"], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    assert first.pk == second.pk


def test_a_failing_build_shows_a_failed_state(
    world, monkeypatch, celery_eager, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("no such table")

    monkeypatch.setattr("reports.services.reach", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_request(center=world.centers["ANK"], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    run.refresh_from_db()
    assert run.status == "failed" and "no such table" in run.error


def test_the_first_of_the_month_queues_every_centre_and_the_nation(
    world, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = monthly_reports_request(today=dt.date(2026, 11, 1))
    runs = ReportRun.objects.filter(start=dt.date(2026, 10, 1)).exclude(
        pk__in=[r.pk for r in world.report_runs.values()]
    )
    assert count == 3 and set(runs.values_list("scope", flat=True)) == {"ANK", "IST", "national"}


def test_small_cells_and_formulas_are_neutralised():
    assert [small_cell(n) for n in (0, 1, 4, 5)] == [0, "<5", "<5", 5]
    assert [safe(v) for v in ("=HYPERLINK()", "+1", "-2", "@x", "\tx", "\rx", "ok", 3)] == [
        "'=HYPERLINK()",
        "'+1",
        "'-2",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
        3,
    ]
    assert (
        to_csv({"t": [["name"], ["=cmd|'/c calc'!A1"]]})
        .decode("utf-8-sig")
        .splitlines()[1]
        .startswith("'=cmd")
    )


def test_build_report_command_writes_the_same_report(world, october, tmp_path):
    output = tmp_path / "ank.xlsx"
    call_command(
        "build_report",
        "monthly_reach",
        "--month",
        "2026-10",
        "--center",
        "ANK",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    assert "Reach and cost" in load_workbook(output).sheetnames
    csv_output = tmp_path / "national.csv"
    call_command(
        "build_report",
        "monthly_reach",
        "--month",
        "2026-10",
        "--format",
        "csv",
        "--output",
        str(csv_output),
        stdout=io.StringIO(),
    )
    assert "<5" in csv_output.read_text(encoding="utf-8-sig") or "7" in csv_output.read_text(
        encoding="utf-8-sig"
    )


def test_a_centre_manager_sees_only_the_reports_of_their_centre(world, assert_other_center_gets_404):
    run = world.report_runs["ANK"]
    other = world.user("IST", "center_manager")
    assert_other_center_gets_404(other, "reports:run", center="ANK", pk=run.pk)
    for fmt in ("xlsx", "csv", "hxl", "pdf"):
        assert_other_center_gets_404(other, "reports:download", center="ANK", pk=run.pk, fmt=fmt)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_is_built_by_a_real_worker_over_the_broker(world, celery_worker_process):
    from reports.tasks import build_report

    run = ReportRun.objects.create(
        center=world.centers["ANK"], start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)
    )
    assert build_report.delay(run.pk).get(timeout=90) == "done"
    run.refresh_from_db()
    assert run.status == "done" and run.file.name.endswith(".xlsx")


def test_every_download_format_renders_the_same_build(
    client, world, october, celery_eager, django_capture_on_commit_callbacks
):
    import hxl

    client.force_login(world.user("ANK", "center_manager"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-10"})
    run = ReportRun.objects.exclude(pk__in=[r.pk for r in world.report_runs.values()]).get()

    def get(fmt):
        return client.get(reverse("reports:download", kwargs={"center": "ANK", "pk": run.pk, "fmt": fmt}))

    assert get("pdf").content.startswith(b"%PDF")
    csv_text = get("csv").content.decode("utf-8-sig")
    assert "ANK,B,female,18-59,migrant,7" in csv_text
    dataset = hxl.data(io.BytesIO(get("hxl").content))
    rows = list(dataset)
    assert [c.display_tag for c in dataset.columns][:2] == ["#org+centre", "#sector+code"]
    assert any(row.get("#reached+ind") == "7" and row.get("#meta+sex") == "female" for row in rows)
    assert (
        client.get(
            reverse("reports:download", kwargs={"center": "ANK", "pk": run.pk, "fmt": "exe"})
        ).status_code
        == 404
    )


def test_dashboards_show_twelve_months_of_reach_cost_and_runway(
    client, world, october, django_assert_max_num_queries
):
    client.force_login(world.user("ANK", "center_manager"))
    page = client.get(reverse("reports:dashboard", kwargs={"center": "ANK"})).content.decode()
    # Four charts of twelve months (reach, registrations, cost per person with its USD 40–80 band, attendance).
    assert page.count('data-testid="chart"') == 4 and page.count("<rect") == 4 * 12 + 1 and "Appeal" in page
    assert "Adult services" in page  # categories in words, for a centre too
    client.force_login(world.user(None, "national_manager"))
    # 1 session, 2 user, 3 the second-factor device, 4 the national-manager check, 5 open centres,
    # 6 stored months (MonthlyReach), 7 reach of the months not stored (one statement: per centre, per
    # category, national), 8 costs per month, 9 stored registrations and attendance (MonthlyFigures), 10-11
    # registrations and attendance of the months not stored, 12 centre codes, 13-15 runway (spent, recent,
    # sources), 16 feedback by kind, 17-18 navigation, 19-21 session save: the same whatever the number of
    # months, centres or people.
    with django_assert_max_num_queries(21):
        page = client.get(reverse("reports:national_dashboard")).content.decode()
    assert "People reached by centre" in page and "IST" in page
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(reverse("reports:national_dashboard")).status_code == 403


def test_year_to_date_counts_distinct_people_not_the_sum_of_months(world, october):
    from reports.services import report_tables

    center, recorder = october["center"], world.user("ANK", "trainer")
    september = Session.objects.create(
        activity=ActivityFactory(center=center, name="September class"),
        date=dt.date(2026, 9, 8),
        starts_at=dt.time(10),
        ends_at=dt.time(12),
    )
    # Everyone reached in October came in September too: seven people over the year, not fourteen.
    for attendance in Attendance.objects.filter(session__date=dt.date(2026, 10, 12)):
        Attendance.objects.create(
            session=september, beneficiary_id=attendance.beneficiary_id, present=True, recorded_by=recorder
        )
    tables = report_tables(center=center, start=OCTOBER[0], end=OCTOBER[1])
    ytd = tables["Cost per person, year to date"]
    assert ytd[1][:4] == ["ANK", Decimal("350.00"), 7, Decimal("50.00")]


def test_course_attendance_rate_is_the_share_of_marks_present(world, october):
    from reports.services import report_tables

    session = Session.objects.filter(date=dt.date(2026, 10, 12)).get()
    for person in BeneficiaryFactory.create_batch(3, center=october["center"], consents=False):
        Attendance.objects.create(
            session=session, beneficiary=person, present=False, recorded_by=world.user("ANK", "trainer")
        )
    table = report_tables(center=october["center"], start=OCTOBER[0], end=OCTOBER[1])["Course attendance"]
    assert table[1] == ["ANK", "Turkish A2", 10, 70]


def test_build_report_writes_pdf_and_hxl_too(world, october, tmp_path):
    for fmt in ("pdf", "hxl"):
        output = tmp_path / f"report.{fmt}"
        call_command(
            "build_report",
            "monthly_reach",
            "--month",
            "2026-10",
            "--format",
            fmt,
            "--output",
            str(output),
            stdout=io.StringIO(),
        )
        assert output.read_bytes().startswith(b"%PDF" if fmt == "pdf" else b"Centre")


def test_a_national_manager_builds_and_downloads_the_national_report(
    client, world, october, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(world.user(None, "national_manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:national_reports"), {"month": "2026-10"})
    run = ReportRun.objects.exclude(pk=world.report_runs["national"].pk).get(scope="national")
    assert response["Location"] == reverse("reports:national_report", kwargs={"pk": run.pk})
    assert run.status == "done"
    page = client.get(reverse("reports:national_report", kwargs={"pk": run.pk})).content.decode()
    assert reverse("reports:national_report_download", kwargs={"pk": run.pk, "fmt": "pdf"}) in page
    csv_text = client.get(
        reverse("reports:national_report_download", kwargs={"pk": run.pk, "fmt": "csv"})
    ).content.decode("utf-8-sig")
    assert "All centres,*,female,18-59,migrant,7" in csv_text
    # A centre's run is not reachable through the national pages, and centre staff cannot open them.
    assert (
        client.get(reverse("reports:national_report", kwargs={"pk": world.report_runs["ANK"].pk})).status_code
        == 404
    )
    for role in ("center_manager", "data_protection_officer"):
        client.force_login(world.user("ANK", role) if role == "center_manager" else world.user(None, role))
        assert client.get(reverse("reports:national_reports")).status_code == 403
        assert client.get(reverse("reports:national_report", kwargs={"pk": run.pk})).status_code == 403


def test_the_dashboard_reads_closed_months_from_the_store_and_counts_the_current_one(world, october):
    from reports.dashboard import _reached
    from reports.models import MonthlyReach
    from reports.reach import reach_by_month
    from reports.services import monthly_reach_refresh

    today = dt.date(2026, 11, 20)
    months = [dt.date(2025, 12, 1), *[dt.date(2026, m, 1) for m in range(1, 12)]]
    ids = [world.centers["ANK"].pk, world.centers["IST"].pk]
    live = reach_by_month(start=months[0], end=today, center_ids=ids)

    monthly_reach_refresh(today=today)  # stores September and October
    assert MonthlyReach.objects.get(month=dt.date(2026, 10, 1), center=None, category="*").people == 7
    assert MonthlyReach.objects.get(month=dt.date(2026, 9, 1), center=None, category="*").people == 0
    assert _reached(months=months, end=today, center=None, center_ids=ids)[0] == live
    ank = world.centers["ANK"]
    for_ank = _reached(months=months, end=today, center=ank, center_ids=[ank.pk])[0]
    assert {k: n for k, n in for_ank.items() if k[1] == ank.pk} == {
        k: n for k, n in live.items() if k[1] == ank.pk
    }

    # A register saved late for October is counted when the nightly job stores October again.
    session = Session.objects.get(date=dt.date(2026, 10, 12))
    Attendance.objects.create(
        session=session,
        beneficiary=BeneficiaryFactory(center=world.centers["ANK"]),
        present=True,
        recorded_by=world.user("ANK", "trainer"),
    )
    assert (
        _reached(months=months, end=today, center=None, center_ids=ids)[0][(dt.date(2026, 10, 1), "*", "*")]
        == 7
    )
    monthly_reach_refresh(today=today)
    assert (
        _reached(months=months, end=today, center=None, center_ids=ids)[0][(dt.date(2026, 10, 1), "*", "*")]
        == 8
    )


def test_chart_coordinates_stay_numbers_in_languages_with_a_decimal_comma(client, world, october):
    import re

    from django.utils import translation

    client.force_login(world.user("ANK", "center_manager"))
    with translation.override("fr"):
        client.cookies["django_language"] = "fr"
        page = client.get(reverse("reports:dashboard", kwargs={"center": "ANK"})).content.decode()
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', page.split("<svg", 1)[1])
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?%?", c) for c in coordinates)


def test_the_dashboard_reads_the_current_month_as_beat_last_stored_it(client, world, october):
    """Beat stores the month so far every few minutes: a page then counts nothing, and says how fresh it is."""
    import time_machine

    from reports.dashboard import dashboard
    from reports.tasks import store_current_month

    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 5, tzinfo=dt.UTC), tick=False):
        store_current_month()
        figures = dashboard(center=None, today=dt.date(2026, 10, 20))
    assert figures["current_as_of"] is not None
    reach_chart = figures["charts"][0]
    assert reach_chart["bars"][-1]["value"] == "7"
    # Stored, so a register saved since shows at the next refresh, not before.
    session = Session.objects.get(date=dt.date(2026, 10, 12))
    Attendance.objects.create(
        session=session,
        beneficiary=BeneficiaryFactory(center=world.centers["ANK"]),
        present=True,
        recorded_by=world.user("ANK", "trainer"),
    )
    assert dashboard(center=None, today=dt.date(2026, 10, 20))["charts"][0]["bars"][-1]["value"] == "7"
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 15, tzinfo=dt.UTC), tick=False):
        store_current_month()
    assert dashboard(center=None, today=dt.date(2026, 10, 20))["charts"][0]["bars"][-1]["value"] == "8"
