"""The dry run: every row of a file read as the registration form reads it, and classified.

A row is an error (every error of the row, in words), a duplicate of an earlier row of the same file, the
same person as an existing record, a possible duplicate the manager decides on, a row imported before (by
its fingerprint), or a new person. Nothing is written here but the rows' classes.
"""

import copy
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from beneficiaries import names
from beneficiaries.forms import BeneficiaryForm
from beneficiaries.models import Beneficiary, Relationship
from beneficiaries.selectors import _Probe
from beneficiaries.services import INHERITED_FROM_HEAD
from centers.models import Center

from . import beside, matching
from .columns import BY_CODE, CONSENTS, MULTIPLE, _in_each_language, choice_lookup
from .models import ImportedRow, ImportRow

# A record this close to the row (the same names born the same year, or the same document) is the same
# person; a lower or weak score needs the manager's decision.
SAME_PERSON_SCORE = 85
CHOICE_FIELDS = ("sex", "population_group", "document_type", "relationship_to_head")
CANDIDATES_KEPT = 3


def _no_constraints(*args, **kwargs) -> None:
    """The model's two constraints need no check per row (see RowForm)."""


class RowForm(BeneficiaryForm):
    """The registration form, for a row: the same fields, rules and messages.

    Two checks that cost a database query or a sort of every country's translated name per row, and that the
    form's own fields already make, are not made again: the model's constraints (the year of birth, which the
    form holds to 1900–2200; a record merged into itself, which a new row cannot be) and the model's list
    of countries (the form's nationality field checks the code against the same list)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.validate_constraints = _no_constraints

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"nationality"}


class _SharedFields(dict):
    """A form copies its fields deeply, choices and all, which costs more than checking a row: here each form
    gets its own copy of each field, sharing their choices, which nothing changes."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


RowForm.base_fields = _SharedFields(
    RowForm.base_fields,
    nationality=forms.ChoiceField(
        label=BeneficiaryForm.base_fields["nationality"].label,
        choices=[(country.code, country.code) for country in countries],
    ),
)


@dataclass
class CheckedRow:
    number: int
    values: dict
    fingerprint: str
    household_key: str = ""
    person: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    kind: str = ImportRow.Kind.NEW
    candidates: list = field(default_factory=list)
    same_as_row: int | None = None
    probe: _Probe | None = None


class _Lookups:
    """What a cell may hold for each choice column, and for yes/no, in any of the four languages."""

    def __init__(self):
        self.choices = {code: choice_lookup(BY_CODE[code].choices) for code in (*CHOICE_FIELDS, *MULTIPLE)}
        self.yes = {"yes", "y", "1", "true", *(t.lower() for t in _in_each_language(_("Yes")))}
        self.no = {"no", "n", "0", "false", *(t.lower() for t in _in_each_language(_("No")))}
        self.countries = {}
        self.checked = {}  # the rest of a row (see ON_THEIR_OWN) -> (cleaned data, errors)
        self.alone = {}  # (field, value) -> (cleaned value, errors)

    def country(self, text: str) -> str:
        if len(text) == 2 and text.isalpha():
            return text.upper()
        if text not in self.countries:
            code = ""
            for language in ("en", "tr", "fr", "ar"):
                code = countries.by_name(text, language=language)
                if code:
                    break
            self.countries[text] = code or text
        return self.countries[text]


_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_WHOLE = re.compile(r"^\d+\.0$")


def _cell(text) -> str:
    text = " ".join(str(text or "").split())
    return text[:-2] if _WHOLE.match(text) else text


def mapped_values(row: list[str], mapping: dict[str, int]) -> dict[str, str]:
    return {code: _cell(row[index]) if index < len(row) else "" for code, index in mapping.items()}


def fingerprint(values: dict[str, str]) -> str:
    """The same row, whatever its position or the file's other rows: a hash of what it says."""
    data = {k: v.lower() for k, v in values.items() if v}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _form_data(values: dict, lookups: _Lookups) -> dict:
    data = {k: v for k, v in values.items() if k in BeneficiaryForm.base_fields}
    for code in CHOICE_FIELDS:
        if data.get(code):
            data[code] = lookups.choices[code].get(data[code].lower(), data[code])
    for code in MULTIPLE:
        if data.get(code):
            items = [i for i in re.split(r"[,;\s]+", data[code]) if i]
            data[code] = [lookups.choices[code].get(i.lower(), i) for i in items]
    if data.get("nationality"):
        data["nationality"] = lookups.country(data["nationality"])
    if match := _DAY_FIRST.match(data.get("date_of_birth", "")):
        day, month, year = match.groups()
        data["date_of_birth"] = f"{year}-{int(month):02d}-{int(day):02d}"
    return data


def _json(cleaned: dict) -> dict:
    out = {}
    for name, value in cleaned.items():
        if name == "not_duplicate":
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif name == "phone":
            value = value.as_e164 if value else ""
        elif name == "nationality":
            value = str(value)
        out[name] = value
    return out


