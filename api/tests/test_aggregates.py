"""Donor and coordination endpoints: the report's reach figures, the activity catalogue, the service directory."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from beneficiaries.tests.factories import BeneficiaryFactory
from cases.models import ServicePoint
from reports.models import ReportRun
from reports.services import report_content
from services.models import ServiceCategory, ServiceDelivery

NOVEMBER = dt.date(2026, 11, 1)


def _serve(world, code, n, day=dt.date(2026, 11, 10)):
    center = world.centers[code]
    category = ServiceCategory.objects.get(code="E")
    for _ in range(n):
        person = BeneficiaryFactory(center=center, registered_by=world.user(code, "reception"))
        ServiceDelivery.objects.create(
            center=center,
            beneficiary=person,
            category=category,
            type="information",
            date=day,
            staff=world.user(code, "reception"),
        )


@pytest.fixture
def served(world):
    _serve(world, "ANK", 6)
    _serve(world, "IST", 2)


def _total(rows, center, category="*"):
    return next(
        r["#reached+ind"]
        for r in rows["totals"]
        if r["#org+centre"] == center and r["#sector+code"] == category
    )


@pytest.mark.usefixtures("served")
def test_reach_is_the_reports_figures_with_small_cells_hidden(world, donor_api):
    _client, http = donor_api
    response = http.get("/api/v1/reach/monthly/?month=2026-11")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert rows["month"] == "2026-11" and rows["threshold"] == 5 and rows["report"] is None
    assert _total(rows, "ANK") == 6
    assert _total(rows, "ANK", "E") == 6
    assert _total(rows, "IST") == "<5"  # 2 people: hidden, as the report prints it
    assert _total(rows, "*") == 8  # the nation, computed before suppression
    ankara = next(r for r in rows["totals"] if r["#org+centre"] == "ANK")
    assert ankara["#adm1+name"] == "Ankara" and ankara["#date+month"] == "2026-11"
    # Every disaggregated cell of 1 to 4 people is hidden; the report's own figures say the same.
    figures = report_content(center=None, start=NOVEMBER, end=dt.date(2026, 11, 30))[1]
    assert len(rows["disaggregated"]) == len(figures["cells"])
    for row in rows["disaggregated"]:
        assert set(row) >= {"#meta+sex", "#meta+age", "#population+group", "#reached+ind"}
        assert row["#reached+ind"] == "<5" or row["#reached+ind"] >= 5


@pytest.mark.usefixtures("served")
def test_a_built_report_is_what_the_api_gives(world, donor_api):
    data = report_content(center=None, start=NOVEMBER, end=dt.date(2026, 11, 30))[1]
    run = ReportRun.objects.create(
        center=None,
        start=NOVEMBER,
        end=dt.date(2026, 11, 30),
        status="done",
        data=data,
        finished_at=timezone.now(),
    )
    _serve(world, "ANK", 3)  # registers saved after the build: the donor's PDF does not have them
    _client, http = donor_api
    rows = http.get("/api/v1/reach/monthly/?month=2026-11&center=ANK").json()
    assert rows["report"] == run.pk
    assert _total(rows, "ANK") == 6
    assert {r["#org+centre"] for r in rows["totals"]} == {"ANK"}


@time_machine.travel(dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    "query,status",
    [
        ("", 400),
        ("?month=2026-13", 400),
        ("?month=november", 400),
        ("?month=2026-12", 400),  # not over yet: no report
        ("?month=2099-01", 400),
        ("?month=2026-11&center=NOPE", 404),
    ],
)
def test_reach_refuses_what_it_cannot_answer(world, donor_api, query, status):
    _client, http = donor_api
    assert http.get(f"/api/v1/reach/monthly/{query}").status_code == status


def test_the_activity_catalogue_names_no_one(world, donor_api):
    _client, http = donor_api
    rows = http.get("/api/v1/activities/").json()["results"]
    assert {r["center"] for r in rows} == {"ANK", "IST"}
    assert all("facilitator" not in r for r in rows)
    ank = http.get("/api/v1/activities/?center=ANK&category=B").json()["results"]
    assert [r["id"] for r in ank] == [world.activities["ANK"].pk]
    assert http.get("/api/v1/activities/?category=A").json()["results"] == []


def test_the_service_directory_is_searchable(world, donor_api):
    moh = world.partner
    ServicePoint.objects.create(
        partner=moh, name="Closed", service_types=["health_care"], city="Ankara", is_active=False
    )
    school = ServicePoint.objects.create(
        partner=moh, name="School desk", service_types=["education_enrolment"], city="Ankara"
    )
    _client, http = donor_api
    rows = http.get("/api/v1/service-points/?service_type=health_care").json()["results"]
    assert [r["id"] for r in rows] == [world.service_points["ANK"].pk, world.service_points["IST"].pk]
    assert rows[0]["organisation"] == "Ministry of Health"
    assert rows[0]["service_types"] == ["health_care"]
    assert [r["id"] for r in http.get("/api/v1/service-points/?city=ankara").json()["results"]] == [
        world.service_points["ANK"].pk,
        school.pk,
    ]
    assert len(http.get("/api/v1/service-points/?district=Fatih").json()["results"]) == 1
    assert http.get("/api/v1/service-points/?service_type=magic").status_code == 400
