"""Listening: outreach visits and needs interviews, needs versus offer, the offline form, feedback."""

import datetime as dt
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from beneficiaries.tests.factories import BeneficiaryFactory
from listening import selectors, services, xlsform
from listening.models import Feedback, InterviewNeed, NeedsInterview, OutreachVisit
from privacy.services import person_anonymise, subject_data
from reports.services import report_tables
from services.models import Attendance, ServiceCategory
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def url(name, center="ANK", **kwargs):
    return reverse(f"listening:{name}", kwargs={"center": center, **kwargs})


def login(client, world, role, center="ANK"):
    client.force_login(world.user(center if role not in ("data_protection_officer",) else None, role))
    return client


def interview(
    world, needs, *, center="ANK", group="temporary_protection", date=dt.date(2026, 10, 10), quote=""
):
    visit = OutreachVisit.objects.create(
        center=world.centers[center],
        date=date,
        district="Keçiören",
        created_by=world.user(center, "social_worker"),
    )
    return services.interview_save(
        visit=visit, by=world.user(center, "social_worker"), submission_id=str(uuid.uuid4()), needs=needs,
        respondent_sex="male", age_band="age_18_59", population_group=group, nationality="AF", beneficiary=None,
        quote=quote,
    )  # fmt: skip


# ---------------------------------------------------------------- ranking


def test_needs_are_ranked_by_score_then_by_how_many_named_them(world):
    # world: one ANK interview in October named language first, employment second.
    interview(world, ["employment", "language", "health"])
    interview(world, ["employment", "shelter"], group="host_community")
    interview(world, ["health"])
    interview(world, ["shelter"], center="IST")  # another centre: not counted
    interview(world, ["shelter"], date=dt.date(2026, 9, 30))  # another period: not counted

    asked, host, rows = selectors.needs_ranking(center=world.centers["ANK"], start=OCT[0], end=OCT[1])
    by_need = {r.need: r for r in rows}

    assert (asked, host) == (4, 1)
    # employment: 3 + 3 + 2 = 8; language: 3 + 2 = 5; health: 1 + 3 = 4; shelter: 2.
    assert [(r.need, r.score, r.mentions, r.first, r.rank) for r in rows[:4]] == [
        ("employment", 8, 3, 2, 1),
        ("language", 5, 2, 1, 2),
        ("health", 4, 2, 1, 3),
        ("shelter", 2, 1, 0, 4),
    ]
    assert by_need["employment"].host == 1 and by_need["employment"].migrant == 2
    assert by_need["employment"].share == 75
    # Frequent: named by at least 3 people and at least 20% of those asked.
    assert [r.need for r in rows if r.frequent] == ["employment"]
    assert by_need["food_cash"].mentions == 0 and by_need["food_cash"].rank is None


def test_a_need_cannot_be_named_twice_and_the_first_is_required():
    with pytest.raises(Exception, match="once"):
        services.ranked_needs(["language", "language"])
    with pytest.raises(Exception, match="most important"):
        services.ranked_needs(["", "", ""])
    assert services.ranked_needs(["health", "", ""]) == ["health"]


def test_needs_versus_offer_states_the_gaps(world):
    for _ in range(3):
        interview(world, ["children_education", "language"])
    center = world.centers["ANK"]
    b = ServiceCategory.objects.get(code="B")
    course = ActivityFactory(
        center=center, category=b, name="Turkish A1", need="language", capacity=2,
        starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 12, 20),
    )  # fmt: skip
    for i in range(2 + 5):
        status = "enrolled" if i < 2 else "waitlisted"
        EnrollmentFactory(activity=course, beneficiary=BeneficiaryFactory(center=center), status=status)
    session = SessionFactory(activity=course, date=dt.date(2026, 10, 12))
    person = course.enrollments.filter(status="enrolled").first().beneficiary
    Attendance.objects.create(
        session=session, beneficiary=person, present=True, recorded_by=world.user("ANK", "trainer")
    )

    result = selectors.needs_offer(center=center, start=OCT[0], end=OCT[1])
    rows = {r.need: r for r in result.needs}

    assert rows["language"].activities == [course]
    assert (rows["language"].places, rows["language"].taken, rows["language"].waiting) == (2, 2, 5)
    assert rows["language"].used_by == 1
    assert result.full_courses == [course]
    gaps = "\n".join(result.gaps)
    assert "Children's education: named by 3 of 4 people asked (rank 2), and no activity answers it." in gaps
    assert "Language: named by 4 of 4 people asked (rank 1); every place is taken and 5 people wait." in gaps
    assert "Turkish A1 is full (2 places) and 5 people are on the waiting list." in gaps
    assert result.visits == 4 and result.households == 12