def _label(name: str) -> str:
    column = BY_CODE.get(name)
    return str(column.label) if column else name


# Fields whose check depends on nothing else in the form (a name's length, a phone number): each is
# checked by the form's own field and the model's validators, so that the rest of a row, checked by the whole
# form, is the same for many rows and checked once.
ON_THEIR_OWN = (
    "first_name",
    "last_name",
    "father_name",
    "first_name_original",
    "last_name_original",
    "phone",
)
PLACEHOLDER = {"first_name": "x"}  # the form requires a given name: checked on its own


def _check_alone(name: str, value, errors: list, lookups: "_Lookups"):
    """One field on its own; a value met before (a common name, a household's phone) is checked once."""
    key = (name, value)
    if key not in lookups.alone:
        found = []
        lookups.alone[key] = (_check_field(name, value, found), found)
    cleaned, found = lookups.alone[key]
    errors.extend(found)
    return cleaned


def _check_field(name: str, value, errors: list):
    try:
        cleaned = RowForm.base_fields[name].clean(value)
        Beneficiary._meta.get_field(name).run_validators(cleaned)
    except ValidationError as exc:
        errors.extend(f"{_label(name)}: {message}" for message in exc.messages)
        return None
    return cleaned


def _check_rest(data: dict, lookups: _Lookups) -> tuple[dict | None, list]:
    """The registration form over the row without its names and phone, once per distinct rest."""
    rest = {k: v for k, v in data.items() if k not in ON_THEIR_OWN}
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in rest.items()))
    if key not in lookups.checked:
        form = RowForm(data={**rest, **PLACEHOLDER})
        errors = []
        for name, messages in form.errors.items():
            errors.extend(
                message if name == "__all__" else f"{_label(name)}: {message}" for message in messages
            )
        cleaned = (
            {k: v for k, v in form.cleaned_data.items() if k not in ON_THEIR_OWN} if not errors else None
        )
        lookups.checked[key] = (cleaned, errors)
    return lookups.checked[key]


def validate(row: CheckedRow, lookups: _Lookups) -> None:
    """The registration form's validation, and the import's own columns (household, consents)."""
    data = _form_data(row.values, lookups)
    errors = []
    own = {name: _check_alone(name, data.get(name, ""), errors, lookups) for name in ON_THEIR_OWN}
    rest, rest_errors = _check_rest(data, lookups)
    row.errors.extend(rest_errors)
    row.errors.extend(errors)
    if not row.errors:
        cleaned = {**rest, **own}
        row.person = _json(cleaned)
        row.probe = _Probe.of(cleaned)
    relationship = row.values.get("relationship_to_head", "")
    code = lookups.choices["relationship_to_head"].get(relationship.lower(), "")
    if row.household_key and not relationship:
        row.errors.append(_("Say how this person is related to the head of the household."))
    elif relationship and not code:
        row.errors.append(
            _("%(column)s: “%(value)s” is not one of the choices.")
            % {"column": _label("relationship_to_head"), "value": relationship}
        )
    consents = {}
    for column, scope in CONSENTS.items():
        answer = row.values.get(column, "").lower()
        if answer in lookups.yes or answer in lookups.no:
            consents[scope] = answer in lookups.yes
        elif answer:
            row.errors.append(_("%(column)s: answer yes or no.") % {"column": _label(column)})
    if row.errors:
        row.person, row.probe = {}, None
        return
    row.person.update(relationship_to_head=code if row.household_key else "", consents=consents)


def _households(rows: list[CheckedRow]) -> None:
    """Members take what they leave blank from their head (as in registration); a household has one head."""
    groups = defaultdict(list)
    for row in rows:
        if row.household_key:
            groups[row.household_key].append(row)
    head_code = Relationship.HEAD.value
    lookup = choice_lookup(Relationship)
    for key, members in groups.items():
        heads = [
            r for r in members if lookup.get(r.values.get("relationship_to_head", "").lower()) == head_code
        ]
        if len(heads) != 1:
            message = (
                _("Household “%(key)s” has no head in this file.")
                if not heads
                else _("Household “%(key)s” has more than one head in this file.")
            )
            for row in members:
                row.errors.append(message % {"key": key})
            continue
        head = heads[0]
        for row in members:
            for name in INHERITED_FROM_HEAD:
                if not row.values.get(name) and head.values.get(name):
                    row.values[name] = head.values[name]


def _held(row: CheckedRow, center_id: int) -> matching.Held:
    """A valid row as the duplicate check reads a record, so rows of one file are compared like records."""
    p = row.person
    return matching.Held(
        pk=row.number,
        center_id=center_id,
        registration_number=str(row.number),
        birth_year=p["birth_year"],
        sex=p["sex"],
        household_id=row.household_key or None,
        father_name=p.get("father_name", ""),
        phone=p.get("phone", ""),
        document_number=row.probe.document,
        first_name=p.get("first_name", ""),
        last_name=p.get("last_name", ""),
        first_name_original=p.get("first_name_original", ""),
        last_name_original=p.get("last_name_original", ""),
        first_name_key=names.name_key(p.get("first_name", "")),
        first_name_key_original=names.name_key(p.get("first_name_original", "")),
        last_name_key=names.name_key(p.get("last_name", "")),
        last_name_key_original=names.name_key(p.get("last_name_original", "")),
        same_phone=False,
        same_document=False,
    )


