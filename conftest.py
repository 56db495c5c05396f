"""The shared test world: two centres, each with a user of every role, a room,
and a registered person heading a household.

Tests ask for ``world`` and log in as ``world.user("ANK", "reception")``.
"""

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client, testcases
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import requires_two_factor
from beneficiaries.tests.factories import BeneficiaryFactory, HouseholdFactory
from cases.models import Case, CaseGoal, Partner, PartnerFocalPoint, Referral, ServicePoint, Transfer
from centers.models import CENTER_ROLES, NATIONAL_ROLES, Role
from centers.tests.factories import CenterFactory, MembershipFactory, RoomFactory, UserFactory
from listening.models import Feedback, OutreachVisit
from listening.services import interview_save
from reports.models import ReportRun
from services.models import DeskMessage, ServiceCategory
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_in_ci(reason: str):
    """Skip locally when a service is missing, but fail in CI: CI never skips."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


# ---------------------------------------------------------------- two database roles
# With DATABASE_OWNER_URL set (CI does), the test database is created and migrated by its owner, and the
# tests run as DATABASE_URL's role, which owns nothing (audit/roles.py): the same split as production.
# Emptying the database between transactional tests is the owner's job too (TRUNCATE needs it).
OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")


@contextlib.contextmanager
def as_database_owner():
    """Run the block on the default connection with the owner's credentials, when there is an owner."""
    from django.db import connections

    if not OWNER_URL:
        yield
        return
    import dj_database_url

    owner = dj_database_url.parse(OWNER_URL)
    default = connections["default"].settings_dict
    app = default["USER"], default["PASSWORD"]
    connections["default"].close()
    default["USER"], default["PASSWORD"] = owner["USER"], owner["PASSWORD"]
    try:
        yield
    finally:
        connections["default"].close()
        default["USER"], default["PASSWORD"] = app


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock(), as_database_owner():
        db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False)
    yield
    with django_db_blocker.unblock(), as_database_owner():
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


_call_command = testcases.call_command


def _call_command_flushing_as_owner(name, *args, **kwargs):
    if name == "flush":
        with as_database_owner():
            return _call_command(name, *args, **kwargs)
    return _call_command(name, *args, **kwargs)


testcases.call_command = _call_command_flushing_as_owner


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def force_login_password_only(client, user):
    """Log in as after the password step only: a manager still owes the second factor."""
    _force_login(client, user)


_force_login = Client.force_login


def _force_login_with_second_factor(self, user, backend=None):
    """`client.force_login` in tests: also give the second factor for the roles that need one, so tests
    about anything else need not repeat the two-factor step. Two-factor tests use force_login_password_only."""
    _force_login(self, user, backend)
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture(autouse=True)
def second_factor_given_on_force_login(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_with_second_factor)


@pytest.fixture(autouse=True)
def private_files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    centers: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    rooms: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    enrollments: dict = field(default_factory=dict)
    desk_messages: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    goals: dict = field(default_factory=dict)
    referrals: dict = field(default_factory=dict)
    transfers: dict = field(default_factory=dict)
    report_runs: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)
    interviews: dict = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)
    service_points: dict = field(default_factory=dict)
    partner: Partner | None = None

    def user(self, center_code: str | None, role: str):
        return self.users[(center_code, role)]

    @property
    def documents(self) -> dict:
        """An identity document on each centre's person, stored on first use: most tests need no file."""
        if not self._documents:
            from documents.tests.factories import make_document

            for code, person in self.people.items():
                self._documents[code] = make_document(person, by=self.user(code, "reception"))
        return self._documents

    _documents: dict = field(default_factory=dict, repr=False)


