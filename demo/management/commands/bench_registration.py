"""Benchmark the duplicate check and name search on a large synthetic population.

    make bench            # 100k then 1M people on PostgreSQL (DATABASE_URL)
    BENCH_PEOPLE=5000000 make bench   # one size of your choosing, e.g. the 5M national scale

Rows are written with COPY, so building a million takes about a minute.
Queries are timed through the same selectors the pages use.
"""

import os
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_search, duplicate_candidates
from demo.bench import VARIANTS, PeopleWriter, bench_centers, percentiles


class Command(BaseCommand):
    help = "Time the duplicate check and name search at 100k and 1M people (PostgreSQL)."

    def add_arguments(self, parser):
        people = os.environ.get("BENCH_PEOPLE")
        parser.add_argument(
            "--sizes", type=int, nargs="+", default=[int(people)] if people else [100_000, 1_000_000]
        )
        parser.add_argument(
            "--explain", action="store_true", help="Print the plans of one duplicate check and one search."
        )
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reuse", action="store_true", help="Measure the rows already there; build nothing."
        )

    def handle(self, *args, sizes, queries, seed, reuse, explain, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        rng = random.Random(seed)  # noqa: S311 - synthetic data
        writer = PeopleWriter(rng)
        centers = bench_centers()
        user, _ = get_user_model().objects.get_or_create(username="bench")
        if reuse:
            self.stdout.write(f"{Beneficiary.objects.count():,} people (reused)")
            self._measure(rng, centers=centers, queries=queries)
            return
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE beneficiaries_beneficiary CASCADE")
        have = 0
        for size in sorted(sizes):
            started = time.perf_counter()
            writer.copy(start=have, count=size - have, centers=centers, user_id=user.pk)
            have = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE beneficiaries_beneficiary")
            self.stdout.write(f"\n{size:,} people ({time.perf_counter() - started:.0f} s to build)")
            self._measure(rng, centers=centers, queries=queries)
        if explain:
            self._explain(centers)

    def _sample(self, rng, count):
        """Real rows to look for again, under another spelling where one is known."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, first_name, last_name, birth_year, sex, center_id FROM beneficiaries_beneficiary "
                "TABLESAMPLE SYSTEM (1) LIMIT %s",
                [count],
            )
            return cursor.fetchall()

    def _measure(self, rng, *, centers, queries):
        by_pk = {c.pk: c for c in centers}
        sample = self._sample(rng, queries)
        check, search = [], []
        found = 0
        for pk, first, last, year, sex, center_id in sample:
            typed = rng.choice(VARIANTS.get(first, [first]))
            person = {
                "first_name": typed,
                "last_name": last,
                "birth_year": year + rng.choice([-1, 0, 1]),
                "sex": sex,
                "phone": "",
                "document_number": "",
            }
            t = time.perf_counter()
            candidates = duplicate_candidates(person=person, user_center_ids={center_id})
            check.append((time.perf_counter() - t) * 1000)
            found += any(c.pk == pk for c in candidates)

            query = rng.choice([typed, f"{typed} {last}", typed[:4]])
            t = time.perf_counter()
            page = Paginator(beneficiary_search(center=by_pk[center_id], query=query), 25).get_page(1)
            list(page)
            search.append((time.perf_counter() - t) * 1000)
        p50, p95 = percentiles(check)
        s50, s95 = percentiles(search)
        self.stdout.write(f"  duplicate check: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (target p95 < 50 ms)")
        self.stdout.write(f"  name search:     p50 {s50:6.1f} ms   p95 {s95:6.1f} ms   (target p95 < 100 ms)")
        load = os.getloadavg()[0]
        self.stdout.write(
            f"  load average {load:.1f} on {os.cpu_count()} cores while measuring: "
            + (
                "an otherwise idle machine"
                if load < 1.5
                else "other work was running; expect up to 3x better idle"
            )
        )
        self.stdout.write(f"  the person looked for was among the candidates in {found}/{len(sample)} checks")
        count = Beneficiary.objects.count()
        self.stdout.write(f"  ({len(sample)} queries of each kind over {count:,} rows)")

    def _explain(self, centers):
        """The plans behind the figures: which indexes the duplicate check and the name search use."""
        from django.test.utils import CaptureQueriesContext

        probes = [
            (
                "duplicate check (Mohammed Al-Masri, 1988)",
                lambda: duplicate_candidates(
                    person={
                        "first_name": "Mohammed",
                        "last_name": "Al-Masri",
                        "birth_year": 1988,
                        "sex": "male",
                    },
                    user_center_ids={centers[0].pk},
                ),
            ),
            (
                "name search (Mohammed)",
                lambda: list(
                    Paginator(beneficiary_search(center=centers[0], query="Mohammed"), 25).get_page(1)
                ),
            ),
        ]
        for title, run in probes:
            with CaptureQueriesContext(connection) as captured:
                run()
            self.stdout.write(f"\nEXPLAIN ANALYZE, {title}:")
            for query in captured.captured_queries:
                sql = query["sql"]
                if "beneficiaries_beneficiary" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql)  # noqa: S608 - our own SQL
                    self.stdout.write("\n".join("    " + row[0] for row in cursor.fetchall()))
