"""Where each app declares the personal data it holds (pretix's data shredders are the model).

Each app with personal data has a ``privacy.py`` that calls :func:`declare` once per model: what a
subject-access export shows of it, what anonymisation destroys and what it keeps, and which recent activity
keeps a person from the retention job. ``privacy/`` collects the declarations (``autodiscover_modules``) and
never names another app's models, so a new model is exported and anonymised by declaring it here.
:func:`not_personal` says, with a reason, why a model with free text holds nothing about a person; a test
walks every model and fails on one that is neither.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    #: "app_label.Model"
    model: str
    #: the lookup from a row to the person's id ("beneficiary_id", "case__beneficiary_id")
    person: str = "beneficiary_id"
    #: the section of the subject-access export (None: not exported, say why in ``keeps``)
    section: str | None = None
    title: Any = None
    #: sections are exported in this order
    order: int = 0
    #: columns that say nothing about the person, or that the DPO may not read
    export_exclude: tuple[str, ...] = ()
    #: field -> value written over every row of the person on anonymisation
    erase: dict[str, Any] = field(default_factory=dict)
    #: rows deleted on anonymisation
    delete: bool = False
    #: the key of the count recorded in the anonymisation's audit event
    count_as: str | None = None
    #: what stays after anonymisation and why (read by people, not code)
    keeps: str = ""
    #: (person_ids_queryset_ref, cutoff) -> an expression true when this model keeps the person active
    retains: Callable | None = None
    #: custom export: (person, ids) -> rows (a list of dicts) or one dict
    export: Callable | None = None
    #: custom anonymisation: (person, ids, now) -> count
    anonymise: Callable | None = None


@dataclass(frozen=True)
class Subject:
    """The record a subject-access request is about, and how the DPO finds it."""

    model: str
    #: person -> the ids of the person and of every record merged into them
    identities: Callable[[Any], list[int]]
    #: registration number (current or earlier) -> the person, or None
    find: Callable[[str], Any]
    #: cutoff -> people whose own record is older than the cutoff and not yet anonymised
    due: Callable[[dt.date], Any]


_declarations: dict[str, PersonalData] = {}
_not_personal: dict[str, str] = {}
_subject: list[Subject] = []


def declare(declaration: PersonalData) -> None:
    _declarations[declaration.model] = declaration


def not_personal(model: str, *, reason: str) -> None:
    _not_personal[model] = reason


def declare_subject(subject: Subject) -> None:
    _subject[:] = [subject]


def declarations() -> list[PersonalData]:
    return sorted(_declarations.values(), key=lambda d: d.order)


def exempted() -> dict[str, str]:
    return dict(_not_personal)


def subject() -> Subject:
    if not _subject:
        raise RuntimeError("No app declared the subject of personal data (beneficiaries/privacy.py).")
    return _subject[0]


def rows(queryset, *, exclude: tuple = ()) -> list[dict]:
    """Every concrete column of every row, by field name: what an export shows of a model."""
    fields = [f for f in queryset.model._meta.concrete_fields if f.name not in exclude]
    return [{f.name: f.value_from_object(obj) for f in fields} for obj in queryset]
