"""The subject-access document: everything held about a person, in words they can read, in their language.

The JSON export is for machines: field names, codes and ids. This is what the data protection officer hands
to the person: a cover letter naming the controller, their rights under Türkiye's data protection law, then
one section per kind of record with translated labels and values in words. Choices show their label,
booleans Yes or No, dates the locale's format, a link to another record that record's name (a centre's name,
a staff member's full name), never a database id; the change history says who changed which fields when.

Built from the same declarations as the JSON (core.personal_data); only the labels of a few list fields
(codes stored in a JSON list) are looked up here, because a JSONField has no choices to read them from.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.models import Language, Vulnerability
from cases.models import REFERRAL_FIELDS
from core import personal_data

# Columns that mean something to the database, not to the person: ids, matching keys, tokens, the page path
# of an access (it carries ids), and the change history's own bookkeeping (told in words instead).
HIDDEN = frozenset(
    {
        "id",
        "submission_token",
        "submission_id",
        "card_version",
        "first_name_key",
        "first_name_key_original",
        "last_name_key",
        "last_name_key_original",
        "merged_into",
        "path",
        "ip_address",
        "history_id",
        "history_date",
        "history_type",
        "history_user",
        "history_change_reason",
    }
)
# Labels of columns whose model gives no translatable verbose name (Django made one from the field name).
LABELS = {
    "activity": gettext_lazy("Activity"),
    "at": gettext_lazy("When"),
    "author": gettext_lazy("Author"),
    "by": gettext_lazy("By"),
    "case": gettext_lazy("Case"),
    "center": gettext_lazy("Centre"),
    "closed_by": gettext_lazy("Closed by"),
    "closure_requested_by": gettext_lazy("Closure requested by"),
    "created_at": gettext_lazy("Created on"),
    "created_by": gettext_lazy("Created by"),
    "decided_at": gettext_lazy("Decided on"),
    "decided_by": gettext_lazy("Decided by"),
    "done_at": gettext_lazy("Done on"),
    "from_center": gettext_lazy("From centre"),
    "number": gettext_lazy("Registration number"),
    "opened_by": gettext_lazy("Opened by"),
    "received_by": gettext_lazy("Staff member who received it"),
    "recorded_at": gettext_lazy("Recorded on"),
    "recorded_by": gettext_lazy("Recorded by"),
    "requested_at": gettext_lazy("Requested on"),
    "requested_by": gettext_lazy("Requested by"),
    "session": gettext_lazy("Session"),
    "user": gettext_lazy("Staff member"),
    "visit": gettext_lazy("Outreach visit"),
}
# Lists of codes kept in a JSONField, by field name: code -> label.
LIST_LABELS = {
    "languages": dict(Language.choices),
    "vulnerabilities": dict(Vulnerability.choices),
    "shared_fields": REFERRAL_FIELDS,
}


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _user(user) -> str:
    return user.get_full_name() or user.get_username()


# How a record another record points to is named, by model; (name, related rows to read with it).
NAMED: dict[str, tuple[Callable, tuple[str, ...]]] = {
    settings.AUTH_USER_MODEL: (_user, ()),
    "centers.Center": (lambda center: center.name, ()),
    "cases.Case": (
        lambda case: (
            _("Case opened on %(date)s at %(centre)s")
            % {"date": _date(timezone.localtime(case.opened_at).date()), "centre": case.center.name}
        ),
        ("center",),
    ),
    "services.Session": (
        lambda session: f"{session.activity.name}, {_date(session.date)}",
        ("activity",),
    ),
    "services.ServiceCategory": (lambda category: category.get_code_display(), ()),
    "services.Activity": (lambda activity: activity.name, ()),
    "cases.Partner": (lambda partner: partner.name, ()),
    "listening.OutreachVisit": (
        lambda visit: _("Outreach visit on %(date)s") % {"date": _date(visit.date)},
        (),
    ),
    "beneficiaries.Household": (
        lambda household: (
            ", ".join(p for p in (household.address, household.neighbourhood, household.district) if p)
            or _("Household")
        ),
        (),
    ),
}


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class Section:
    title: str
    #: one list of (label, value) per record
    records: list[list[tuple[str, str]]] = field(default_factory=list)
    #: lines of text (the change history)
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    language: str
    right_to_left: bool
    title: str
    date: str
    letter: list[str]
    rights_title: str
    rights_intro: str
    rights: list[str]
    rights_how: str
    signature: list[str]
    held_title: str
    sections: list[Section]
    nothing_held: str

    def text(self) -> str:
        """Everything the document says, in reading order (what the PDF prints)."""
        parts = [self.title, self.date, *self.letter, self.rights_title, self.rights_intro, *self.rights]
        parts += [self.rights_how, *self.signature]
        parts.append(self.held_title)
        for section in self.sections:
            parts.append(section.title)
            for record in section.records:
                parts.extend(f"{label}: {value}" for label, value in record)
            parts.extend(section.lines)
            if not section.records and not section.lines:
                parts.append(self.nothing_held)
        return "\n".join(parts)


def languages() -> list[tuple[str, str]]:
    """(code, name) of the languages the document is written in, each also named in itself."""
    return [
        (code, f"{name} · {translation.get_language_info(code)['name_local']}")
        for code, name in settings.LANGUAGES
    ]


def document_language(*, person, requested: str | None, fallback: str) -> str:
    """The language asked for; else the first of the person's languages the document is written in; else the
    officer's own (``fallback``)."""
    available = [code for code, _name in settings.LANGUAGES]
    if requested in available:
        return requested
    for code in getattr(person, "languages", None) or []:
        if code in available:
            return code
    fallback = (fallback or "").split("-")[0]
    return fallback if fallback in available else settings.LANGUAGE_CODE


