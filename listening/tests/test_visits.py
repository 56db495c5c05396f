"""Outreach visits and interviews, on the page and through the offline form."""

import datetime as dt
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from audit.models import AuditEvent
from core.tests import xlsx
from listening import services, xlsform
from listening.models import InterviewImport, InterviewNeed, NeedsInterview, OutreachVisit
from listening.tests.helpers import login, url

# ---------------------------------------------------------------- recording visits and interviews


def test_a_social_worker_records_a_visit_and_interviews_once_each(client, world):
    login(client, world, "social_worker")
    token = str(uuid.uuid4())
    data = {
        "token": token,
        "date": "2026-11-20",
        "district": "Altındağ",
        "neighbourhood": "Ulubey",
        "households_visited": "9",
        "staff": [world.user("ANK", "trainer").pk],
    }
    first = client.post(url("visit_create"), data)
    second = client.post(url("visit_create"), data)  # a double click
    visit = OutreachVisit.objects.get(neighbourhood="Ulubey")
    assert first["Location"] == second["Location"] == url("visit_detail", pk=visit.pk)
    assert set(visit.staff.values_list("username", flat=True)) == {"ank_social_worker", "ank_trainer"}

    answer = {
        "token": str(uuid.uuid4()),
        "respondent_sex": "female",
        "age_band": "age_60_plus",
        "population_group": "host_community",
        "nationality": "TR",
        "need_1": "health",
        "need_2": "social_cohesion",
        "need_3": "",
        "quote": "Komşularımızı tanımak isteriz",
        "registration_number": world.people["ANK"].registration_number,
    }
    client.post(url("visit_detail", pk=visit.pk), answer)
    client.post(url("visit_detail", pk=visit.pk), answer)
    saved = visit.interviews.get()
    assert saved.beneficiary == world.people["ANK"]
    assert list(saved.needs.values_list("need", "rank")) == [("health", 1), ("social_cohesion", 2)]


def test_a_visit_is_corrected_and_a_mistaken_interview_removed(client, world):
    login(client, world, "center_manager")
    visit = world.visits["ANK"]
    response = client.post(
        url("visit_edit", pk=visit.pk),
        {"date": "2026-10-06", "district": "Altındağ", "neighbourhood": "Ulubey", "households_visited": "15"},
    )
    assert response["Location"] == url("visit_detail", pk=visit.pk)
    visit.refresh_from_db()
    assert (visit.date, visit.neighbourhood, visit.households_visited) == (dt.date(2026, 10, 6), "Ulubey", 15)
    # Whoever recorded the visit stays on it.
    assert list(visit.staff.values_list("username", flat=True)) == ["ank_social_worker"]

    response = client.post(url("interview_remove", pk=world.interviews["ANK"].pk))
    assert response["Location"] == url("visit_detail", pk=visit.pk)
    assert not visit.interviews.exists() and not InterviewNeed.objects.filter(interview__visit=visit).exists()
    assert client.post(url("interview_remove", pk=world.interviews["IST"].pk)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"need_2": "health"}, "need_2", "Each need can be named once."),
        ({"need_2": "", "need_3": "language"}, "need_3", "Fill in the second need before the third."),
        ({"need_1": ""}, "need_1", "This field is required."),
        ({"registration_number": "IST-2026-000001"}, "registration_number", "No one with this number"),
    ],
)
def test_a_wrong_interview_is_refused_with_the_reason(client, world, change, field, message):
    login(client, world, "social_worker")
    visit = world.visits["ANK"]
    data = {
        "token": str(uuid.uuid4()),
        "respondent_sex": "male",
        "age_band": "age_18_59",
        "population_group": "temporary_protection",
        "need_1": "health",
        "need_2": "language",
        **change,
    }
    response = client.post(url("visit_detail", pk=visit.pk), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert visit.interviews.count() == 1  # the world's only


def test_a_visit_in_the_future_is_refused(client, world):
    login(client, world, "social_worker")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        url("visit_create"), {"token": str(uuid.uuid4()), "date": tomorrow, "district": "X"}
    )
    assert "This date is in the future." in response.text
    assert OutreachVisit.objects.count() == 2


def test_visit_pages_keep_their_query_count(client, world, django_assert_max_num_queries):
    visit = world.visits["ANK"]
    for i in range(25):
        services.interview_save(
            visit=visit,
            by=world.user("ANK", "social_worker"),
            submission_id=f"x{i}",
            needs=["language", "health"],
            respondent_sex="male",
            age_band="age_18_59",
            population_group="temporary_protection",
            nationality="",
            beneficiary=world.people["ANK"],
            quote="",
        )
        OutreachVisit.objects.create(
            center=world.centers["ANK"], district=f"D{i}", created_by=world.user("ANK", "social_worker")
        )
    login(client, world, "social_worker")
    # 27 visits, 26 interviews with 52 needs. Page: count, visits. Visit: visit, staff, interviews, their needs.
    with django_assert_max_num_queries(12):
        assert client.get(url("visit_list")).status_code == 200
    with django_assert_max_num_queries(14):  # + the session's savepoint and release
        assert client.get(url("visit_detail", pk=visit.pk)).status_code == 200


