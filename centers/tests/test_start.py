"""My day: the start page at /c/<CODE>/ shows the panels the user's roles in that centre choose."""

import datetime as dt
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.models import MergeRequest
from beneficiaries.tests.factories import BeneficiaryFactory
from cases.models import Case, FollowUp
from centers import start
from centers.tests.factories import MembershipFactory, UserFactory
from listening.models import Feedback
from services.models import CheckIn, DeskMessage
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

# A marker of each panel, as the user reads it.
SEARCH = ' id="start-find-person"'
TODAY_SESSIONS = ' id="start-today-sessions"'
WAITING = ' id="start-waiting"'
MY_SESSIONS = ' id="start-my-sessions"'
CASELOAD = ' id="start-caseload"'
CENTRE_DAY = ' id="start-centre-day"'
APPROVALS = ' id="start-approvals"'
FEEDBACK = ' id="start-feedback"'
LAST_REPORT = ' id="start-last-report"'
NATIONAL = ' id="start-national"'
DPO = ' id="start-audit-alerts"'
ALL_PANELS = {
    SEARCH,
    TODAY_SESSIONS,
    WAITING,
    MY_SESSIONS,
    CASELOAD,
    CENTRE_DAY,
    APPROVALS,
    FEEDBACK,
    LAST_REPORT,
    NATIONAL,
    DPO,
}


def start_page(client, user, code="ANK"):
    client.force_login(user)
    response = client.get(reverse("centers:dashboard", kwargs={"center": code}))
    assert response.status_code == 200
    return response.content.decode()


def panels_on(page) -> set[str]:
    return {marker for marker in ALL_PANELS if marker in page}


def test_reception_gets_the_search_box_focused_todays_places_and_who_is_waiting(client, world):
    page = start_page(client, world.user("ANK", "reception"))
    assert panels_on(page) == {SEARCH, TODAY_SESSIONS, WAITING}
    search = re.search(r"<input[^>]*id=\"start-q\"[^>]*>", page).group(0)
    assert "autofocus" in search and 'name="q"' in search
    assert f'action="{reverse("beneficiaries:search", kwargs={"center": "ANK"})}"' in page
    # The world's session today (15 places, one completed enrolment that holds none) and its desk message.
    assert world.activities["ANK"].name in page
    assert "Please see the social worker" in page


def test_reception_sees_free_places_and_the_waiting_list(client, world):
    activity = ActivityFactory(center=world.centers["ANK"], capacity=2, name="Sewing for beginners")
    SessionFactory(activity=activity)
    for _ in range(2):
        EnrollmentFactory(activity=activity, by=world.user("ANK", "reception"))
    EnrollmentFactory(
        activity=activity,
        status="waitlisted",
        beneficiary=BeneficiaryFactory(center=world.centers["ANK"], first_name="Waitingperson"),
        by=world.user("ANK", "reception"),
    )
    page = start_page(client, world.user("ANK", "reception"))
    row = page[page.index("Sewing for beginners") :]
    assert "full" in row[: row.index("</tr>")]
    assert "Waitingperson" in page


def test_trainer_sees_their_sessions_a_click_from_each_register_and_no_caseload(client, world):
    trainer = world.user("ANK", "trainer")
    later = SessionFactory(activity=world.activities["ANK"], date=timezone.localdate() + dt.timedelta(days=3))
    next_month = SessionFactory(
        activity=world.activities["ANK"], date=timezone.localdate() + dt.timedelta(days=30)
    )
    others = SessionFactory(activity=ActivityFactory(center=world.centers["ANK"], facilitator=UserFactory()))
    page = start_page(client, trainer)
    assert panels_on(page) == {MY_SESSIONS}
    register = lambda s: reverse("services:register", kwargs={"center": "ANK", "pk": s.pk})  # noqa: E731
    assert register(world.sessions["ANK"]) in page and register(later) in page
    assert register(next_month) not in page and register(others) not in page
    assert world.people["ANK"].full_name not in page  # no caseload, no person at all


def test_psychologist_sees_the_cases_they_are_on(client, world):
    page = start_page(client, world.user("ANK", "psychologist"))
    assert panels_on(page) == {CASELOAD}
    assert reverse("cases:detail", kwargs={"center": "ANK", "pk": world.cases["ANK"].pk}) in page


