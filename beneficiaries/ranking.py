"""How close a record's whole name is to the name typed: the strength and order of candidates and search rows.

The name keys (names.py) find people by consonant skeleton, which joins different names (Mohammed and
Mahmoud are both ``mhmd``). Here the given and family names are compared again with the vowels and letters
the key dropped (``names.distance``), in every pair of scripts, and the closest come first.

A strong match is the same name however spelt: every name compared is within STRONG_DISTANCE. Anything else
the keys found is weak, labelled so and listed after the strong ones. A search shows weak rows (Mahmoud below
the Mohammeds); the duplicate check drops those farther than NAME_MAX_DISTANCE, which on the evaluation set
are always other people, so a warning seldom interrupts the desk for nothing.
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from beneficiaries import names
from beneficiaries.models import Beneficiary

STRONG, WEAK = "strong", "weak"
# names.distance is about 1 per letter or vowel that tells two names apart. Within STRONG_DISTANCE the names
# are one name (Mohammed, Muhammad; Fatima, Fatma). The duplicate check takes none farther than
# NAME_MAX_DISTANCE: on the evaluation set (beneficiaries/evaluation) the same-person pairs are all within it,
# while names one letter or vowel apart (Omar and Ammar, Jamal and Jamil, Mohammed and Mahmoud) are
# different people.
STRONG_DISTANCE = 0.5
NAME_MAX_DISTANCE = 0.75
# A name of which only the beginning was typed ranks just after one typed whole.
PREFIX_PENALTY = 0.25
# A name search ranks at most this many people: those with a name spelt as typed first, then those whose key
# is a typed word's, then the names that begin like one.
MAX_RANKED = 2000


def present(*values) -> tuple:
    return tuple(v for v in values if v)


def given_distance(typed: tuple, stored: tuple) -> float:
    """The closest two given names are in any pair of scripts, exact up to NAME_MAX_DISTANCE (past it, only
    "too far" matters: name_strength); 99 when one is missing."""
    return min((names.distance_within(a, b, NAME_MAX_DISTANCE) for a in typed for b in stored), default=99.0)


def family_distance(typed: tuple, stored: tuple) -> float | None:
    """As given_distance, for family names with and without their article; None when one side has none."""
    typed_forms, stored_forms = _family_forms_of(typed), _family_forms_of(stored)
    if not typed_forms or not stored_forms:
        return None
    return min(names.distance_within(a, b, NAME_MAX_DISTANCE) for a in typed_forms for b in stored_forms)


@lru_cache(maxsize=50_000)
def _family_forms_of(spellings: tuple) -> frozenset:
    """Every form of a record's family names (asked again for each record compared with a name)."""
    return frozenset().union(*(names.family_forms(n) for n in spellings))


