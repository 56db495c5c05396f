"""Benchmark the monthly reach report and the dashboard on a national data set.

    make bench            # registration bench, then this one (PostgreSQL, DATABASE_URL)

Builds 20 centres, 1M people and 10M contacts over 36 months (8M attendance marks
in course cohorts, 1.5M one-to-one services, 0.5M case follow-ups), then times:

- the monthly reach table (`reports.reach.reach`, what the report and its files use)
  beside the best single hand-written SQL for the same table (one GROUPING SETS
  query), and checks that both give the same figures;
- the whole monthly report (`report_tables`: the month, the year to date, costs,
  course attendance);
- the national twelve-month dashboard (`reports.dashboard.dashboard`);
- needs versus offer for one centre over twelve months (`services.listening.needs_offer`), with a
  year of outreach: 48 visits and 1,200 interviews.

People go in with COPY and contacts with INSERT … SELECT over generate_series, so a
build takes a few minutes; `--reuse` measures what is already there.
"""

import datetime as dt
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from beneficiaries.models import Beneficiary
from cases.models import Case
from core.counting import ALL
from demo.bench import PeopleWriter, bench_centers
from listening.models import InterviewNeed, NeedsInterview, OutreachVisit
from listening.selectors import needs_offer
from reports.dashboard import dashboard
from reports.models import MonthlyReach
from reports.reach import reach
from reports.services import _month_end, monthly_reach_store, report_tables
from services.models import Need, ServiceCategory

FIRST_MONTH = dt.date(2023, 11, 1)  # 36 months up to the report month
REPORT_MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 10, 31)
COHORT = 40  # people marked in each session


