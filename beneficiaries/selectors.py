"""Reads about people: duplicate candidates, search, the profile."""

import functools
import re
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from beneficiaries import names
from beneficiaries.documents import normalize_document_number
from beneficiaries.models import Beneficiary, DuplicateDecision, RegistrationAlias, Sex
from beneficiaries.ranking import (
    NAME_MAX_DISTANCE,
    STRONG,
    RankedSearch,
    family_distance,
    given_distance,
    name_strength,
    present,
)
from centers.models import Center

BIRTH_YEAR_TOLERANCE = 2
FAMILY_NAME_SIMILARITY = 80  # rapidfuzz ratio of the family-name keys, 0–100
MAX_CANDIDATES = 10
# Key matches whose names are read and compared, best key score first.
MAX_COMPARED = 100
# A block (one given-name key, five birth years) holds a few thousand people
# at a million records; past this many the check stops reading, never silently.
MAX_BLOCK_ROWS = 20_000
# Phone and document are compared in SQL: parsing a phone per row costs more
# than the whole query.
_MATCH_FIELDS = [
    "pk",
    "center_id",
    "birth_year",
    "sex",
    "household_id",
    "father_name",
    "same_phone",
    "same_document",
    "first_name_key",
    "first_name_key_original",
    "last_name_key",
    "last_name_key_original",
]


@dataclass
class Candidate:
    """A record that may be the person being registered.

    ``full_details`` is False for a record of a centre the user does not work
    in: the page then shows only its number, centre and birth year.
    """

    pk: int
    registration_number: str
    center_code: str
    birth_year: int
    name: str
    reasons: list[str] = field(default_factory=list)
    score: int = 0
    full_details: bool = False
    strength: str = STRONG  # "weak": the names are close but not the same name (see ranking.py)


