"""Every cell of the reach report against a brute-force count over the raw rows."""

import datetime as dt
import random
from collections import defaultdict

import pytest

from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from cases.models import Case, FollowUp
from core.counting import AGE_BANDS, ALL
from reports.reach import reach
from services.models import Attendance, ServiceCategory, ServiceDelivery, Session
from services.tests.factories import ActivityFactory

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


def band(person: Beneficiary) -> str:
    age = person.age_on(END)
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


def brute_force(center_ids):
    """DESIGN.md's rules, in plain Python over every contact row."""
    contacts = []
    for a in Attendance.objects.select_related("session__activity__category"):
        if a.present and START <= a.session.date <= END:
            contacts.append(
                (a.beneficiary_id, a.session.activity.center_id, a.session.activity.category.code)
            )
    for d in ServiceDelivery.objects.select_related("category"):
        if START <= d.date <= END:
            contacts.append((d.beneficiary_id, d.center_id, d.category.code))
    for f in FollowUp.objects.select_related("case"):
        if START <= f.date <= END:
            contacts.append((f.case.beneficiary_id, f.center_id, "F"))
    contacts = [c for c in contacts if c[1] in center_ids]
    people = {p.pk: p for p in Beneficiary.objects.all()}

    def survivor(pk):
        person = people[pk]
        return people[person.merged_into_id] if person.merged_into_id else person

    cells, totals, counts = defaultdict(set), defaultdict(set), defaultdict(int)
    for person_id, center, category in contacts:
        person = survivor(person_id)
        group = "host" if person.population_group == "host_community" else "migrant"
        for c in (center, ALL):
            for k in (category, ALL):
                cells[(c, k, person.sex, band(person), group)].add(person.pk)
                totals[(c, k)].add(person.pk)
                counts[(c, k)] += 1
    return {k: len(v) for k, v in cells.items()}, {k: len(v) for k, v in totals.items()}, dict(counts)


@pytest.fixture
def generated(world):
    rng = random.Random(11)
    centers = [world.centers["ANK"], world.centers["IST"]]
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    activities = [
        ActivityFactory(center=center, category=categories[code], name=f"{center.code}-{code}")
        for center in centers
        for code in "ABCD"
    ]
    sessions = [
        Session.objects.create(activity=a, date=day, starts_at=dt.time(10), ends_at=dt.time(11))
        for a in activities
        for day in (dt.date(2026, 9, 30), dt.date(2026, 10, 5), dt.date(2026, 10, 31), dt.date(2026, 11, 1))
    ]
    people = []
    for _ in range(60):
        center = rng.choice(centers)
        kwargs = (
            {"date_of_birth": dt.date(rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28))}
            if rng.random() < 0.6
            else {}
        )
        person = BeneficiaryFactory(
            center=center,
            consents=False,
            sex=rng.choice(["female", "male", "unknown"]),
            birth_year=kwargs["date_of_birth"].year if kwargs else rng.randint(1950, 2024),
            population_group=rng.choice(["temporary_protection", "host_community", "residence_permit"]),
            **kwargs,
        )
        people.append(person)
    recorder = world.user("ANK", "trainer")
    for person in people:
        for session in rng.sample(sessions, rng.randint(0, 5)):
            Attendance.objects.get_or_create(
                session=session,
                beneficiary=person,
                defaults={"present": rng.random() < 0.7, "recorded_by": recorder},
            )
        if rng.random() < 0.3:
            ServiceDelivery.objects.create(
                center=rng.choice(centers),
                beneficiary=person,
                category=categories["E"],
                type="information",
                date=rng.choice([dt.date(2026, 10, 15), dt.date(2026, 9, 1)]),
                staff=recorder,
            )
        if rng.random() < 0.2:
            case = Case.objects.create(
                center=person.center, beneficiary=person, caseworker=recorder, reason="r", opened_by=recorder
            )
            FollowUp.objects.create(
                case=case,
                center=person.center,
                date=dt.date(2026, 10, 20),
                type="phone",
                summary="s",
                by=recorder,
            )
    # Edge cases, by hand.
    turning_18 = BeneficiaryFactory(
        center=centers[0], consents=False, date_of_birth=dt.date(2008, 10, 31), birth_year=2008, sex="female"
    )
    Attendance.objects.create(session=sessions[1], beneficiary=turning_18, present=True, recorded_by=recorder)
    survivor = BeneficiaryFactory(center=centers[0], consents=False, first_name="Survivor")
    merged = BeneficiaryFactory(center=centers[0], consents=False, first_name="Merged", merged_into=survivor)
    Attendance.objects.create(session=sessions[1], beneficiary=survivor, present=True, recorded_by=recorder)
    Attendance.objects.create(session=sessions[5], beneficiary=merged, present=True, recorded_by=recorder)
    return {"centers": centers, "turning_18": turning_18, "survivor": survivor}


