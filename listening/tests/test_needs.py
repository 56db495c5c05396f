"""Needs versus offer: ranking, gaps, the page and its download."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from beneficiaries.tests.factories import BeneficiaryFactory
from listening import selectors, services
from listening.tests.helpers import OCT, interview, login, url
from services.models import Attendance, ServiceCategory
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

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
        center=center,
        category=b,
        name="Turkish A1",
        need="language",
        capacity=2,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 12, 20),
    )
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
