"""Synthetic people for the benchmarks (`make bench`): names in several spellings, written with COPY."""

import io
import random
import statistics

from django.db import connection

from beneficiaries import names
from centers.models import Center

# Spelling variants a second desk might type for the same person.
VARIANTS = {
    "Mohammed": ["Muhammad", "Mehmet", "محمد"],
    "Ahmad": ["Ahmed", "Ahmet", "أحمد"],
    "Hussein": ["Hüseyin", "حسين"],
    "Abdulrahman": ["Abd al-Rahman", "عبد الرحمن"],
    "Fatima": ["Fatma", "فاطمة"],
    "Khaled": ["Halit", "خالد"],
    "Zainab": ["Zeynep", "زينب"],
    "Omar": ["Ömer", "عمر"],
    "Yusuf": ["Youssef", "يوسف"],
    "Mariam": ["Meryem", "مريم"],
}
MALE = [
    "Mohammed",
    "Ahmad",
    "Hussein",
    "Abdulrahman",
    "Khaled",
    "Omar",
    "Yusuf",
    "Ali",
    "Mahmoud",
    "Ibrahim",
    "Mustafa",
    "Hassan",
    "Bilal",
    "Samir",
    "Karim",
    "Tarek",
    "Walid",
    "Nabil",
    "Jamal",
    "Rami",
    "Fadi",
    "Hamza",
    "Anas",
    "Majd",
    "Reza",
    "Javad",
    "Hamid",
    "Murat",
    "Emre",
    "Osman",
]
FEMALE = [
    "Fatima",
    "Amina",
    "Mariam",
    "Zainab",
    "Aisha",
    "Nour",
    "Huda",
    "Rania",
    "Layla",
    "Salma",
    "Hala",
    "Rasha",
    "Dima",
    "Lina",
    "Reem",
    "Sara",
    "Yasmin",
    "Hiba",
    "Noura",
    "Ghada",
    "Zahra",
    "Parisa",
    "Shirin",
    "Ayşe",
    "Elif",
]
SYLLABLES = [
    "hal",
    "lak",
    "kas",
    "sab",
    "dar",
    "wish",
    "nad",
    "jar",
    "kha",
    "tib",
    "sha",
    "mi",
    "ba",
    "kour",
    "ham",
    "wi",
    "ma",
    "sri",
    "ra",
    "zaq",
    "ta",
    "hir",
    "sa",
    "lim",
    "ja",
    "bir",
    "ka",
    "rim",
    "fa",
    "rah",
]


def family_names(rng: random.Random, count: int) -> list[str]:
    result = set()
    while len(result) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        result.add(rng.choice(["", "", "Al-"]) + word)
    return sorted(result)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def bench_centers() -> list[Center]:
    """Twenty centres: the four open ones, Kilis, and fifteen more of the planned sixteen."""
    centers = []
    for n in range(20):
        code = ["ANK", "IST", "KON", "SAN", "KIL"][n] if n < 5 else f"B{n:02d}"
        center, _ = Center.objects.update_or_create(
            code=code,
            defaults={"status": Center.Status.OPEN},
            create_defaults={"name": code, "city": code, "status": Center.Status.OPEN},
        )
        centers.append(center)
    return centers


class PeopleWriter:
    """Writes synthetic people with COPY; person i belongs to centre i mod 20."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = family_names(rng, 4000)
        self.key_cache: dict[str, str] = {}

    def key(self, name: str) -> str:
        if name not in self.key_cache:
            self.key_cache[name] = names.name_key(name)
        return self.key_cache[name]

    def copy(self, *, start: int, count: int, centers: list[Center], user_id: int, host_share: float = 0.0):
        rng = self.rng
        columns = [
            "registration_number",
            "center_id",
            "registered_center_id",
            "first_name",
            "last_name",
            "father_name",
            "first_name_original",
            "last_name_original",
            "sex",
            "birth_year",
            "birth_year_estimated",
            "nationality",
            "population_group",
            "phone",
            "district",
            "neighbourhood",
            "languages",
            "needs_interpreter",
            "document_type",
            "document_number",
            "vulnerabilities",
            "relationship_to_head",
            "registered_at",
            "registered_by_id",
            "card_version",
            "first_name_key",
            "first_name_key_original",
            "last_name_key",
            "last_name_key_original",
        ]
        batch = 100_000
        for offset in range(start, start + count, batch):
            buffer = io.StringIO()
            for i in range(offset, min(offset + batch, start + count)):
                sex = rng.choice(["male", "female"])
                first = rng.choice(MALE if sex == "male" else FEMALE)
                family = rng.choice(self.families)
                center = centers[i % len(centers)]
                group = "host_community" if rng.random() < host_share else "temporary_protection"
                row = [
                    f"{center.code}-2026-{i:07d}",
                    str(center.pk),
                    str(center.pk),
                    first,
                    family,
                    rng.choice(MALE),
                    "",
                    "",
                    sex,
                    str(rng.randint(1940, 2025)),
                    "f",
                    "SY",
                    group,
                    f"+90532{i:07d}",
                    "",
                    "",
                    "[]",
                    "f",
                    "foreigner_id",
                    f"99{i:09d}",
                    "[]",
                    "",
                    "2026-01-15 10:00:00+03",
                    str(user_id),
                    "1",
                    self.key(first),
                    "",
                    self.key(family),
                    "",
                ]
                buffer.write("\t".join(row) + "\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY beneficiaries_beneficiary ({', '.join(columns)}) FROM STDIN", buffer
                )