def name_strength(given: float, family: float | None) -> str | None:
    """Strong, weak, or None (another name) for the distances of the given and family names of two records."""
    if given > NAME_MAX_DISTANCE or (family is not None and family > NAME_MAX_DISTANCE):
        return None
    return STRONG if given <= STRONG_DISTANCE and (family is None or family <= STRONG_DISTANCE) else WEAK


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class _Word:
    """One word typed in the search box, and the key beginnings that find it."""

    text: str
    key: str  # without its ending: the first letters of a name match too
    family_keys: frozenset  # with and without the article

    @classmethod
    def of(cls, text: str) -> "_Word | None":
        key = names.name_key(text, with_ending=False)
        if not key:
            return None
        # Al-Masri, Masri and المصري find one another: with the article, without it, and with it added.
        family = {names.name_key(form, with_ending=False) for form in names.family_forms(text)} - {""}
        family |= {names.FAMILY_ARTICLE + k for k in family if not k.startswith(names.FAMILY_ARTICLE)}
        return cls(text=text, key=key, family_keys=frozenset(family | {key}))

    def condition(self) -> Q:
        condition = Q(first_name_key__startswith=self.key) | Q(first_name_key_original__startswith=self.key)
        for key in self.family_keys:
            condition |= Q(last_name_key__startswith=key) | Q(last_name_key_original__startswith=key)
        return condition

    def spelt_alike(self) -> Q:
        """Records with a name spelt as typed: ranked first when there are too many to rank."""
        return (
            Q(first_name__iexact=self.text)
            | Q(last_name__iexact=self.text)
            | Q(first_name_original=self.text)
            | Q(last_name_original=self.text)
        )

    def same_key(self) -> Q:
        """Records with a name of the same key: ranked next (their vowels are only compared here)."""
        keys = names.key_variants(names.name_key(self.text))
        return (
            Q(first_name_key__in=keys)
            | Q(first_name_key_original__in=keys)
            | Q(last_name_key__in=keys)
            | Q(last_name_key_original__in=keys)
        )

    def closeness(self, row) -> float:
        """How far the closest of the record's names that this word found is from it, the whole name or its beginning."""
        given = present(row.first_name, row.first_name_original)
        family = present(row.last_name, row.last_name_original)
        keys = (row.first_name_key, row.first_name_key_original)
        fields = [name for name in given if any(k.startswith(self.key) for k in keys)]
        family_keys = (row.last_name_key, row.last_name_key_original)
        if any(k.startswith(fk) for k in family_keys for fk in self.family_keys):
            fields += [form for name in family for form in names.family_forms(name)]
        typed = names.family_forms(self.text) | {self.text}
        if not fields:
            return 0.0  # found by its document number, not by this word
        return min(_typed_distance(t, f) for t in typed for f in fields)


def _typed_distance(typed: str, name: str) -> float:
    whole, beginning = names.distances(typed, name)
    return min(whole, beginning + PREFIX_PENALTY)


_ROW_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "first_name_original",
    "last_name_original",
    "first_name_key",
    "first_name_key_original",
    "last_name_key",
    "last_name_key_original",
)


class RankedSearch:
    """People found by name, closest names first, sliced like a queryset (the paginator's count and page).

    Two queries in all, as a queryset's count and page: the names of at most MAX_RANKED people, ranked
    here, then the page's records. Each record of a page carries ``strength`` ("strong" or "weak").
    """

    def __init__(self, people: QuerySet[Beneficiary], words: list[str], also: Q | None = None):
        self.words = [w for w in (_Word.of(text) for text in words) if w is not None]
        condition = Q()
        for word in self.words:
            condition &= word.condition()
        if not self.words:
            condition = Q(pk__in=[])
        self.people = people.filter(condition | also if also is not None else condition)

    @cached_property
    def _ranked(self) -> list[tuple[int, str]]:
        spelt_alike, same_key = Q(), Q()
        for word in self.words:
            spelt_alike |= word.spelt_alike()
            same_key |= word.same_key()
        # Only when more than MAX_RANKED match does this order choose whom to rank. A typed line of
        # punctuation leaves no condition: Django refuses an empty Q in a When.
        whens = [When(q, then=Value(tier)) for tier, q in ((0, spelt_alike), (1, same_key)) if q]
        tier = Case(*whens, default=Value(2), output_field=IntegerField()) if whens else Value(2)
        rows = (
            self.people.annotate(tier=tier)
            .order_by("tier", "last_name", "first_name", "pk")
            .values_list(*_ROW_FIELDS, named=True)[: MAX_RANKED + 1]
        )
        rows = list(rows)
        self._truncated = len(rows) > MAX_RANKED
        scored = []
        for order, row in enumerate(rows[:MAX_RANKED]):
            distances = [word.closeness(row) for word in self.words]
            strength = STRONG if all(d <= STRONG_DISTANCE for d in distances) else WEAK
            scored.append((strength != STRONG, sum(distances), order, row.pk, strength))
        scored.sort()
        return [(pk, strength) for *_, pk, strength in scored]

    @property
    def truncated(self) -> bool:
        """More people matched than were ranked: the page says to type more of the name."""
        return self._ranked is not None and self._truncated

    def count(self) -> int:
        return len(self._ranked)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        chosen = self._ranked[index]
        records = self.people.in_bulk([pk for pk, _ in chosen])
        page = []
        for pk, strength in chosen:
            record = records[pk]
            record.strength = strength
            page.append(record)
        return page