def _in_file(rows: list[CheckedRow], center_id: int) -> None:
    """A row that the form's check finds among the file's earlier rows is a duplicate of the first of them."""
    index = matching.Index()
    for row in rows:
        if row.probe is None:
            continue
        similarity = {}
        found = matching.candidates_among(
            row.probe,
            index.near(row.probe, similarity),
            user_center_ids=set(),
            codes={},
            same_household=row.household_key or None,
            similarity=similarity,
        )
        if found:
            row.kind, row.same_as_row = ImportRow.Kind.IN_FILE, min(c.pk for c in found)
        else:
            index.add(_held(row, center_id))


def _before(rows: list[CheckedRow], center: Center) -> None:
    prints = [r.fingerprint for r in rows]
    held = set()
    for start in range(0, len(prints), 5000):
        held |= set(
            ImportedRow.objects.in_center(center)
            .filter(fingerprint__in=prints[start : start + 5000])
            .values_list("fingerprint", flat=True)
        )
    for row in rows:
        if row.fingerprint in held:
            row.kind = ImportRow.Kind.BEFORE


def _candidate_json(candidate) -> dict:
    return {
        "pk": candidate.pk,
        "number": candidate.registration_number,
        "center": candidate.center_code,
        "name": candidate.name if candidate.full_details else "",
        "birth_year": candidate.birth_year,
        "score": candidate.score,
        "strength": candidate.strength,
        "reasons": candidate.reasons,
    }


def _classify(row: CheckedRow, found: list) -> None:
    if not found:
        return
    row.candidates = [_candidate_json(c) for c in found[:CANDIDATES_KEPT]]
    top = found[0]
    sure = top.strength == matching.STRONG and ("document" in top.reasons or top.score >= SAME_PERSON_SCORE)
    rivals = [c for c in found[1:] if c.strength == matching.STRONG and c.score >= SAME_PERSON_SCORE]
    row.kind = ImportRow.Kind.EXISTING if sure and not rivals else ImportRow.Kind.POSSIBLE


def _validate_all(rows: list[CheckedRow], lookups: _Lookups, progress) -> None:
    """Every row validated; a large file's second half in a second process (``beside``)."""
    split = len(rows) >= matching.PARALLEL_FROM and beside.can_fork()
    mine, theirs = (rows[: len(rows) // 2], rows[len(rows) // 2 :]) if split else (rows, [])

    def their_half():
        for row in theirs:
            validate(row, lookups)
        return [(row.person, row.errors, row.probe) for row in theirs]

    def my_half():
        for done, row in enumerate(mine, start=1):
            validate(row, lookups)
            if done % 1000 == 0:
                progress(0.5 * done / len(mine))

    validated, _mine = beside.run_beside(their_half, my_half) if split else ([], my_half())
    for row, (person, errors, probe) in zip(theirs, validated, strict=True):
        row.person, row.errors, row.probe = person, errors, probe


def check_rows(
    *, center: Center, rows: list[list[str]], mapping: dict[str, int], progress=lambda share: None
) -> list[CheckedRow]:
    """Classify the rows below the header. ``progress`` is told the share done, 0 to 1."""
    lookups = _Lookups()
    checked = []
    for number, cells in enumerate(rows, start=2):
        values = mapped_values(cells, mapping)
        checked.append(
            CheckedRow(
                number=number,
                values=values,
                fingerprint=fingerprint(values),
                household_key=values.pop("household_id", "") if "household_id" in values else "",
            )
        )
    _before(checked, center)
    _households(checked)
    _validate_all([r for r in checked if r.kind != ImportRow.Kind.BEFORE], lookups, progress)
    for row in checked:
        if row.errors:
            row.kind = ImportRow.Kind.ERROR
        elif row.kind == ImportRow.Kind.BEFORE:
            row.probe = None
    # Every valid row is compared with the records while the rows are compared with one another (a large
    # file in two processes: matching.existing_candidates); a row found earlier in the file stays that.
    probes = {r.number: r.probe for r in checked if r.probe is not None and r.kind == ImportRow.Kind.NEW}
    with matching.names_compared_once(), matching.collector_paused():
        found = matching.existing_candidates(
            probes,
            user_center_ids={center.pk},
            progress=lambda done: progress(0.5 + 0.45 * done / max(len(probes), 1)),
            meanwhile=lambda: _in_file(checked, center.pk),
        )
    for row in checked:
        if row.kind == ImportRow.Kind.NEW and row.number in found:
            _classify(row, found[row.number])
    return checked