# ---------------------------------------------------------------- the offline form


def test_the_xlsform_is_valid_for_pyxform_and_asks_the_web_forms_questions(client, world):
    from pyxform.xls2xform import convert

    login(client, world, "social_worker")
    response = client.get(url("xlsform"))
    assert response.status_code == 200
    warnings = []
    result = convert(xlsform=io.BytesIO(response.content), warnings=warnings, file_type=".xlsx")
    xform = result.xform
    for name in ["visit_date", "district", "respondent_sex", "need_1", "need_2", "need_3", "quote", "center"]:
        assert f"/{name}" in xform
    assert "'ANK'" in xform  # the centre is filled in by the form
    assert "Eğitim" in xform or "Türkçe (tr)" in xform  # labels in every language of the app
    assert "لغة" in xform or "العربية (ar)" in xform
    assert not [w for w in warnings if "error" in w.lower()]


def export_rows(rows, header=None):
    header = header or [
        "start",
        "visit_date",
        "district",
        "neighbourhood",
        "households_visited",
        "respondent_sex",
        "age_band",
        "population_group",
        "nationality",
        "registration_number",
        "need_1",
        "need_2",
        "need_3",
        "quote",
        "center",
        "meta/instanceID",
        "_uuid",
        "_submitted_by",
    ]
    return [header, *rows]


def row(uid, **values):
    base = {
        "start": "2026-11-02T09:00:00",
        "visit_date": "2026-11-02",
        "district": "Karatay",
        "neighbourhood": "Fetih",
        "households_visited": "14",
        "respondent_sex": "female",
        "age_band": "age_18_59",
        "population_group": "temporary_protection",
        "nationality": "SY",
        "registration_number": "",
        "need_1": "language",
        "need_2": "employment",
        "need_3": "",
        "quote": "",
        "center": "ANK",
        "meta/instanceID": f"uuid:{uid}",
        "_uuid": uid,
        "_submitted_by": "ank_psychologist",
    }
    base.update(values)
    return list(base.values())


def xlsx_upload(rows, name="export.xlsx"):
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_upload(rows, sep=";", name="export.csv"):
    text = "\n".join(sep.join(f'"{c}"' for c in r) for r in rows)
    return SimpleUploadedFile(name, text.encode())


def test_import_creates_visits_and_interviews_and_a_second_import_adds_nothing(world):
    rows = export_rows(
        [
            row("a1", quote="Kursa gitmek istiyorum"),
            row(
                "a2", households_visited="16.0", need_1="Health", need_2="", population_group="Host community"
            ),
            row("a3", visit_date="2026-11-03", district="Meram", neighbourhood=""),
        ]
    )
    by = world.user("ANK", "social_worker")
    result = xlsform.interviews_import(center=world.centers["ANK"], by=by, upload=xlsx_upload(rows))
    assert (result.created, result.already, result.visits, result.errors) == (3, 0, 2, [])
    fetih = OutreachVisit.objects.get(neighbourhood="Fetih")
    assert fetih.households_visited == 16 and fetih.source == "import"
    assert set(fetih.staff.values_list("username", flat=True)) == {"ank_social_worker", "ank_psychologist"}
    # Labels are read as well as codes.
    host = NeedsInterview.objects.get(submission_id="a2")
    assert host.population_group == "host_community" and [n.need for n in host.needs.all()] == ["health"]

    again = xlsform.interviews_import(center=world.centers["ANK"], by=by, upload=csv_upload(rows))
    assert (again.created, again.already, again.visits) == (0, 3, 0)
    assert NeedsInterview.objects.filter(visit__center=world.centers["ANK"]).count() == 4

    # A later export holds the old rows and new ones: only the new are added, to the same visit.
    later = export_rows([*rows[1:], row("a4")])
    third = xlsform.interviews_import(center=world.centers["ANK"], by=by, upload=csv_upload(later, sep=","))
    assert (third.created, third.already, third.visits) == (1, 3, 0)
    assert fetih.interviews.count() == 3


def test_one_wrong_row_saves_nothing_and_every_problem_is_named(world):
    rows = export_rows(
        [
            row("b1"),
            row("b2", need_1="", respondent_sex="x"),
            row("b3", need_2="language"),
            row("b4", visit_date="2031-01-01"),
            row("b5", center="IST"),
            row("", district="Meram"),
            row("b7", registration_number="ANK-2026-999999"),
        ]
    )
    before = (OutreachVisit.objects.count(), NeedsInterview.objects.count(), InterviewNeed.objects.count())
    result = xlsform.interviews_import(
        center=world.centers["ANK"], by=world.user("ANK", "social_worker"), upload=xlsx_upload(rows)
    )
    assert result.created == 0
    problems = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "need_1"),
        (3, "respondent_sex"),
        (4, "need_2"),
        (5, "visit_date"),
        (6, "center"),
        (7, "meta/instanceID"),
        (8, "registration_number"),
    } <= problems
    assert (2, "need_1") not in problems
    assert (
        OutreachVisit.objects.count(),
        NeedsInterview.objects.count(),
        InterviewNeed.objects.count(),
    ) == before


