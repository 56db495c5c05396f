"""Edge cases an independent check found counting wrongly (issue 15, item 3)."""

import datetime as dt

from beneficiaries import services as people
from beneficiaries.tests.factories import BeneficiaryFactory
from privacy.services import person_anonymise
from reports.reach import reach
from reports.services import _month_end, report_tables
from services.models import ServiceCategory, ServiceDelivery

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


def _served(world, person, day=dt.date(2026, 10, 10)):
    ServiceDelivery.objects.create(
        center=world.centers["ANK"],
        beneficiary=person,
        category=ServiceCategory.objects.get(code="E"),
        type="information",
        date=day,
        staff=world.user("ANK", "reception"),
    )


def _person(world, **fields):
    return BeneficiaryFactory(
        center=world.centers["ANK"], registered_by=world.user("ANK", "reception"), **fields
    )


def test_a_chain_of_merges_counts_the_final_survivor_once(world):
    a = _person(world, first_name="Ali", sex="male", birth_year=1990)
    b = _person(world, first_name="Aly", sex="male", birth_year=1990)
    c = _person(world, first_name="Alia", sex="female", birth_year=1990)
    _served(world, a)
    _served(world, b)
    manager = world.user("ANK", "center_manager")
    people.beneficiary_merge(survivor=b, other=a, by=manager)
    people.beneficiary_merge(survivor=c, other=b, by=manager)

    a.refresh_from_db()
    assert a.merged_into_id == c.pk  # re-pointed: no chain is left behind
    counted = reach(start=START, end=END, center_ids=[world.centers["ANK"].pk])
    ank = world.centers["ANK"].pk
    assert counted.totals[(ank, "E")] == 1
    assert counted.cells[(ank, "E", "female", "18-59", "migrant")] == 1  # as C, the survivor
    assert (ank, "E", "male", "18-59", "migrant") not in counted.cells


def test_a_merge_that_brings_a_date_of_birth_brings_its_year(world):
    survivor = _person(world, first_name="Omar", birth_year=2008, birth_year_estimated=True)
    other = _person(world, first_name="Omer", birth_year=2009, date_of_birth=dt.date(2007, 11, 15))
    merged = people.beneficiary_merge(survivor=survivor, other=other, by=world.user("ANK", "center_manager"))
    assert merged.date_of_birth == dt.date(2007, 11, 15)
    assert (merged.birth_year, merged.birth_year_estimated) == (2007, False)
    _served(world, merged)
    ank = world.centers["ANK"].pk
    # 18 on 31 October 2026 on the profile and in the report alike.
    assert merged.age_on(END) == 18
    assert reach(start=START, end=END, center_ids=[ank]).cells[(ank, "E", "male", "18-59", "migrant")] == 1


def test_anonymising_a_person_leaves_a_rebuilt_past_report_unchanged(world):
    # 17 on 31 October 2026: the birthday comes in November. Without the month, the age would be 18.
    person = _person(
        world, first_name="Rojin", sex="female", birth_year=2009, date_of_birth=dt.date(2009, 11, 20)
    )
    _served(world, person)
    ank = world.centers["ANK"].pk
    before = reach(start=START, end=END, center_ids=[ank])
    person_anonymise(person=person, reason="erasure_request")
    after = reach(start=START, end=END, center_ids=[ank])
    assert after.cells == before.cells and after.totals == before.totals
    assert after.cells[(ank, "E", "female", "12-17", "migrant")] == 1
    person.refresh_from_db()
    assert person.first_name == "ANONYMISED" and person.date_of_birth.day == 1


def test_small_cells_are_hidden_in_the_centre_by_category_table_too(world, settings):
    settings.REPORT_SMALL_CELL_THRESHOLD = 5
    for name in ("Hevin", "Dilan"):
        _served(world, _person(world, first_name=name))
    tables = report_tables(center=world.centers["ANK"], start=START, end=END)
    people_reached = next(rows for title, rows in tables.items() if str(title) == "People reached")
    assert [row[2] for row in people_reached[1:]] == ["<5"] * (len(people_reached) - 1)


def test_a_centre_closed_later_still_appears_in_a_rebuilt_report_of_a_month_it_was_open(world):
    ist = world.centers["IST"]
    ServiceDelivery.objects.create(
        center=ist,
        beneficiary=world.people["IST"],
        category=ServiceCategory.objects.get(code="E"),
        type="information",
        date=dt.date(2026, 10, 10),
        staff=world.user("IST", "reception"),
    )
    ist.status = ist.Status.CLOSED
    ist.save()
    tables = report_tables(center=None, start=START, end=END)
    people_reached = next(rows for title, rows in tables.items() if str(title) == "People reached")
    assert "IST" in [row[0] for row in people_reached[1:]]


def test_a_centre_with_costs_earlier_in_the_year_and_none_this_month_gets_its_report(world):
    from finance.models import CostEntry, FundingSource

    fund = FundingSource.objects.create(
        name="Appeal",
        donor="Donors",
        amount=1000,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    CostEntry.objects.create(
        center=world.centers["ANK"],
        month=dt.date(2026, 9, 1),
        type="rent",
        amount=1000,
        currency="USD",
        funding_source=fund,
    )
    tables = report_tables(center=world.centers["ANK"], start=START, end=END)  # October: no cost, no contact
    year = next(rows for title, rows in tables.items() if str(title) == "Cost per person, year to date")
    assert "ANK" in [row[0] for row in year[1:]]


def test_new_registrations_stay_with_the_centre_where_people_registered_after_a_transfer(world):
    from cases import services as case_services
    from cases.models import Transfer

    ist, ank = world.centers["IST"], world.centers["ANK"]
    person = world.people["IST"]
    month = person.registered_at.date().replace(day=1)
    last_day = _month_end(month)
    before = reach(start=month, end=last_day).new_registrations
    transfer = Transfer.objects.get(case=world.cases["IST"], to_center=ank)
    case_services.transfer_decide(transfer=transfer, by=world.user("ANK", "center_manager"), accept=True)
    person.refresh_from_db()
    assert person.center == ank and person.registered_center == ist
    assert reach(start=month, end=last_day).new_registrations == before
    assert before[ist.pk] >= 1
