"""What the tests of the whole site add to the shared world (the root conftest.py)."""

import datetime as dt

import pytest

from beneficiaries.models import MergeRequest, PeopleImport
from finance.models import CostEntry, CostImport, FundingSource
from listening.models import InterviewImport


@pytest.fixture
def world(world):
    """The shared world, with a finished import of each kind per centre: the URL rules walk their pages.
    (Only here: the apps' own import tests start from no import at all.)"""
    world.cost_imports = {}
    world.interview_imports = {}
    world.costs = {}
    world.merge_requests = {}
    world.people_imports, world.people_imports_mapping = {}, {}
    fund = FundingSource.objects.create(
        name="Appeal",
        donor="Donors",
        amount=1_000_000,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    for code, other in (("ANK", "IST"), ("IST", "ANK")):
        # Each centre is asked to merge its person into the other centre's.
        world.merge_requests[code] = MergeRequest.objects.create(
            survivor=world.people[other],
            other=world.people[code],
            from_center=world.centers[other],
            to_center=world.centers[code],
            requested_by=world.user(other, "center_manager"),
        )
    for code, center in world.centers.items():
        world.costs[code] = CostEntry.objects.create(
            center=center,
            month=dt.date(2026, 10, 1),
            type="rent",
            amount=1000,
            currency="TRY",
            funding_source=fund,
        )
        world.cost_imports[code] = CostImport.objects.create(
            center=center,
            requested_by=world.user(code, "center_manager"),
            filename="costs.csv",
            language="en",
            status=CostImport.Status.DONE,
            progress=100,
            imported=2,
        )
        for attribute, status in (("people_imports", "checked"), ("people_imports_mapping", "mapping")):
            getattr(world, attribute)[code] = PeopleImport.objects.create(
                center=center,
                requested_by=world.user(code, "center_manager"),
                filename="people.csv",
                language="en",
                status=status,
                headers=["first_name", "sex"],
            )
        world.interview_imports[code] = InterviewImport.objects.create(
            center=center,
            requested_by=world.user(code, "social_worker"),
            filename="export.xlsx",
            language="en",
            status=InterviewImport.Status.REFUSED,
            progress=100,
            problems=[{"row": 3, "column": "need_1", "message": "This field is required."}],
        )
    return world