def test_social_worker_sees_the_caseload_and_no_managers_panels(client, world):
    page = start_page(client, world.user("ANK", "social_worker"))
    assert panels_on(page) == {CASELOAD}
    assert reverse("cases:caseload", kwargs={"center": "ANK"}) in page


def test_a_social_worker_who_is_also_a_psychologist_sees_the_caseload_once(client, world):
    worker = world.user("ANK", "social_worker")
    MembershipFactory(user=worker, center=world.centers["ANK"], role="psychologist")
    page = start_page(client, worker)
    assert page.count(CASELOAD) == 1


@time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False)
def test_caseload_panel_shows_the_caseload_order_and_flags_only_its_head(client, world):
    worker = world.user("ANK", "social_worker")
    today = dt.date(2026, 6, 15)
    Case.objects.filter(pk=world.cases["ANK"].pk).update(caseworker=world.user("ANK", "center_manager"))
    Case.psychologists.through.objects.filter(case=world.cases["ANK"]).delete()

    def case_with(name, next_date, risk="medium", last=None):
        person = BeneficiaryFactory(center=world.centers["ANK"], first_name=name, consents=False)
        case = Case.objects.create(
            center=world.centers["ANK"],
            beneficiary=person,
            caseworker=worker,
            reason="r",
            opened_by=worker,
            risk_level=risk,
        )
        FollowUp.objects.create(
            case=case,
            center=case.center,
            date=last or today - dt.timedelta(days=1),
            type="phone",
            summary="s",
            next_date=next_date,
            by=worker,
        )

    for n in range(12):
        case_with(f"Later{n:02d}x", today + dt.timedelta(days=20 + n))
    case_with("Overdue", today - dt.timedelta(days=3))
    case_with("DueToday", today)
    case_with("QuietHighRisk", None, risk="high", last=today - dt.timedelta(days=17))

    page = start_page(client, worker)
    order = [page.index(name) for name in ("Overdue", "QuietHighRisk", "DueToday", "Later00x")]
    assert order == sorted(order)
    assert "high risk, no next follow-up set" in page and "overdue" in page and "due today" in page
    assert "Later06x" in page and "Later07x" not in page  # the first ten; the rest one click away
    assert "Full caseload (15)" in page


def test_centre_manager_sees_the_centres_day_approvals_feedback_and_last_report(client, world):
    center = world.centers["ANK"]
    Feedback.objects.create(
        center=center,
        kind="complaint",
        channel="box",
        text="About a member of staff",
        sensitive=True,
        received_by=world.user("ANK", "reception"),
    )
    MergeRequest.objects.create(
        survivor=world.people["IST"],
        other=world.people["ANK"],
        from_center=world.centers["IST"],
        to_center=center,
        requested_by=world.user("IST", "center_manager"),
    )
    page = start_page(client, world.user("ANK", "center_manager"))
    assert panels_on(page) == {CENTRE_DAY, APPROVALS, FEEDBACK, LAST_REPORT}
    assert reverse("services:register", kwargs={"center": "ANK", "pk": world.sessions["ANK"].pk}) in page
    assert "The family moved" in page  # the transfer waiting for this centre
    assert world.people["ANK"].registration_number in page  # the merge asked by Istanbul
    assert "sensitive" in page and "About a member of staff" not in page  # flagged, never quoted
    assert reverse("reports:run", kwargs={"center": "ANK", "pk": world.report_runs["ANK"].pk}) in page
    assert "Done" in page


def _many_rows(world, n):
    """n of everything the centre manager's panels read, so a per-row query would show."""
    center, desk = world.centers["ANK"], world.user("ANK", "reception")
    for i in range(n):
        activity = ActivityFactory(center=center, facilitator=UserFactory(), room=world.rooms["ANK"])
        SessionFactory(activity=activity)
        person = BeneficiaryFactory(center=center, consents=False)
        EnrollmentFactory(activity=activity, beneficiary=person, by=desk)
        CheckIn.objects.create(center=center, beneficiary=person, by=desk)
        DeskMessage.objects.create(center=center, beneficiary=person, text=f"m{i}", created_by=desk)
        Case.objects.create(
            center=center,
            beneficiary=person,
            caseworker=world.user("ANK", "social_worker"),
            reason="r",
            opened_by=desk,
            status="closure_requested",
        )
        Feedback.objects.create(
            center=center, kind="complaint", channel="box", text="t", sensitive=True, received_by=desk
        )