def test_host_participants_of_integration_activities_are_shown(world):
    center = world.centers["ANK"]
    f = ServiceCategory.objects.get(code="F")
    activity = ActivityFactory(center=center, category=f, name="Neighbours' picnic", need="social_cohesion")
    session = SessionFactory(activity=activity, date=dt.date(2026, 10, 20))
    for group in ("host_community", "host_community", "temporary_protection"):
        person = BeneficiaryFactory(center=center, population_group=group)
        Attendance.objects.create(
            session=session, beneficiary=person, present=True, recorded_by=world.user("ANK", "trainer")
        )

    result = selectors.needs_offer(center=center, start=OCT[0], end=OCT[1])
    row = next(r for r in result.categories if r["category"] and r["category"].code == "F")
    assert (row["reached"], row["host"], row["integration"]) == (3, 2, True)


def test_the_needs_page_and_its_download(client, world):
    login(client, world, "social_worker")
    response = client.get(url("needs_offer"), {"start": "2026-10-01", "end": "2026-10-31"})
    assert response.status_code == 200
    assert "We need Turkish to find work." in response.text
    response = client.get(url("needs_offer_export", fmt="xlsx"), {"start": "2026-10-01", "end": "2026-10-31"})
    book = load_workbook(io.BytesIO(response.content))
    needs = list(book["Needs"].iter_rows(values_only=True))
    assert needs[1][:3] == (1, "Language", 1)
    # Quotes stay in Toplum; migrants and host counts from 1 to 4 are hidden.
    assert not any(
        "Turkish to find work" in str(c) for s in book for r in s.iter_rows(values_only=True) for c in r
    )
    assert needs[1][6] == "<5"


def test_a_wrong_period_is_a_form_error_not_a_500(client, world):
    login(client, world, "center_manager")
    response = client.get(url("needs_offer"), {"start": "2026-10-31", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "The period must end after it starts." in response.text


def test_needs_page_queries_do_not_grow_with_interviews_and_activities(
    client, world, django_assert_max_num_queries
):
    for i in range(30):
        interview(world, ["language", "health", "shelter"], quote=f"quote {i}")
        ActivityFactory(center=world.centers["ANK"], need="language", name=f"Course {i}")
    login(client, world, "center_manager")
    # 30 interviews (90 needs) and 30 activities: session, user, 2FA, roles, centre, two centre lists of the
    # menu; people asked, needs, visits, activities, marks, reach (2), categories, feedback, quotes (2), session.
    with django_assert_max_num_queries(21):
        assert client.get(url("needs_offer")).status_code == 200


# ---------------------------------------------------------------- recording visits and interviews


def test_a_social_worker_records_a_visit_and_interviews_once_each(client, world):
    login(client, world, "social_worker")
    token = str(uuid.uuid4())
    data = {"token": token, "date": "2026-11-20", "district": "Altındağ", "neighbourhood": "Ulubey",
            "households_visited": "9", "staff": [world.user("ANK", "trainer").pk]}  # fmt: skip
    first = client.post(url("visit_create"), data)
    second = client.post(url("visit_create"), data)  # a double click
    visit = OutreachVisit.objects.get(neighbourhood="Ulubey")
    assert first["Location"] == second["Location"] == url("visit_detail", pk=visit.pk)
    assert set(visit.staff.values_list("username", flat=True)) == {"ank_social_worker", "ank_trainer"}

    answer = {"token": str(uuid.uuid4()), "respondent_sex": "female", "age_band": "age_60_plus",
              "population_group": "host_community", "nationality": "TR", "need_1": "health", "need_2": "social_cohesion",
              "need_3": "", "quote": "Komşularımızı tanımak isteriz", "registration_number": world.people["ANK"].registration_number}  # fmt: skip
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
    data = {"token": str(uuid.uuid4()), "respondent_sex": "male", "age_band": "age_18_59",
            "population_group": "temporary_protection", "need_1": "health", "need_2": "language", **change}  # fmt: skip
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
            visit=visit, by=world.user("ANK", "social_worker"), submission_id=f"x{i}", needs=["language", "health"],
            respondent_sex="male", age_band="age_18_59", population_group="temporary_protection", nationality="",
            beneficiary=world.people["ANK"], quote="",
        )  # fmt: skip
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
        "start", "visit_date", "district", "neighbourhood", "households_visited", "respondent_sex", "age_band",
        "population_group", "nationality", "registration_number", "need_1", "need_2", "need_3", "quote",
        "center", "meta/instanceID", "_uuid", "_submitted_by",
    ]  # fmt: skip
    return [header, *rows]