def _e164(phone) -> str:
    """A phone as stored (E.164), from a PhoneNumber or what a person typed."""
    if hasattr(phone, "as_e164"):  # a PhoneNumber: its truth value would validate it once more
        return phone.as_e164 if phone.is_valid() else ""
    if not phone:
        return ""
    try:
        parsed = phonenumbers.parse(str(phone), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _keys(*values: str) -> set[str]:
    """The keys of a name in each script, with every ending each may be spelt with elsewhere."""
    return set().union(*(names.key_variants(names.name_key(v)) for v in values if v))


@functools.lru_cache(maxsize=100_000)
def _family_forms(*keys: str) -> frozenset[str]:
    """Every form of the family-name keys; asked again for each record of a block, so kept (a few thousand
    family names make most of a registry)."""
    return frozenset().union(*(names.family_key_forms(k) for k in keys if k))


def _family_similarity(family_keys: set[str], father_key: str, row) -> int:
    """0–100: how well the family names (or, without them, the fathers' names) agree, with or without the article."""
    old_keys = _family_forms(row.last_name_key, row.last_name_key_original)
    if family_keys and old_keys:
        return max(fuzz.ratio(a, b) for a in family_keys for b in old_keys)
    old_father = names.name_key(row.father_name) if father_key else ""
    if father_key and old_father:
        return fuzz.ratio(father_key, old_father)
    return FAMILY_NAME_SIMILARITY  # nothing to compare: the given name and age decide


def _sexes_compatible(a: str, b: str) -> bool:
    return Sex.UNKNOWN in (a, b) or a == b


@dataclass(frozen=True)
class _Probe:
    """What the duplicate check compares, taken once from the registration fields."""

    document: str
    phone: str | None
    first_keys: set
    family_keys: set
    father_key: str
    year: int | None
    sex: str
    given_names: tuple = ()
    family_names: tuple = ()

    @classmethod
    def of(cls, person: dict) -> "_Probe":
        return cls(
            document=normalize_document_number(person.get("document_number") or ""),
            phone=_e164(person.get("phone")),
            first_keys=_keys(person.get("first_name", ""), person.get("first_name_original", "")),
            family_keys=_family_forms(
                names.name_key(person.get("last_name", "")),
                names.name_key(person.get("last_name_original", "")),
            ),
            father_key=names.name_key(person.get("father_name", "")),
            year=person.get("birth_year"),
            sex=person.get("sex", Sex.UNKNOWN),
            given_names=present(person.get("first_name"), person.get("first_name_original")),
            family_names=present(person.get("last_name"), person.get("last_name_original")),
        )

    def block(self) -> Q:
        """The indexed block: the same document, the same phone, or the same given-name key ±2 years."""
        condition = Q()
        if self.document:
            condition |= Q(document_number=self.document)
        if self.phone:
            condition |= Q(phone=self.phone)
        if self.first_keys and self.year:
            condition |= (
                Q(first_name_key__in=self.first_keys) | Q(first_name_key_original__in=self.first_keys)
            ) & Q(birth_year__range=(self.year - BIRTH_YEAR_TOLERANCE, self.year + BIRTH_YEAR_TOLERANCE))
        return condition

    def score(self, row, same_household_id, similarity=None) -> tuple[int, list[str]]:
        """``similarity``: the row's family-name similarity (``_family_similarity``) if already known."""
        reasons, score = [], 0
        if row.same_document:
            reasons.append("document")
            score = 100
        family_phone = same_household_id is not None and row.household_id == same_household_id
        if row.same_phone and not family_phone:
            reasons.append("phone")
            score = max(score, 60)
        if (
            self.year
            and {row.first_name_key, row.first_name_key_original} & self.first_keys
            and abs(row.birth_year - self.year) <= BIRTH_YEAR_TOLERANCE
            and _sexes_compatible(self.sex, row.sex)
        ):
            if similarity is None:
                similarity = _family_similarity(self.family_keys, self.father_key, row)
            if similarity >= FAMILY_NAME_SIMILARITY:
                reasons.append("name")
                # Same family key and same year first: 90 at best, below a shared document.
                score = max(score, 70 + similarity // 5 - 5 * abs(row.birth_year - self.year))
        return score, reasons


def duplicate_candidates(
    *, person: dict, user_center_ids: set[int], exclude_ids: set[int] = frozenset(), same_household_id=None
) -> list[Candidate]:
    """Records in any centre that may be ``person`` (a dict of registration fields).

    One indexed query: the same document number, the same phone, or the same
    given-name key born within two years; rapidfuzz then compares the family
    keys, and sex must not contradict. A second query reads the names of the
    best matches, which ranking.py compares with their vowels: strong
    candidates first, then weak ones; another name with the same consonants
    (Mahmoud for Mohammed) is no candidate.
    """
    probe = _Probe.of(person)
    condition = probe.block()
    if not condition:
        return []
    # First the slim rows of the block, compared here; then the details of
    # the few that match, so the page never loads a whole block.
    rows = (
        Beneficiary.objects.active()
        .filter(condition)
        .exclude(pk__in=exclude_ids)
        .annotate(
            same_phone=ExpressionWrapper(
                Q(phone=probe.phone) if probe.phone else Value(False), output_field=BooleanField()
            ),
            same_document=ExpressionWrapper(
                Q(document_number=probe.document) if probe.document else Value(False),
                output_field=BooleanField(),
            ),
        )
        .values_list(*_MATCH_FIELDS, named=True)[:MAX_BLOCK_ROWS]
    )
    matches = {}
    for row in rows:
        score, reasons = probe.score(row, same_household_id)
        if reasons:
            matches[row.pk] = (score, reasons, row.center_id in user_center_ids)
    return _candidates(matches, probe)


def _compared(probe: _Probe, record: dict, reasons: list[str]) -> tuple[int, list[str], str]:
    """Score, reasons and strength of a match once the names are compared with their vowels.

    A name that only shares the key (another name with the same consonants) stops being a reason.
    """
    score = 100 if "document" in reasons else 60 if "phone" in reasons else 0
    if "name" not in reasons:
        return score, reasons, STRONG
    others = [r for r in reasons if r != "name"]
    given = given_distance(probe.given_names, present(record["first_name"], record["first_name_original"]))
    if given > NAME_MAX_DISTANCE:  # another given name: whatever the family names, no name match
        return score, others, STRONG
    family = family_distance(probe.family_names, present(record["last_name"], record["last_name_original"]))
    strength = name_strength(given, family)
    if strength is None:
        return score, others, STRONG
    # 90 for the same names born the same year, below a shared document (100); a short vowel apart (0.5) costs 5.
    years = abs(record["birth_year"] - probe.year)
    name_score = max(1, round(90 - 10 * given - 10 * (family or 0) - 5 * years))
    return max(score, name_score), reasons, STRONG if others else strength


def _candidates(matches: dict, probe: _Probe) -> list[Candidate]:
    """The details of the best matches: names compared with their vowels, strong ones first."""
    # Ties broken by record, older first: the same rows are compared whatever order the rows were read in.
    best = sorted(matches, key=lambda pk: (-matches[pk][0], pk))[:MAX_COMPARED]
    details = Beneficiary.objects.filter(pk__in=best).values(
        "pk",
        "registration_number",
        "center__code",
        "birth_year",
        "first_name",
        "last_name",
        "first_name_original",
        "last_name_original",
    )
    candidates = []
    for d in details:
        _key_score, reasons, own_center = matches[d["pk"]]
        score, reasons, strength = _compared(probe, d, reasons)
        if reasons:
            candidates.append(
                Candidate(
                    pk=d["pk"],
                    registration_number=d["registration_number"],
                    center_code=d["center__code"],
                    birth_year=d["birth_year"],
                    name=" ".join(p for p in (d["first_name"], d["last_name"]) if p),
                    score=score,
                    reasons=reasons,
                    full_details=own_center,
                    strength=strength,
                )
            )
    candidates.sort(key=lambda c: (c.strength != STRONG, -c.score, c.registration_number))
    return candidates[:MAX_CANDIDATES]


def dismissed_duplicates(*, person: Beneficiary) -> set[int]:
    """Records someone already decided are not ``person``: the check does not offer them again."""
    decisions = DuplicateDecision.objects.filter(kind=DuplicateDecision.Kind.NOT_SAME).filter(
        Q(beneficiary=person) | Q(other=person)
    )
    return {pk for pair in decisions.values_list("beneficiary_id", "other_id") for pk in pair} - {person.pk}


_NUMBER = re.compile(r"^[A-Za-z]{3,8}-\d{4}-\d{1,6}$")


def beneficiary_search(*, center: Center, query: str) -> QuerySet[Beneficiary] | RankedSearch:
    """People of ``center`` matching a name in either script, a registration
    number (or a merged-away alias), a phone or a document number.

    A name gives a :class:`RankedSearch`, closest names first; each person of a page it gives carries
    ``strength``. Either result pages with a Paginator in two queries."""
    people = Beneficiary.objects.active().in_center(center).select_related("household")
    query = " ".join((query or "").split())
    if not query:
        return people.order_by("-registered_at")
    if _NUMBER.match(query):
        number = query.upper()
        alias = RegistrationAlias.objects.filter(number=number).values("beneficiary_id")
        return people.filter(Q(registration_number=number) | Q(pk__in=alias))
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 7 and len(digits) >= len(query.replace(" ", "")) - 2:
        by_number = Q(document_number=normalize_document_number(query))
        phone = _e164(query)
        return people.filter(by_number | Q(phone=phone) if phone else by_number)
    words = [w for w in query.split() if names.name_key(w)]
    if not words:
        return people.none()
    document = normalize_document_number(query)
    # A query that is no document number must not find everyone whose document is empty.
    return RankedSearch(people, words, also=Q(document_number=document) if document else None)


def beneficiary_anywhere_for_number(*, number: str) -> Beneficiary | None:
    """The record a number points to in any centre, following merges (for a merge across centres)."""
    number = number.strip().upper()
    person = Beneficiary.objects.filter(Q(registration_number=number) | Q(aliases__number=number)).first()
    while person is not None and person.merged_into_id:
        person = person.merged_into
    return person


def beneficiary_for_number(*, center: Center, number: str) -> Beneficiary | None:
    """The record a registration number (or an earlier one) points to, if that person belongs to ``center``.

    A merged-away number leads to its survivor; the survivor must belong to the centre too, so a person who
    moved to another centre is found there only, whichever of their numbers is typed.
    """
    person = beneficiary_anywhere_for_number(number=number)
    if person is None or person.center_id != center.pk:
        return None
    return person


def _card_version(text: str) -> int | None:
    """The version after the slash of a card scan; None when it is not a number ("²" is a digit to Python
    but not a number int() reads)."""
    try:
        return int(text.strip())
    except ValueError:
        return None


class ScanRefused(Exception):
    """A typed number or a scanned card that opens nothing here; the message says why, for the desk."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def beneficiary_for_scan(*, center: Center, scanned: str) -> Beneficiary:
    """Every scan point (lookup, Today, enrolment, walk-ins, interviews) reads a card or number here.

    A card carries ``NUMBER/VERSION``; a card older than the person's last reissue is refused everywhere.
    Raises :class:`ScanRefused`.
    """
    number, _sep, version = scanned.strip().partition("/")
    person = beneficiary_for_number(center=center, number=number)
    if person is None:
        raise ScanRefused(_("No one with this number is registered at this centre."))
    if version and _card_version(version) != person.card_version:
        raise ScanRefused(
            _(
                "This card is no longer valid: a newer card was issued. Ask for the new card or check the person's identity."
            )
        )
    return person


def beneficiary_search_by_name_everywhere(*, query: str) -> RankedSearch:
    """People of every centre whose name matches ``query`` in any script, closest names first: the
    centre's name search (:class:`RankedSearch`) for the national roles that answer a person's request
    (the data protection officer). Each record of a page carries its centre."""
    words = [w for w in " ".join((query or "").split()).split() if names.name_key(w)]
    return RankedSearch(Beneficiary.objects.active().select_related("center"), words)