def test_the_start_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    manager = world.user("ANK", "center_manager")
    client.force_login(manager)
    url = reverse("centers:dashboard", kwargs={"center": "ANK"})
    _many_rows(world, 2)
    client.get(url)
    # 1 session, 2 user, 3 the second-factor device, 4 roles here, 5 the centre;
    # centre's day: 6 today's sessions with places and attendance, 7 check-ins counted;
    # approvals: 8-9 merges, 10-11 transfers in, 12-13 closures (rows, count); feedback: 14-15 (rows, count);
    # 16 the last report; 17-18 navigation (national-role check, the user's centres);
    # 19-21 the idle-timeout session save (savepoint, update, release); 22 overdue referrals (cases' panel).
    with django_assert_max_num_queries(22) as few:
        client.get(url)
    _many_rows(world, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("not yet marked") == 28  # 1 + 2 + 25 sessions today, each a link to its register


def test_reception_and_trainer_start_pages_stay_constant_too(client, world, django_assert_max_num_queries):
    url = reverse("centers:dashboard", kwargs={"center": "ANK"})
    counts = {}
    for role in ("reception", "trainer"):
        client.force_login(world.user("ANK", role))
        client.get(url)
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        counts[role] = len(few.captured_queries)
    _many_rows(world, 20)
    for days in range(1, 7):
        for hour in (9, 14):
            SessionFactory(
                activity=world.activities["ANK"],
                date=timezone.localdate() + dt.timedelta(days=days),
                starts_at=dt.time(hour),
                ends_at=dt.time(hour + 1),
            )
    for role in ("reception", "trainer"):
        client.force_login(world.user("ANK", role))
        with django_assert_max_num_queries(counts[role]):
            page = client.get(url).content.decode()
        if role == "trainer":
            assert page.count(">Register</a>") == 13  # today's and the twelve of the coming days


def test_national_manager_sees_the_way_to_the_nation_not_the_centres_day(client, world):
    page = start_page(client, world.user(None, "national_manager"))
    assert panels_on(page) == {NATIONAL}
    assert reverse("reports:national_dashboard") in page


def test_national_manager_with_a_centre_role_sees_that_centres_day(client, world):
    national = world.user(None, "national_manager")
    MembershipFactory(user=national, center=world.centers["ANK"], role="center_manager")
    assert CENTRE_DAY in start_page(client, national, "ANK")
    assert CENTRE_DAY not in start_page(client, national, "IST")


def test_user_of_another_centre_gets_404(client, world):
    client.force_login(world.user("IST", "center_manager"))
    for name in ("centers:dashboard", "centers:about"):
        assert client.get(reverse(name, kwargs={"center": "ANK"})).status_code == 404


def test_about_the_centre_shows_its_details_and_rooms_and_is_linked_from_my_day(client, world):
    about = reverse("centers:about", kwargs={"center": "ANK"})
    assert about in start_page(client, world.user("ANK", "trainer"))
    page = client.get(about).content.decode()
    assert "About the centre" in page and "Ankara classroom" in page and "Opening hours" in page


def test_home_sends_a_national_manager_to_the_national_dashboard(client, world):
    client.force_login(world.user(None, "national_manager"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:national_dashboard")


def test_home_shows_the_data_protection_officer_subject_requests_and_alerts(client, world):
    dpo = world.user(None, "data_protection_officer")
    AuditEvent.objects.create(action=AuditEvent.Action.LOCKED_OUT, username="mallory")
    AuditEvent.objects.create(
        action=AuditEvent.Action.ANONYMISE,
        actor=dpo,
        username=dpo.username,
        object_type="beneficiaries.beneficiary",
        object_id=str(world.people["IST"].pk),
    )
    client.force_login(dpo)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert panels_on(page) == {DPO}
    assert f'action="{reverse("privacy:subject_search")}"' in page
    assert "mallory" in page
    assert reverse("privacy:subject_detail", kwargs={"pk": world.people["IST"].pk}) in page
    # Opening a centre, the DPO finds the same panel there.
    assert DPO in start_page(client, dpo, "ANK")


def test_every_panel_names_existing_roles_and_templates():
    from django.template.loader import get_template

    from centers.models import Role

    panels = start.registered()
    assert {p.name for p in panels} >= {"find_person", "caseload", "centre_day", "data_protection"}
    for panel in panels:
        assert panel.roles <= set(Role.values), panel.name
        get_template(panel.template)
