import re

import pytest
from playwright.sync_api import expect

from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import assert_accessible
from services.models import Attendance
from services.tests.factories import EnrollmentFactory, once_started
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_trainer_keeps_todays_register_with_a_walk_in(page, world, time_machine):
    session = world.sessions["ANK"]
    time_machine.move_to(once_started(session))  # today's 10:00 session has begun: its register is open
    reception = world.user("ANK", "reception")
    learners = [world.people["ANK"]] + [
        BeneficiaryFactory(
            center=world.centers["ANK"], first_name=f"Learner{n:02d}", last_name="Kaya", consents=False
        )
        for n in range(14)
    ]
    for person in learners[1:]:
        EnrollmentFactory(activity=session.activity, beneficiary=person, by=reception)
    walk_in = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Rania", last_name="Haddad", consents=False
    )

    log_in(page, "ank_trainer")
    assert_accessible(page)
    page.get_by_role("link", name="Today").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=session.activity.name)
    row.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name=session.activity.name)).to_be_visible()
    assert_accessible(page)

    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(15)
    for person in learners[:12]:
        page.get_by_label(person.full_name).check()
    page.get_by_label("Walk-ins").fill(walk_in.registration_number)
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved: 13 present, 3 absent.")).to_be_visible()
    expect(page.get_by_text("walk-in", exact=True)).to_be_visible()
    assert_accessible(page)

    assert Attendance.objects.filter(session=session, present=True).count() == 13
    page.goto(f"/c/ANK/people/?q={walk_in.registration_number}")
    assert_accessible(page)
    page.get_by_role("link", name=walk_in.registration_number).click()
    assert_accessible(page)
    attended = page.get_by_role("heading", name="Attended").locator("xpath=following-sibling::ul[1]")
    expect(attended).to_contain_text(session.activity.name)
    expect(attended).to_contain_text(re.compile("walk-in"))