def controller_name() -> str:
    # DATA_CONTROLLER_NAME names the national society; until it is set, the letter describes it.
    return settings.DATA_CONTROLLER_NAME or _("the Red Crescent society that runs the community centres")


def _label(model_field) -> str:
    if model_field.name in LABELS and isinstance(model_field.verbose_name, str):
        return capfirst(str(LABELS[model_field.name]))
    return capfirst(str(model_field.verbose_name))


def _shown(model_field, subject_label: str) -> bool:
    if model_field.name in HIDDEN or model_field.primary_key or isinstance(model_field, models.UUIDField):
        return False
    # A link back to the person the document is about says nothing new.
    return not (model_field.is_relation and model_field.related_model._meta.label == subject_label)


def _fields(model, subject_label: str) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.concrete_fields if _shown(f, subject_label)}


def _related_names(tables: list[tuple[type[models.Model], list[dict]]]) -> dict[tuple[str, object], str]:
    """(model label, pk) -> name, for every record the rows point to: one query per kind of record."""
    wanted = defaultdict(set)
    for model, rows in tables:
        for model_field in model._meta.concrete_fields:
            if not model_field.is_relation:
                continue
            label = model_field.related_model._meta.label
            wanted[label].update(row[model_field.name] for row in rows if row.get(model_field.name))
    names = {}
    for label, pks in wanted.items():
        if not pks or label not in NAMED:
            continue  # a record with no name for people (never shown as its id)
        namer, related = NAMED[label]
        for obj in apps.get_model(label)._default_manager.select_related(*related).filter(pk__in=pks):
            names[(label, obj.pk)] = namer(obj)
    return names