def _timed(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


class Command(BaseCommand):
    help = "Time the monthly reach report and the 12-month dashboard at 20 centres, 1M people, 10M contacts."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1_000_000)
        parser.add_argument("--contacts", type=int, default=10_000_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--reuse", action="store_true", help="Measure the rows already there.")

    def handle(self, *args, people, contacts, repeat, seed, reuse, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        centers = bench_centers()
        if not reuse:
            started = time.perf_counter()
            self._build(centers, people=people, contacts=contacts, seed=seed)
            self.stdout.write(f"built in {time.perf_counter() - started:.0f} s")
        self._report_counts()
        self._measure(centers, repeat=repeat)

    # -- data ---------------------------------------------------------------------------------------------

    def _sql(self, sql: str, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.rowcount

    def _build(self, centers, *, people: int, contacts: int, seed: int):
        user, _ = get_user_model().objects.get_or_create(username="bench")
        self._sql("SET synchronous_commit TO off")
        self._sql(
            "TRUNCATE beneficiaries_beneficiary, services_activity, services_session, services_attendance, "
            "services_servicedelivery, cases_case, cases_followup CASCADE"
        )
        self._sql("SELECT setseed(%s)", [seed / 100])
        started = time.perf_counter()
        PeopleWriter(random.Random(seed)).copy(  # noqa: S311 - synthetic data
            start=0, count=people, centers=centers, user_id=user.pk, host_share=0.15
        )
        # Half a percent of people are duplicates merged into the record before them.
        self._sql(
            "UPDATE beneficiaries_beneficiary b SET merged_into_id = b.id - 20 "
            "WHERE b.id %% 200 = 0 AND EXISTS (SELECT 1 FROM beneficiaries_beneficiary o WHERE o.id = b.id - 20)"
        )
        self._sql(
            "CREATE TEMP TABLE bench_people AS SELECT id, center_id, "
            "(row_number() OVER (PARTITION BY center_id ORDER BY id) - 1)::int AS n FROM beneficiaries_beneficiary"
        )
        self._sql("CREATE INDEX ON bench_people (center_id, n)")
        self._sql("ANALYZE bench_people")
        per_center = people // len(centers)
        self.stdout.write(f"{people:,} people in {time.perf_counter() - started:.0f} s")

        # Four courses per centre and category, three sessions a week for 36 months.
        attendance_rows = contacts * 8 // 10
        deliveries = contacts * 15 // 100
        follow_ups = contacts - attendance_rows - deliveries
        categories = list(ServiceCategory.objects.order_by("code").values_list("pk", flat=True))
        # One-to-one services: adult services, psychosocial support, orientation and referral.
        one_to_one = list(ServiceCategory.objects.filter(code__in="BDE").values_list("pk", flat=True))
        self._sql(
            """
            INSERT INTO services_activity (center_id, category_id, name, kind, starts_on, ends_on, target_sex,
                                           needs_enrolment)
            SELECT c.id, cat.id, 'Course ' || n, 'course', %s, %s, 'any', true
            FROM centers_center c CROSS JOIN services_servicecategory cat CROSS JOIN generate_series(1, 4) n
            WHERE c.id = ANY(%s)
            """,
            [FIRST_MONTH, TODAY, [c.pk for c in centers]],
        )
        activities = len(centers) * len(categories) * 4
        days = (TODAY - FIRST_MONTH).days + 1
        # Sessions needed so that COHORT marks each make the attendance share of contacts.
        sessions_per_activity = attendance_rows // (COHORT * activities)
        step = days / sessions_per_activity
        started = time.perf_counter()
        self._sql(
            """
            INSERT INTO services_session (activity_id, date, starts_at, ends_at, is_ad_hoc, is_cancelled)
            SELECT a.id, %s::date + floor(s * %s)::int, '10:00', '12:00', false, false
            FROM services_activity a CROSS JOIN generate_series(0, %s - 1) s
            """,
            [FIRST_MONTH, step, sessions_per_activity],
        )
        self._sql("ANALYZE services_session; ANALYZE services_activity")
        # A course keeps its cohort for a four-month term; 85% of marks are "present".
        self._sql(
            """
            INSERT INTO services_attendance (session_id, beneficiary_id, present, walk_in, recorded_by_id,
                                             recorded_at)
            SELECT s.id, p.id, random() < 0.85, false, %(user)s, now()
            FROM services_session s
            JOIN services_activity a ON a.id = s.activity_id
            CROSS JOIN generate_series(0, %(cohort)s - 1) k
            JOIN bench_people p ON p.center_id = a.center_id
             AND p.n = (a.id * 401 + ((s.date - %(first)s::date) / 120) * 7919 + k * 13) %% %(per_center)s
            """,
            {"user": user.pk, "cohort": COHORT, "first": FIRST_MONTH, "per_center": per_center},
        )
        self.stdout.write(f"sessions and attendance marks in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        self._sql(
            """
            INSERT INTO services_servicedelivery (center_id, beneficiary_id, category_id, type, date,
                                                  duration_minutes, staff_id, created_at)
            WITH picks AS MATERIALIZED (
                SELECT g, (%(centers)s::bigint[])[1 + g %% %(ncenters)s] AS center_id,
                       floor(random() * %(per_center)s)::int AS n,
                       %(first)s::date + floor(random() * %(days)s)::int AS date
                FROM generate_series(1, %(n)s) g
            )
            SELECT p.center_id, p.id, (%(one_to_one)s::bigint[])[1 + g %% 3], 'counselling', picks.date, 30,
                   %(user)s, now()
            FROM picks JOIN bench_people p ON p.center_id = picks.center_id AND p.n = picks.n
            """,
            {
                "one_to_one": one_to_one,
                "first": FIRST_MONTH,
                "days": days,
                "user": user.pk,
                "n": deliveries,
                "centers": [c.pk for c in centers],
                "ncenters": len(centers),
                "per_center": per_center,
            },
        )
        # One case in fifty people, each followed up about 25 times.
        self._sql(
            """
            INSERT INTO cases_case (center_id, beneficiary_id, covers_household, caseworker_id,
                                            risk_level, status, reason, legal_basis, opened_at, opened_by_id,
                                            closure_reason)
            SELECT center_id, id, false, %s, 'medium', 'open', '', 'consent', now(), %s, ''
            FROM bench_people WHERE n %% 50 = 0
            """,
            [user.pk, user.pk],
        )
        cases = Case.objects.count()
        self._sql(
            """
            INSERT INTO cases_followup (case_id, center_id, date, type, summary, actions_agreed, by_id,
                                                created_at)
            SELECT c.id, c.center_id, %(first)s::date + floor(random() * %(days)s)::int, 'home_visit', '', '',
                   %(user)s, now()
            FROM cases_case c CROSS JOIN generate_series(1, %(each)s)
            """,
            {
                "first": FIRST_MONTH,
                "days": days,
                "user": user.pk,
                "each": max(1, follow_ups // max(cases, 1)),
            },
        )
        self.stdout.write(f"services and follow-ups in {time.perf_counter() - started:.0f} s")
        self._sql("ANALYZE")

    def _report_counts(self):
        counted = {}
        for label, table in [
            ("people", "beneficiaries_beneficiary"),
            ("attendance marks", "services_attendance"),
            ("one-to-one services", "services_servicedelivery"),
            ("follow-ups", "cases_followup"),
        ]:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
                counted[label] = cursor.fetchone()[0]
        contacts = sum(v for k, v in counted.items() if k != "people")
        detail = ", ".join(f"{v:,} {k}" for k, v in counted.items() if k != "people")
        self.stdout.write(
            f"{counted['people']:,} people, {contacts:,} contacts ({detail}) at {len(bench_centers())} centres"
        )

    # -- measurements --------------------------------------------------------------------------------------

    def _downloads_and_page(self, start, end):
        """The national report built once by the worker's code; then what a download costs (served from
        storage), and the national dashboard rendered as a page (figures and template)."""
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from reports.models import ReportRun
        from reports.services import report_build, report_file, report_files_complete

        ReportRun.objects.filter(scope="national", start=start).delete()
        run = ReportRun.objects.create(center=None, start=start, end=_month_end(start))
        started = time.perf_counter()
        run = report_build(run_id=run.pk)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        report_files_complete(run_id=run.pk)
        others_s = time.perf_counter() - started
        self.stdout.write(
            f"\nNational report for {start:%B %Y}: built and stored in {build_s:.1f} s (CSV, HXL, PDF and XLSX in "
            f"one language), the other three languages in {others_s:.1f} s, by the worker"
        )
        for fmt in ("pdf", "xlsx"):
            for language in ("en", "ar"):
                seconds, (_name, content) = _timed(
                    lambda fmt=fmt, language=language: report_file(run=run, fmt=fmt, language=language), 20
                )
                self.stdout.write(
                    f"  download {fmt.upper():4} {language}: {seconds * 1000:6.1f} ms ({len(content):,} bytes)"
                    "   (target < 300 ms)"
                )
        request = RequestFactory().get("/national/dashboard/")
        request.user = get_user_model().objects.get(username="bench")
        request.center, request.center_roles = None, set()

        def page():
            return render_to_string(
                "reports/dashboard.html", dashboard(center=None, today=end), request=request
            )

        page_s, html = _timed(page, 20)
        self.stdout.write(
            f"  national dashboard page (figures and HTML, {len(html):,} bytes): {page_s * 1000:6.0f} ms"
            "   (target < 300 ms)"
        )

    def _measure(self, centers, *, repeat: int):
        start, end = REPORT_MONTH, TODAY
        center_ids = [c.pk for c in centers]
        self.stdout.write(f"\nMonthly reach, {start:%B %Y}, all {len(centers)} centres (median of {repeat}):")
        report_s, report = _timed(lambda: reach(start=start, end=end, center_ids=center_ids), repeat)
        sql_s, rows = _timed(lambda: self._hand_written(start, end, center_ids), repeat)
        self._compare(report, rows)
        self.stdout.write(f"  report (reports.reach.reach):     {report_s * 1000:8.0f} ms")
        self.stdout.write(f"  best single hand-written SQL:     {sql_s * 1000:8.0f} ms")
        self.stdout.write(f"  report / SQL:                     {report_s / sql_s:8.2f}   (target <= 1.5)")
        self.stdout.write(
            f"  {report.totals[(ALL, ALL)]:,} people reached nationally, {report.contacts[(ALL, ALL)]:,} contacts;"
            " both give the same figures in every cell"
        )
        full_s, _ = _timed(lambda: report_tables(center=None, start=start, end=end), max(1, repeat // 2))
        self.stdout.write(f"  whole national report (month, year to date, costs, courses): {full_s:.2f} s")
        MonthlyReach.objects.all().delete()
        live_s, _ = _timed(lambda: dashboard(center=None, today=end), 1)
        started = time.perf_counter()
        month = start
        for _ in range(11):  # what the nightly job keeps stored: the closed months
            month = (month - dt.timedelta(days=1)).replace(day=1)
            monthly_reach_store(month=month)
        store_s = time.perf_counter() - started
        started = time.perf_counter()
        monthly_reach_store(month=end)  # what beat does every DASHBOARD_REFRESH_MINUTES
        current_s = time.perf_counter() - started
        dash_s, _ = _timed(lambda: dashboard(center=None, today=end), repeat)
        one_s, _ = _timed(lambda: dashboard(center=centers[0], today=end), repeat)
        self.stdout.write(
            "\nDashboard, last 12 months (closed months stored nightly, the current one every few minutes):"
        )
        self.stdout.write(
            f"  national: {dash_s * 1000:6.0f} ms   one centre: {one_s * 1000:6.0f} ms   (target < 300 ms)"
        )
        self.stdout.write(
            f"  (all 12 months counted live: {live_s:.1f} s; storing 11 closed months: {store_s:.1f} s, "
            f"{store_s / 11:.1f} s a month for the nightly job; the current month in {current_s:.1f} s, for beat)"
        )
        self._downloads_and_page(start, end)
        self._outreach(centers[0], get_user_model().objects.get(username="bench"), end)
        year_start = (end - dt.timedelta(days=364)).replace(day=1)
        needs_s, result = _timed(lambda: needs_offer(center=centers[0], start=year_start, end=end), repeat)
        self.stdout.write(
            f"\nNeeds versus offer, one centre, {year_start} to {end} ({result.interviews:,} people asked, "
            f"{result.categories[-1]['reached']:,} people reached): {needs_s * 1000:6.0f} ms   (target < 1 s)"
        )

    def _outreach(self, center, user, end):
        """A year of listening at one centre, unless already there (--reuse)."""
        if OutreachVisit.objects.filter(center=center).exists():
            return
        rng = random.Random(7)  # noqa: S311 - synthetic data
        needs = Need.values
        for week in range(48):
            visit = OutreachVisit.objects.create(
                center=center,
                date=end - dt.timedelta(days=7 * week),
                district="Bench",
                households_visited=20,
                created_by=user,
            )
            interviews = NeedsInterview.objects.bulk_create(
                NeedsInterview(
                    visit=visit,
                    respondent_sex="female",
                    age_band="age_18_59",
                    created_by=user,
                    population_group=rng.choice(["temporary_protection", "host_community"]),
                    submission_id=f"bench-{week}-{i}",
                    quote="Bench quote",
                )
                for i in range(25)
            )
            InterviewNeed.objects.bulk_create(
                InterviewNeed(interview=interview, need=need, rank=rank)
                for interview in interviews
                for rank, need in enumerate(rng.sample(needs, 3), start=1)
            )

    def _hand_written(self, start, end, center_ids):
        """The same table written by hand: one pass over the contacts, every level in one GROUPING SETS."""
        sql = """
        WITH contacts AS (
            SELECT at.beneficiary_id AS person, a.center_id AS center, cat.code AS category
            FROM services_attendance at
            JOIN services_session s ON s.id = at.session_id
            JOIN services_activity a ON a.id = s.activity_id
            JOIN services_servicecategory cat ON cat.id = a.category_id
            WHERE at.present AND s.date BETWEEN %(start)s AND %(end)s AND a.center_id = ANY(%(centers)s)
            UNION ALL
            SELECT d.beneficiary_id, d.center_id, cat.code
            FROM services_servicedelivery d JOIN services_servicecategory cat ON cat.id = d.category_id
            WHERE d.date BETWEEN %(start)s AND %(end)s AND d.center_id = ANY(%(centers)s)
            UNION ALL
            SELECT c.beneficiary_id, f.center_id, 'F'
            FROM cases_followup f JOIN cases_case c ON c.id = f.case_id
            WHERE f.date BETWEEN %(start)s AND %(end)s AND f.center_id = ANY(%(centers)s)
        )
        SELECT ct.center, ct.category, b.sex,
               CASE WHEN %(year)s - b.birth_year - CASE WHEN b.date_of_birth IS NOT NULL
                         AND EXTRACT(MONTH FROM b.date_of_birth) * 100 + EXTRACT(DAY FROM b.date_of_birth) > %(md)s
                         THEN 1 ELSE 0 END <= 4 THEN '0-4'
                    WHEN %(year)s - b.birth_year - CASE WHEN b.date_of_birth IS NOT NULL
                         AND EXTRACT(MONTH FROM b.date_of_birth) * 100 + EXTRACT(DAY FROM b.date_of_birth) > %(md)s
                         THEN 1 ELSE 0 END <= 11 THEN '5-11'
                    WHEN %(year)s - b.birth_year - CASE WHEN b.date_of_birth IS NOT NULL
                         AND EXTRACT(MONTH FROM b.date_of_birth) * 100 + EXTRACT(DAY FROM b.date_of_birth) > %(md)s
                         THEN 1 ELSE 0 END <= 17 THEN '12-17'
                    WHEN %(year)s - b.birth_year - CASE WHEN b.date_of_birth IS NOT NULL
                         AND EXTRACT(MONTH FROM b.date_of_birth) * 100 + EXTRACT(DAY FROM b.date_of_birth) > %(md)s
                         THEN 1 ELSE 0 END <= 59 THEN '18-59' ELSE '60+' END AS band,
               CASE WHEN b.population_group = 'host_community' THEN 'host' ELSE 'migrant' END AS grp,
               COUNT(DISTINCT b.id), COUNT(*), GROUPING(b.sex) = 1
        FROM contacts ct
        JOIN beneficiaries_beneficiary raw ON raw.id = ct.person
        JOIN beneficiaries_beneficiary b ON b.id = COALESCE(raw.merged_into_id, raw.id)
        GROUP BY GROUPING SETS (
            (ct.center, ct.category, b.sex, band, grp), (ct.center, b.sex, band, grp),
            (ct.category, b.sex, band, grp), (b.sex, band, grp),
            (ct.center, ct.category), (ct.center), (ct.category), ()
        )
        """
        params = {
            "start": start,
            "end": end,
            "centers": center_ids,
            "year": end.year,
            "md": end.month * 100 + end.day,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        registered = Beneficiary.objects.filter(
            registered_at__date__range=(start, end), merged_into__isnull=True, center_id__in=center_ids
        ).count()
        return rows, registered

    def _compare(self, report, hand):
        rows, registered = hand
        cells, totals, contacts = {}, {}, {}
        for center, category, sex, band, group, people, marks, is_total in rows:
            key = (center if center is not None else ALL, category if category is not None else ALL)
            if is_total:  # a (centre, category) total: people and contacts whatever the sex, age, group
                totals[key] = people
                contacts[key] = marks
            else:
                cells[(*key, sex, band, group)] = people
        if cells != report.cells or totals != report.totals:
            raise CommandError(
                "The report and the hand-written SQL disagree: the benchmark is not comparing like with like."
            )
        if contacts != report.contacts or registered != report.new_registrations[ALL]:
            raise CommandError(
                "Contacts or new registrations differ between the report and the hand-written SQL."
            )
