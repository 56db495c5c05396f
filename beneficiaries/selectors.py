"""Reads about people: duplicate candidates, search, the profile."""

import re
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from centers.models import Center

from . import names
from .documents import normalize_document_number
from .models import Beneficiary, RegistrationAlias, Sex

BIRTH_YEAR_TOLERANCE = 2
FAMILY_NAME_SIMILARITY = 80  # rapidfuzz ratio of the family-name keys, 0–100
MAX_CANDIDATES = 10
_CANDIDATE_FIELDS = [
    "pk", "registration_number", "center__code", "center_id", "first_name", "last_name", "father_name",
    "first_name_original", "last_name_original", "birth_year", "sex", "phone", "document_number",
    "first_name_key", "first_name_key_original", "last_name_key", "last_name_key_original",
    "father_name", "household_id",
]  # fmt: skip


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


def _e164(phone) -> str:
    """A phone as stored (E.164), from a PhoneNumber or what a person typed."""
    if not phone:
        return ""
    if hasattr(phone, "as_e164"):
        return phone.as_e164 if phone.is_valid() else ""
    try:
        parsed = phonenumbers.parse(str(phone), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _keys(*values: str) -> set[str]:
    return {names.name_key(v) for v in values if v} - {""}


def _family_names_agree(person: dict, row: dict) -> bool:
    new_keys = _keys(person.get("last_name", ""), person.get("last_name_original", ""))
    old_keys = {row["last_name_key"], row["last_name_key_original"]} - {""}
    if new_keys and old_keys:
        return max(fuzz.ratio(a, b) for a in new_keys for b in old_keys) >= FAMILY_NAME_SIMILARITY
    # Without two family names to compare, the father's name decides when both are known.
    new_father, old_father = names.name_key(person.get("father_name", "")), names.name_key(row["father_name"])
    return not (new_father and old_father) or fuzz.ratio(new_father, old_father) >= FAMILY_NAME_SIMILARITY


def _sexes_compatible(a: str, b: str) -> bool:
    return Sex.UNKNOWN in (a, b) or a == b


def duplicate_candidates(
    *, person: dict, user_center_ids: set[int], exclude_ids: set[int] = frozenset(), same_household_id=None
) -> list[Candidate]:
    """Records in any centre that may be ``person`` (a dict of registration fields).

    One indexed query: the same document number, the same phone, or the same
    given-name key born within two years; rapidfuzz then compares family
    names, and sex must not contradict.
    """
    document = normalize_document_number(person.get("document_number") or "")
    phone = _e164(person.get("phone"))
    first_keys = _keys(person.get("first_name", ""), person.get("first_name_original", ""))
    year = person.get("birth_year")

    condition = Q()
    if document:
        condition |= Q(document_number=document)
    if phone:
        condition |= Q(phone=phone)
    if first_keys and year:
        condition |= (Q(first_name_key__in=first_keys) | Q(first_name_key_original__in=first_keys)) & Q(
            birth_year__range=(year - BIRTH_YEAR_TOLERANCE, year + BIRTH_YEAR_TOLERANCE)
        )
    if not condition:
        return []
    rows = (
        Beneficiary.objects.active()
        .filter(condition)
        .exclude(pk__in=exclude_ids)
        .values(*_CANDIDATE_FIELDS)[:200]
    )

    candidates = []
    for row in rows:
        reasons, score = [], 0
        if document and row["document_number"] == document:
            reasons.append("document")
            score = 100
        family_phone = same_household_id is not None and row["household_id"] == same_household_id
        if phone and row["phone"] == phone and not family_phone:
            reasons.append("phone")
            score = max(score, 60)
        name_match = (
            {row["first_name_key"], row["first_name_key_original"]} & first_keys
            and year
            and abs(row["birth_year"] - year) <= BIRTH_YEAR_TOLERANCE
            and _sexes_compatible(person.get("sex", Sex.UNKNOWN), row["sex"])
            and _family_names_agree(person, row)
        )
        if name_match:
            reasons.append("name")
            score = max(score, 90 - 5 * abs(row["birth_year"] - year))
        if reasons:
            candidates.append(
                Candidate(
                    pk=row["pk"],
                    registration_number=row["registration_number"],
                    center_code=row["center__code"],
                    birth_year=row["birth_year"],
                    name=" ".join(p for p in (row["first_name"], row["last_name"]) if p),
                    reasons=reasons,
                    score=score,
                    full_details=row["center_id"] in user_center_ids,
                )
            )
    candidates.sort(key=lambda c: (-c.score, c.registration_number))
    return candidates[:MAX_CANDIDATES]


_NUMBER = re.compile(r"^[A-Za-z]{3,8}-\d{4}-\d{1,6}$")


def beneficiary_search(*, center: Center, query: str) -> QuerySet[Beneficiary]:
    """People of ``center`` matching a name in either script, a registration
    number (or a merged-away alias), a phone or a document number."""
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
    condition = Q()
    for word in query.split():
        # startswith on the key without its ending lets a receptionist type
        # the first letters of a name.
        key = names.name_key(word, with_ending=False)
        if not key:
            continue
        condition &= (
            Q(first_name_key__startswith=key)
            | Q(last_name_key__startswith=key)
            | Q(first_name_key_original__startswith=key)
            | Q(last_name_key_original__startswith=key)
        )
    if not condition:
        return people.none()
    return people.filter(condition | Q(document_number=normalize_document_number(query)))


def beneficiary_for_number(*, center: Center, number: str) -> Beneficiary | None:
    """The active record a registration number (or alias) points to in ``center``."""
    number = number.strip().upper()
    person = (
        Beneficiary.objects.in_center(center)
        .filter(Q(registration_number=number) | Q(aliases__number=number))
        .first()
    )
    while person is not None and person.merged_into_id:
        person = person.merged_into
    return person