def row(uid, **values):
    base = {
        "start": "2026-11-02T09:00:00", "visit_date": "2026-11-02", "district": "Karatay", "neighbourhood": "Fetih",
        "households_visited": "14", "respondent_sex": "female", "age_band": "age_18_59",
        "population_group": "temporary_protection", "nationality": "SY", "registration_number": "",
        "need_1": "language", "need_2": "employment", "need_3": "", "quote": "", "center": "ANK",
        "meta/instanceID": f"uuid:{uid}", "_uuid": uid, "_submitted_by": "ank_psychologist",
    }  # fmt: skip
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
    assert {(3, "need_1"), (3, "respondent_sex"), (4, "need_2"), (5, "visit_date"), (6, "center"), (7, "meta/instanceID"),
            (8, "registration_number")} <= problems  # fmt: skip
    assert (2, "need_1") not in problems
    assert (
        OutreachVisit.objects.count(),
        NeedsInterview.objects.count(),
        InterviewNeed.objects.count(),
    ) == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.csv", b"name;age\nA;3\n"), "missing columns"),
        (SimpleUploadedFile("x.xlsx", b"not a zip"), "could not be read"),
        (SimpleUploadedFile("x.pdf", b"%PDF"), "Upload a .csv or .xlsx file."),
        (SimpleUploadedFile("x.csv", b""), "empty"),
    ],
)
def test_a_file_that_is_not_the_export_is_refused_on_the_page(client, world, upload, message):
    login(client, world, "social_worker")
    response = client.post(url("interview_import"), {"file": upload})
    assert response.status_code == 200
    assert message in response.text


def test_the_import_page_lists_row_errors_and_imports_a_good_file(client, world):
    login(client, world, "social_worker")
    bad = client.post(
        url("interview_import"), {"file": csv_upload(export_rows([row("c1", need_1="flying")]))}
    )
    assert "Nothing was saved" in bad.text and "flying" in bad.text
    good = client.post(url("interview_import"), {"file": csv_upload(export_rows([row("c1")]))})
    assert good["Location"] == url("visit_list")
    assert NeedsInterview.objects.filter(submission_id="c1").exists()


# ---------------------------------------------------------------- feedback


def feedback(world, center="ANK", **fields):
    data = {"kind": "complaint", "channel": "desk", "text": "The trainer shouted at my son.", "sensitive": True,
            "received_by": world.user(center, "reception")}  # fmt: skip
    data.update(fields)
    return Feedback.objects.create(center=world.centers[center], **data)


@pytest.mark.parametrize(
    ("role", "sees"),
    [("center_manager", True), ("data_protection_officer", True), ("social_worker", False)],
)
def test_sensitive_feedback_is_seen_only_by_the_manager_and_the_dpo(client, world, role, sees):
    sensitive = feedback(world)
    login(client, world, role)
    listed = client.get(url("feedback_list"))
    assert (f"#{sensitive.pk}" in listed.text) is sees
    assert client.get(url("feedback_detail", pk=sensitive.pk)).status_code == (200 if sees else 404)
    assert f"#{world.feedback['ANK'].pk}" in listed.text  # ordinary feedback: everyone who reads feedback