@pytest.fixture
def send(client, celery_eager, django_capture_on_commit_callbacks):
    """Post a file to the import page, let the task run (in the test's process), follow to where it leads."""

    def post(file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("interview_import"), {"file": file})
        return client.get(response["Location"]) if response.status_code == 302 else response

    return post


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("x.xlsx", b"not a zip"), "could not be read"),
        (lambda: SimpleUploadedFile("x.pdf", b"%PDF"), "Upload a .csv or .xlsx file."),
        (lambda: SimpleUploadedFile("x.csv", b""), "empty"),
        (lambda: xlsx.upload(xlsx.zip_bomb(), "x.xlsx"), "unpacks to more than 50 MB"),
        (lambda: xlsx.upload(xlsx.with_entities(export_rows([row("d1")])), "x.xlsx"), "document type"),
        (lambda: xlsx.upload(xlsx.with_malformed_xml(export_rows([row("d1")])), "x.xlsx"), "well-formed"),
    ],
    ids=["not-a-zip", "pdf", "empty", "zip-bomb", "dtd-entities", "malformed-xml"],
)
def test_a_file_no_import_should_read_is_a_form_error(client, world, upload, message):
    login(client, world, "social_worker")
    response = client.post(url("interview_import"), {"file": upload()})
    assert response.status_code == 200
    assert message in response.text
    assert not InterviewImport.objects.exists()


def test_a_file_that_is_not_the_export_is_refused_on_the_import_page(client, world, send):
    login(client, world, "social_worker")
    page = send(SimpleUploadedFile("x.csv", b"name;age\nA;3\n"))
    assert "Nothing was saved" in page.text and "missing columns" in page.text
    assert InterviewImport.objects.get().status == "refused"


def test_the_import_page_lists_row_errors_and_imports_a_good_file(client, world, send):
    login(client, world, "social_worker")
    bad = send(csv_upload(export_rows([row("c1", need_1="flying")])))
    assert "Nothing was saved" in bad.text and "flying" in bad.text and "need_1" in bad.text
    assert not NeedsInterview.objects.filter(submission_id="c1").exists()
    good = send(csv_upload(export_rows([row("c1")])))
    assert "1 interviews imported in 1 new visits; 0 were already here." in good.text
    assert NeedsInterview.objects.filter(submission_id="c1").exists()
    job = InterviewImport.objects.get(status="done")
    assert (job.created, job.visits, job.already, job.progress, job.file.name) == (1, 1, 0, 100, "")


def test_an_imported_interview_is_audited_as_the_person_who_sent_the_file(client, world, send):
    login(client, world, "social_worker")
    send(csv_upload(export_rows([row("e1")])))
    interview = NeedsInterview.objects.get(submission_id="e1")
    event = AuditEvent.objects.get(object_type="listening.needsinterview", object_id=str(interview.pk))
    assert event.actor == world.user("ANK", "social_worker") and event.ip_address == "127.0.0.1"


def test_an_import_over_the_row_cap_stops_and_says_so(client, world, send, settings):
    settings.IMPORT_MAX_ROWS = 2
    login(client, world, "social_worker")
    page = send(csv_upload(export_rows([row(f"f{n}") for n in range(3)])))
    assert "Import 2 rows at most at a time." in page.text
    assert not NeedsInterview.objects.filter(submission_id__startswith="f").exists()


def test_a_broken_import_shows_a_failed_state(client, world, send, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("worker lost its disk")

    monkeypatch.setattr("listening.xlsform.interviews_import", broken)
    login(client, world, "social_worker")
    page = send(csv_upload(export_rows([row("g1")])))
    job = InterviewImport.objects.get()
    assert job.status == "failed" and "lost its disk" in job.error and not job.file
    assert "could not be finished" in page.text


def test_an_import_of_another_centre_answers_404(client, world, assert_other_center_gets_404):
    job = InterviewImport.objects.create(
        center=world.centers["ANK"], requested_by=world.user("ANK", "social_worker"), filename="x.csv"
    )
    login(client, world, "psychologist")
    assert client.get(url("interview_import_job", pk=job.pk)).status_code == 200
    assert_other_center_gets_404(
        world.user("IST", "social_worker"), "listening:interview_import_job", center="ANK", pk=job.pk
    )
    # Under their own prefix too: the id of another centre's import finds nothing.
    assert client.get(url("interview_import_job", center="IST", pk=job.pk)).status_code == 404