@pytest.fixture
def world(db):
    # Created by a data migration, but a transactional test (the browser's) empties every table.
    for code in ServiceCategory.Code.values:
        ServiceCategory.objects.get_or_create(code=code)
    w = World()
    for code, city in (("ANK", "Ankara"), ("IST", "Istanbul")):
        center = CenterFactory(code=code, name=f"{city} Community Centre", city=city)
        w.centers[code] = center
        w.rooms[code] = RoomFactory(center=center, name=f"{city} classroom")
        for role in Role:
            if role not in CENTER_ROLES:
                continue
            user = UserFactory(username=f"{code.lower()}_{role.value}")
            MembershipFactory(user=user, center=center, role=role)
            w.users[(code, role.value)] = user
        household = HouseholdFactory(center=center, created_by=w.users[(code, "reception")])
        w.households[code] = household
        w.people[code] = BeneficiaryFactory(
            center=center,
            registered_by=w.users[(code, "reception")],
            first_name="Ahmad",
            last_name=f"{city}li",
            household=household,
            relationship_to_head="head",
        )
        activity = ActivityFactory(center=center, room=w.rooms[code], facilitator=w.users[(code, "trainer")])
        w.activities[code] = activity
        w.sessions[code] = SessionFactory(activity=activity)
        w.enrollments[code] = EnrollmentFactory(
            activity=activity, beneficiary=w.people[code], status="completed", by=w.users[(code, "reception")]
        )
        w.desk_messages[code] = DeskMessage.objects.create(
            center=center,
            beneficiary=w.people[code],
            text="Please see the social worker",
            created_by=w.users[(code, "social_worker")],
        )
        case = Case.objects.create(
            center=center,
            beneficiary=w.people[code],
            caseworker=w.users[(code, "social_worker")],
            supervisor=w.users[(code, "center_manager")],
            reason="Family needs school enrolment and health referral",
            opened_by=w.users[(code, "social_worker")],
        )
        case.psychologists.add(w.users[(code, "psychologist")])
        w.cases[code] = case
        w.goals[code] = CaseGoal.objects.create(case=case, goal="Children enrolled in school")
        w.referrals[code] = Referral.objects.create(
            case=case,
            partner=Partner.objects.get_or_create(name="Ministry of Health", defaults={"kind": "ministry"})[
                0
            ],
            reason="Vaccinations",
            shared_fields=["full_name", "phone"],
            created_by=w.users[(code, "social_worker")],
        )
    for code, center in w.centers.items():
        run = ReportRun(
            center=center,
            start=dt.date(2026, 10, 1),
            end=dt.date(2026, 10, 31),
            status="done",
            tables=[
                ["Reach", [["Centre", "People"], [code, "<5"]]],
                ["Definitions", [["Definitions"], ["…"]]],
            ],
        )
        run.file.save(f"world-{code}.xlsx", ContentFile(b"PK-not-really"), save=True)
        w.report_runs[code] = run
    w.report_runs["national"] = ReportRun.objects.create(
        center=None,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        status="done",
        tables=[["Reach", [["Centre", "People"], ["*", "<5"]]], ["Definitions", [["Definitions"], ["…"]]]],
    )
    # Each centre has a transfer waiting for it: the other centre's case, moving in.
    for code, other in (("ANK", "IST"), ("IST", "ANK")):
        w.transfers[code] = Transfer.objects.create(
            case=w.cases[other],
            from_center=w.centers[other],
            to_center=w.centers[code],
            reason="The family moved",
            requested_by=w.users[(other, "social_worker")],
        )
    for code, center in w.centers.items():
        worker = w.users[(code, "social_worker")]
        visit = OutreachVisit.objects.create(
            center=center,
            date=dt.date(2026, 10, 5),
            district="Altındağ",
            neighbourhood="Önder",
            households_visited=12,
            created_by=worker,
        )
        visit.staff.add(worker)
        w.interviews[code] = interview_save(
            visit=visit,
            by=worker,
            submission_id=f"world-{code}",
            needs=["language", "employment"],
            respondent_sex="female",
            age_band="age_18_59",
            population_group="temporary_protection",
            nationality="SY",
            beneficiary=None,
            quote="We need Turkish to find work.",
        )
        w.visits[code] = visit
        w.feedback[code] = Feedback.objects.create(
            center=center,
            kind="suggestion",
            channel="box",
            text="Open on Saturdays too.",
            anonymous=True,
            received_by=w.users[(code, "reception")],
        )
    for role in NATIONAL_ROLES:
        user = UserFactory(username=role.value)
        MembershipFactory(user=user, center=None, role=role)
        w.users[(None, role.value)] = user
    # The partner the world's referrals go to, with a service point in each city and a focal point who
    # belongs to no centre (world.user(None, "partner_focal_point")).
    w.partner = Partner.objects.get(name="Ministry of Health")
    for code, city, district in (("ANK", "Ankara", "Altındağ"), ("IST", "Istanbul", "Fatih")):
        w.service_points[code] = ServicePoint.objects.create(
            partner=w.partner,
            center=w.centers[code],
            name=f"{district} migrant health centre",
            service_types=["health_care"],
            city=city,
            district=district,
        )
    focal_point = UserFactory(username="partner_focal_point")
    PartnerFocalPoint.objects.create(user=focal_point, partner=w.partner)
    w.users[(None, "partner_focal_point")] = focal_point
    return w


@pytest.fixture
def assert_other_center_gets_404(client):
    """One line per view: ``assert_other_center_gets_404(user, "app:name", center=..., pk=...)``.

    Logs in as ``user`` (a member of another centre) and checks GET and POST
    both answer 404, so the view leaks neither the page nor a form error.
    """

    def check(user, url_name, **kwargs):
        client.force_login(user)
        url = reverse(url_name, kwargs=kwargs)
        assert client.get(url).status_code == 404, f"GET {url} as {user}"
        assert client.post(url, {}).status_code == 404, f"POST {url} as {user}"

    return check


