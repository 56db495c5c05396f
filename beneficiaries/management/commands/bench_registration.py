"""Benchmark the duplicate check and name search on a large synthetic population.

    make bench            # 100k then 1M people on PostgreSQL (DATABASE_URL)

Rows are written with COPY, so building a million takes about a minute.
Queries are timed through the same selectors the pages use.
"""

import io
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection

from beneficiaries import names
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_search, duplicate_candidates
from centers.models import Center

# Spelling variants a second desk might type for the same person.
VARIANTS = {
    "Mohammed": ["Muhammad", "Mehmet", "محمد"], "Ahmad": ["Ahmed", "Ahmet", "أحمد"], "Hussein": ["Hüseyin", "حسين"],
    "Abdulrahman": ["Abd al-Rahman", "عبد الرحمن"], "Fatima": ["Fatma", "فاطمة"], "Khaled": ["Halit", "خالد"],
    "Zainab": ["Zeynep", "زينب"], "Omar": ["Ömer", "عمر"], "Yusuf": ["Youssef", "يوسف"], "Mariam": ["Meryem", "مريم"],
}  # fmt: skip
MALE = ["Mohammed", "Ahmad", "Hussein", "Abdulrahman", "Khaled", "Omar", "Yusuf", "Ali", "Mahmoud", "Ibrahim", "Mustafa",
        "Hassan", "Bilal", "Samir", "Karim", "Tarek", "Walid", "Nabil", "Jamal", "Rami", "Fadi", "Hamza", "Anas", "Majd",
        "Reza", "Javad", "Hamid", "Murat", "Emre", "Osman"]  # fmt: skip
FEMALE = ["Fatima", "Amina", "Mariam", "Zainab", "Aisha", "Nour", "Huda", "Rania", "Layla", "Salma", "Hala", "Rasha",
          "Dima", "Lina", "Reem", "Sara", "Yasmin", "Hiba", "Noura", "Ghada", "Zahra", "Parisa", "Shirin", "Ayşe", "Elif"]  # fmt: skip
SYLLABLES = ["hal", "lak", "kas", "sab", "dar", "wish", "nad", "jar", "kha", "tib", "sha", "mi", "ba", "kour", "ham",
             "wi", "ma", "sri", "ra", "zaq", "ta", "hir", "sa", "lim", "ja", "bir", "ka", "rim", "fa", "rah"]  # fmt: skip


def _family_names(rng: random.Random, count: int) -> list[str]:
    result = set()
    while len(result) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        result.add(rng.choice(["", "", "Al-"]) + word)
    return sorted(result)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


class Command(BaseCommand):
    help = "Time the duplicate check and name search at 100k and 1M people (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reuse", action="store_true", help="Measure the rows already there; build nothing."
        )

    def handle(self, *args, sizes, queries, seed, reuse, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        rng = random.Random(seed)  # noqa: S311 - synthetic data
        self.families = _family_names(rng, 4000)
        self.key_cache: dict[str, str] = {}
        centers = self._centers()
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
            self._copy(rng, start=have, count=size - have, centers=centers, user_id=user.pk)
            have = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE beneficiaries_beneficiary")
            self.stdout.write(f"\n{size:,} people ({time.perf_counter() - started:.0f} s to build)")
            self._measure(rng, centers=centers, queries=queries)

    def _centers(self) -> list[Center]:
        centers = []
        for n in range(20):
            code = ["ANK", "IST", "KON", "SAN", "KIL"][n] if n < 5 else f"B{n:02d}"
            center, _ = Center.objects.get_or_create(code=code, defaults={"name": code, "city": code})
            centers.append(center)
        return centers

    def _key(self, name: str) -> str:
        if name not in self.key_cache:
            self.key_cache[name] = names.name_key(name)
        return self.key_cache[name]

    def _copy(self, rng, *, start, count, centers, user_id):
        columns = [
            "registration_number", "center_id", "first_name", "last_name", "father_name", "first_name_original",
            "last_name_original", "sex", "birth_year", "birth_year_estimated", "nationality", "population_group",
            "phone", "district", "neighbourhood", "languages", "needs_interpreter", "document_type", "document_number",
            "vulnerabilities", "relationship_to_head", "registered_at", "registered_by_id", "card_version",
            "first_name_key", "first_name_key_original", "last_name_key", "last_name_key_original",
        ]  # fmt: skip
        batch = 100_000
        for offset in range(start, start + count, batch):
            buffer = io.StringIO()
            for i in range(offset, min(offset + batch, start + count)):
                sex = rng.choice(["male", "female"])
                first = rng.choice(MALE if sex == "male" else FEMALE)
                family = rng.choice(self.families)
                center = centers[i % len(centers)]
                row = [
                    f"{center.code}-2026-{i:07d}", str(center.pk), first, family, rng.choice(MALE), "", "", sex,
                    str(rng.randint(1940, 2025)), "f", "SY", "temporary_protection", f"+90532{i:07d}", "", "", "[]",
                    "f", "foreigner_id", f"99{i:09d}", "[]", "", "2026-01-15 10:00:00+03", str(user_id), "1",
                    self._key(first), "", self._key(family), "",
                ]  # fmt: skip
                buffer.write("\t".join(row) + "\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY beneficiaries_beneficiary ({', '.join(columns)}) FROM STDIN", buffer
                )

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
            person = {"first_name": typed, "last_name": last, "birth_year": year + rng.choice([-1, 0, 1]), "sex": sex,
                      "phone": "", "document_number": ""}  # fmt: skip
            t = time.perf_counter()
            candidates = duplicate_candidates(person=person, user_center_ids={center_id})
            check.append((time.perf_counter() - t) * 1000)
            found += any(c.pk == pk for c in candidates)

            query = rng.choice([typed, f"{typed} {last}", typed[:4]])
            t = time.perf_counter()
            page = Paginator(beneficiary_search(center=by_pk[center_id], query=query), 25).get_page(1)
            list(page)
            search.append((time.perf_counter() - t) * 1000)
        p50, p95 = _percentiles(check)
        s50, s95 = _percentiles(search)
        self.stdout.write(f"  duplicate check: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (target p95 < 50 ms)")
        self.stdout.write(f"  name search:     p50 {s50:6.1f} ms   p95 {s95:6.1f} ms   (target p95 < 100 ms)")
        self.stdout.write(f"  the person looked for was among the candidates in {found}/{len(sample)} checks")
        count = Beneficiary.objects.count()
        self.stdout.write(f"  ({len(sample)} queries of each kind over {count:,} rows)")
