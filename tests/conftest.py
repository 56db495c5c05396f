"""What the tests of the whole site add to the shared world (the root conftest.py)."""

import pytest

from finance.models import CostImport
from listening.models import InterviewImport


@pytest.fixture
def world(world):
    """The shared world, with a finished import of each kind per centre: the URL rules walk their pages.
    (Only here: the apps' own import tests start from no import at all.)"""
    world.cost_imports = {}
    world.interview_imports = {}
    for code, center in world.centers.items():
        world.cost_imports[code] = CostImport.objects.create(
            center=center,
            requested_by=world.user(code, "center_manager"),
            filename="costs.csv",
            language="en",
            status=CostImport.Status.DONE,
            progress=100,
            imported=2,
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