@pytest.fixture
def celery_eager():
    """Run tasks in the test's own process, even when CI has a broker configured."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def start_worker(*, queue: str, env: dict) -> subprocess.Popen:
    """A real ``celery worker`` process (solo pool) consuming ``queue`` with the environment given."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
        ],
        cwd=Path(__file__).parent,
        env=env,
    )


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the Redis broker, using the test database.

    It consumes a queue of its own, so a developer's running ``make worker``
    never steals the test's tasks.
    """
    from django.conf import settings
    from django.db import connection

    from config.celery import app

    if not settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: no broker for a real Celery worker")
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("worker-media")),
    }
    process = start_worker(queue=queue, env=env)
    process.media_root = env["MEDIA_ROOT"]  # a test that hands files to the worker stores them here
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        app.conf.task_default_queue = previous_queue
        stop_worker(process)


def _chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium():
    """The system Chromium driven by Playwright (no browser download)."""
    path = _chromium_path()
    if not path:
        require_in_ci("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test itself
    # still talks to the database synchronously, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    # A common laptop screen: the navigation must fit it on one line (tests/test_browser_layout.py).
    # Reduced motion, as many staff set it: Bootstrap then drops its colour transitions, so axe reads a button's
    # settled colours, not a blend caught 50 ms into a hover (white on grey, 4.7:1, read as 1.7:1 mid-fade).
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 800},
        reduced_motion="reduce",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# ---------------------------------------------------------------- accessibility (WCAG 2.1 AA)
# axe-core comes from npm (package.json; `make test` and CI run `npm ci`), injected into the page under test.
AXE_PATH = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
# Two best-practice rules outside the WCAG tags, failing at any impact: every table header says what its column
# holds, and every page has a main heading (assert_accessible also wants exactly one h1).
AXE_REQUIRED_RULES = ["empty-table-header", "page-has-heading-one"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; every WCAG 2.0/2.1 A and AA violation, whatever its impact."""
    if not AXE_PATH.exists():
        require_in_ci(f"axe-core is not installed ({AXE_PATH} is missing: run `npm ci`)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Not page.add_script_tag: our Content-Security-Policy blocks inline scripts, as it should.
        # The DevTools protocol's evaluate is not subject to it, so the policy under test stays on.
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """([tags, rules]) => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: Object.fromEntries(rules.map(rule => [rule, {enabled: true}])),
            resultTypes: ['violations'],
        })""",
        [AXE_TAGS, AXE_REQUIRED_RULES],
    )
    return result["violations"]


# A field in error (aria-invalid) must name its error message with aria-describedby (a group of radios or boxes:
# their fieldset does), and every id so named must exist.
UNTIED_ERRORS = """() => {
  const described = element => (element.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id));
  const broken = [...document.querySelectorAll('[aria-describedby]')].filter(e => described(e).some(d => !d));
  const untied = [...document.querySelectorAll('[aria-invalid=true]')].filter(field => {
    const holders = [field, field.closest('fieldset[aria-describedby]')].filter(Boolean);
    return !holders.some(holder => described(holder).some(d => d && d.textContent.trim()));
  });
  return [...broken, ...untied].map(e => e.id || e.name || e.outerHTML.slice(0, 80));
}"""


def assert_accessible(page):
    """Fail on every serious or critical WCAG 2.1 AA violation axe-core finds (and on the required rules at any
    impact), naming rule, impact and the offending nodes; unless the page has exactly one h1; and on a field in
    error whose message is not tied to it."""
    failing = [
        v for v in axe_violations(page) if v["impact"] in AXE_FAILING_IMPACTS or v["id"] in AXE_REQUIRED_RULES
    ]
    headings = page.locator("h1").count()
    untied = page.evaluate(UNTIED_ERRORS)
    if failing or headings != 1 or untied:
        lines = [f"{page.url}: {len(failing)} accessibility violation(s), {headings} h1 (one wanted)"]
        lines += [f"- field in error not described by its error message: {field}" for field in untied]
        for violation in failing:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:10]:
                lines.append(
                    f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
                )
        pytest.fail("\n".join(lines))


def assert_no_horizontal_scroll(page):
    """The page fits the window's width: nothing to scroll sideways to."""
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{page.url}: {scroll_width} px wide in a {inner_width} px window"


_SVG_TEXT_OUTSIDE = """(selector) => {
  const outside = [];
  for (const svg of document.querySelectorAll(selector)) {
    const box = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5 ||
          b.y + b.height > box.y + box.height + 0.5) outside.push(text.textContent);
    }
  }
  return outside;
}"""


def assert_chart_labels_inside(page, selector: str):
    """Every label of the charts matched by ``selector`` is drawn inside its SVG: none clipped."""
    outside = page.evaluate(_SVG_TEXT_OUTSIDE, selector)
    assert outside == [], f"{page.url}: labels outside their chart: {outside}"