def _value(model_field, value, names: dict) -> str | None:
    """A value in words; None when there is nothing to show (empty, or a record that cannot be named)."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if model_field.is_relation:
        return names.get((model_field.related_model._meta.label, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "code") and hasattr(value, "name"):  # a Country
        return str(value.name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, list):
        labels = LIST_LABELS.get(model_field.name, {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(value)


def _record(row: dict, fields: dict, names: dict) -> list[tuple[str, str]]:
    shown = []
    for name, model_field in fields.items():
        value = _value(model_field, row.get(name), names)
        if value is not None:
            shown.append((_label(model_field), value))
    return shown


def _history_lines(rows: list[dict], fields: dict, names: dict) -> list[str]:
    """ "Changed on <date> by <name>: <fields>", one line per saved change, oldest first."""
    users = {pk: name for (label, pk), name in names.items() if label == settings.AUTH_USER_MODEL}
    lines, previous = [], None
    for row in rows:
        when = _date(row["history_date"])
        who = users.get(row.get("history_user"))
        changed = ""
        if previous is not None:
            changed = ", ".join(
                _label(f) for name, f in fields.items() if row.get(name) != previous.get(name)
            )
        previous = row
        values = {"date": when, "person": who, "fields": changed}
        if row.get("history_type") == "+":
            line = _("Created on %(date)s by %(person)s") if who else _("Created on %(date)s")
        elif row.get("history_type") == "-":
            line = _("Deleted on %(date)s by %(person)s") if who else _("Deleted on %(date)s")
        elif changed:
            line = (
                _("Changed on %(date)s by %(person)s: %(fields)s")
                if who
                else _("Changed on %(date)s: %(fields)s")
            )
        else:
            line = (
                _("Saved on %(date)s by %(person)s, nothing changed")
                if who
                else _("Saved on %(date)s, nothing changed")
            )
        lines.append(line % values)
    return lines


def _sections(person, data: dict) -> list[Section]:
    subject_label = apps.get_model(personal_data.subject().model)._meta.label
    declared = [d for d in personal_data.declarations() if d.section in data]
    tables = []
    for declaration in declared:
        value = data[declaration.section]
        rows = [value] if isinstance(value, dict) else value
        tables.append((apps.get_model(declaration.model.partition("#")[0]), rows))
    names = _related_names(tables)
    sections = []
    for declaration, (model, rows) in zip(declared, tables, strict=True):
        fields = _fields(model, subject_label)
        title = str(declaration.title)
        if rows and "history_type" in rows[0]:
            sections.append(Section(title=title, lines=_history_lines(rows, fields, names)))
        else:
            sections.append(Section(title=title, records=[_record(row, fields, names) for row in rows]))
    return sections


def _letter(person, *, controller: str, today: str) -> list[str]:
    name = getattr(person, "full_name_original", "") if translation.get_language_bidi() else ""
    name = name or getattr(person, "full_name", "") or str(person)
    return [
        _("Dear %(name)s,") % {"name": name},
        _(
            "You asked which personal data we hold about you. This document lists all of it, as recorded on "
            "%(date)s. The data controller, who decides why and how your data is used, is %(controller)s."
        )
        % {"date": today, "controller": controller},
        _(
            "We use your data to give you the services you ask for, to follow up your case and, when you "
            "agree, to refer you to other organisations. When you have had no contact with us for "
            "%(years)s years, what identifies you is destroyed."
        )
        % {"years": settings.RETENTION_YEARS},
        _(
            "The text of confidential psychosocial notes is not included: the clinical supervisor of your "
            "centre gives it to you if you ask."
        ),
    ]


def _rights() -> list[str]:
    return [
        _("Access: know whether we hold data about you, why, and who we shared it with, and have a copy."),
        _("Rectification: have data that is wrong or incomplete corrected."),
        _("Erasure: have your data erased or anonymised when there is no longer a reason to keep it."),
        _(
            "Objection: object to a decision against you that comes only from automated processing, and claim "
            "compensation for damage caused by unlawful processing."
        ),
        _(
            "Complaint: complain to the Personal Data Protection Board (KVKK Board), www.kvkk.gov.tr, within "
            "30 days of our answer, or within 60 days of your request if we do not answer."
        ),
    ]


def subject_document(*, person, data: dict, language: str, by=None) -> Document:
    """The document in ``language``, from ``data`` (privacy.services.subject_data)."""
    with translation.override(language):
        controller = controller_name()
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        signature = [_("Data protection officer")]
        if by is not None:
            signature.insert(0, _user(by))
        signature.append(capfirst(controller))
        return Document(
            language=language,
            right_to_left=translation.get_language_bidi(),
            title=_("Your personal data held by %(controller)s") % {"controller": controller},
            date=_("Date: %(date)s") % {"date": today},
            letter=_letter(person, controller=controller, today=today),
            rights_title=_("Your rights"),
            rights_intro=_(
                "Under Türkiye's Law on the Protection of Personal Data (No. 6698, KVKK) you have the right to:"
            ),
            rights=_rights(),
            rights_how=_(
                "To use any of these rights, ask at any of our community centres or write to our data "
                "protection officer. We answer free of charge within 30 days."
            ),
            signature=signature,
            held_title=_("What we hold about you"),
            sections=_sections(person, data),
            nothing_held=_("Nothing of this kind is held."),
        )