def test_the_dpo_reads_feedback_but_cannot_answer_it(client, world):
    login(client, world, "data_protection_officer")
    item = world.feedback["ANK"]
    response = client.post(url("feedback_detail", pk=item.pk), {"status": "closed", "answer": "Done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_reception_records_sensitive_feedback_it_cannot_read_afterwards(client, world):
    login(client, world, "reception")
    data = {"token": str(uuid.uuid4()), "kind": "complaint", "channel": "phone", "received_on": "2026-11-20",
            "text": "A volunteer asked for money.", "sensitive": "on", "contact": "+90 532 000 00 00"}  # fmt: skip
    response = client.post(url("feedback_create"), data)
    client.post(url("feedback_create"), data)  # a double click
    saved = Feedback.objects.get(text="A volunteer asked for money.")
    assert response["Location"] == url("feedback_create")
    assert saved.sensitive and saved.received_by == world.user("ANK", "reception")


def test_anonymous_feedback_names_nobody(client, world):
    login(client, world, "reception")
    data = {"token": str(uuid.uuid4()), "kind": "suggestion", "channel": "box", "received_on": "2026-11-20",
            "text": "More Turkish classes", "anonymous": "on", "contact": "0532"}  # fmt: skip
    response = client.post(url("feedback_create"), data)
    assert "Anonymous feedback names nobody" in response.text
    assert not Feedback.objects.filter(text="More Turkish classes").exists()


def test_closing_needs_the_answer_and_stamps_the_date(client, world):
    login(client, world, "social_worker")
    item = world.feedback["ANK"]
    response = client.post(url("feedback_detail", pk=item.pk), {"status": "closed", "answer": " "})
    assert "Write the answer given before closing." in response.text
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "closed", "answer": "Saturday hours from January."}
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.closed_by) == (
        "closed",
        timezone.localdate(),
        world.user("ANK", "social_worker"),
    )


def test_the_manager_flags_feedback_as_sensitive_after_the_fact_and_the_social_worker_loses_it(client, world):
    item = world.feedback["ANK"]
    login(client, world, "social_worker")
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "in_progress", "answer": "", "sensitive": "on"}
    )
    item.refresh_from_db()
    assert not item.sensitive  # the social worker has no such field: the flag is not theirs to set
    login(client, world, "center_manager")
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "in_progress", "answer": "", "sensitive": "on"}
    )
    item.refresh_from_db()
    assert item.sensitive and item.status == "in_progress"
    login(client, world, "social_worker")
    assert client.get(url("feedback_detail", pk=item.pk)).status_code == 404


def test_feedback_open_for_more_than_14_days_is_listed_first(client, world, django_assert_max_num_queries):
    today = timezone.localdate()
    old = feedback(world, sensitive=False, received_on=today - dt.timedelta(days=15))
    for i in range(20):
        feedback(world, sensitive=False, text=f"f{i}", received_on=today - dt.timedelta(days=i % 14))
    login(client, world, "social_worker")
    # 22 pieces of feedback: count, page, the waiting list, on top of the 10 every page costs.
    with django_assert_max_num_queries(13):
        response = client.get(url("feedback_list"))
    assert [f.pk for f in response.context["waiting"]] == [old.pk]
    assert "15 days" in response.text


def test_monthly_reports_count_feedback(world):
    world.feedback["ANK"].delete()
    feedback(world, received_on=dt.date(2026, 10, 2))  # open at the end of October, late
    feedback(world, received_on=dt.date(2026, 10, 25))  # open, not late
    feedback(world, kind="thanks", received_on=dt.date(2026, 9, 20), status="closed", answer="Thank you",
             closed_on=dt.date(2026, 10, 3))  # fmt: skip
    feedback(world, center="IST", received_on=dt.date(2026, 10, 9))
    tables = report_tables(center=None, start=OCT[0], end=OCT[1])
    rows = {(r[0], r[1]): r[2:] for r in tables["Feedback"][1:]}
    assert rows[("ANK", "Complaint")] == [2, 0, 2, 1]
    assert rows[("ANK", "Thanks")] == [0, 1, 0, 0]
    assert rows[("All centres", "Complaint")] == [3, 0, 3, 2]


# ---------------------------------------------------------------- data protection


def test_subject_export_and_anonymisation_cover_interviews_and_feedback(world):
    person = world.people["ANK"]
    item = interview(world, ["health"], quote="My name is Ahmad and my back hurts")
    item.beneficiary = person
    item.save()
    said = feedback(world, sensitive=False, beneficiary=person, contact="0532 111 22 33")
    data = subject_data(person=person)
    assert [r["id"] for r in data["needs_interviews"]] == [item.pk]
    assert [r["id"] for r in data["feedback"]] == [said.pk]

    person_anonymise(person=person, reason="erasure_request")
    item.refresh_from_db()
    said.refresh_from_db()
    assert (item.quote, said.text, said.contact) == ("", "", "")
    assert [n.need for n in item.needs.all()] == ["health"]  # still counted