def test_every_cell_matches_the_brute_force_count(generated):
    center_ids = [c.pk for c in generated["centers"]]
    report = reach(start=START, end=END, center_ids=center_ids)
    cells, totals, contacts = brute_force(set(center_ids))
    assert report.cells == cells
    assert report.totals == totals
    assert report.contacts == contacts


def test_the_edge_cases_count_as_designed(generated):
    ankara = generated["centers"][0].pk
    report = reach(start=START, end=END, center_ids=[c.pk for c in generated["centers"]])
    # Turning 18 on the last day of the month: counted as an adult.
    assert report.cells.get((ankara, ALL, "female", "18-59", "migrant"), 0) >= 1
    # A person in two categories is one person in the total.
    assert report.totals[(ALL, ALL)] <= sum(v for (c, k), v in report.totals.items() if c == ALL and k != ALL)


def test_registration_alone_is_not_reach(world):
    BeneficiaryFactory(center=world.centers["ANK"], consents=False)
    report = reach(start=START, end=END, center_ids=[world.centers["ANK"].pk])
    assert report.totals.get((ALL, ALL), 0) == 0
    assert report.new_registrations[ALL] >= 0


def test_national_totals_count_a_person_served_by_two_centres_once(world):
    person = world.people["ANK"]
    recorder = world.user("ANK", "trainer")
    for code in ("ANK", "IST"):
        activity = ActivityFactory(center=world.centers[code], name=f"two-centres-{code}")
        session = Session.objects.create(
            activity=activity, date=dt.date(2026, 10, 10), starts_at=dt.time(10), ends_at=dt.time(11)
        )
        Attendance.objects.create(session=session, beneficiary=person, present=True, recorded_by=recorder)
    report = reach(start=START, end=END, center_ids=[world.centers["ANK"].pk, world.centers["IST"].pk])
    assert report.totals[(world.centers["ANK"].pk, ALL)] == 1
    assert report.totals[(world.centers["IST"].pk, ALL)] == 1
    assert report.totals[(ALL, ALL)] == 1


def test_a_merged_duplicate_counts_as_its_survivor(world):
    recorder = world.user("ANK", "trainer")
    survivor = BeneficiaryFactory(center=world.centers["ANK"], consents=False, sex="female", birth_year=1990)
    merged = BeneficiaryFactory(
        center=world.centers["ANK"], consents=False, sex="unknown", birth_year=2020, merged_into=survivor
    )
    for name, person in (("one", survivor), ("two", merged)):
        activity = ActivityFactory(center=world.centers["ANK"], name=f"merged-{name}")
        session = Session.objects.create(
            activity=activity, date=dt.date(2026, 10, 10), starts_at=dt.time(10), ends_at=dt.time(11)
        )
        Attendance.objects.create(session=session, beneficiary=person, present=True, recorded_by=recorder)
    report = reach(start=START, end=END, center_ids=[world.centers["ANK"].pk])
    assert report.totals[(ALL, ALL)] == 1
    # Counted with the survivor's sex and age, not the merged record's.
    assert report.cells == {
        (c, k, "female", "18-59", "migrant"): 1 for c in (world.centers["ANK"].pk, ALL) for k in ("B", ALL)
    }
    assert report.contacts[(ALL, ALL)] == 2
