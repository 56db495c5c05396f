"""The columns an import understands: what each means, how a header is recognised, the template file.

A column is recognised by its code (``first_name``), by its label in any of the four languages, or by the
last part of a KoboToolbox/ODK XML path (``group_person/given_name``). The manager confirms or corrects
the guess on screen; the choice is remembered for the next file with the same header row.
"""

import hashlib
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from beneficiaries.documents import DocumentType
from beneficiaries.models import Language, PopulationGroup, Relationship, Sex, Vulnerability


@dataclass(frozen=True)
class Column:
    code: str
    label: object
    help: object
    required: bool = False
    aliases: tuple = ()
    choices: type | None = None


COLUMNS = (
    Column("first_name", _("Given name (Latin script)"), _("Required."), True, ("given_name", "name", "ad")),
    Column("last_name", _("Family name (Latin script)"), "", False, ("family_name", "surname", "soyad")),
    Column("father_name", _("Father's name"), "", False, ("father",)),
    Column("first_name_original", _("Given name (original script)"), _("Arabic, Persian…")),
    Column("last_name_original", _("Family name (original script)"), _("Arabic, Persian…")),
    Column("sex", _("Sex"), _("Required."), True, ("gender",), Sex),
    Column("date_of_birth", _("Date of birth"), _("As 2019-03-21."), False, ("dob", "birth_date")),
    Column(
        "birth_year", _("Year of birth"), _("When the exact date is not known."), False, ("year_of_birth",)
    ),
    Column("nationality", _("Nationality"), _("Required. A country code (SY) or name."), True, ("country",)),
    Column(
        "population_group", _("Population group"), _("Required."), True, ("group", "status"), PopulationGroup
    ),
    Column("phone", _("Phone"), "", False, ("phone_number", "mobile", "telefon")),
    Column("district", _("District"), "", False, ("ilce",)),
    Column("neighbourhood", _("Neighbourhood"), "", False, ("neighborhood", "mahalle")),
    Column("languages", _("Languages"), _("Several separated by spaces or commas."), False, (), Language),
    Column("document_type", _("Identity document"), "", False, ("id_type",), DocumentType),
    Column("document_number", _("Document number"), "", False, ("id_number", "document")),
    Column(
        "vulnerabilities",
        _("Vulnerabilities"),
        _("Several separated by spaces or commas."),
        False,
        (),
        Vulnerability,
    ),
    Column("household_id", _("Household"), _("The same text on every member's row."), False, ("household",)),
    Column(
        "relationship_to_head",
        _("Relationship to the head"),
        _("Required with a household."),
        False,
        ("relationship",),
        Relationship,
    ),
    Column("consent_service_delivery", _("Consent: service delivery"), _("yes or no")),
    Column("consent_referral_data_sharing", _("Consent: sharing data for referrals"), _("yes or no")),
    Column("consent_photo", _("Consent: photographs"), _("yes or no")),
)
BY_CODE = {c.code: c for c in COLUMNS}
MULTIPLE = {"languages", "vulnerabilities"}
CONSENTS = {
    "consent_service_delivery": "service_delivery",
    "consent_referral_data_sharing": "referral_data_sharing",
    "consent_photo": "photo",
}


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _in_each_language(text) -> list[str]:
    out = []
    for code in _languages():
        with translation.override(code):
            out.append(str(text))
    return out


def _simplified(text: str) -> str:
    """A header as compared: the last part of an XML path, lower case, spaces and dashes as underscores."""
    text = str(text).strip().split("/")[-1].lower()
    return re.sub(r"[\s\-]+", "_", text)


def layout_of(headers: list[str]) -> str:
    """The file layout: the header row, hashed (the same export tool gives the same hash each month)."""
    return hashlib.sha256("\x1f".join(h.strip() for h in headers).encode()).hexdigest()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field code -> column index, for the headers that name a field by code, label or alias."""
    known = {}
    for column in COLUMNS:
        for name in (column.code, *column.aliases, *_in_each_language(column.label)):
            known.setdefault(_simplified(name), column.code)
    mapping = {}
    for index, header in enumerate(headers):
        code = known.get(_simplified(header))
        if code and code not in mapping:
            mapping[code] = index
    return mapping


def choice_lookup(choices) -> dict[str, str]:
    """What a cell may hold for a choice (the code, or a label in any language) -> the code."""
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        for text in _in_each_language(label):
            lookup[text.strip().lower()] = value
    return lookup


def template_workbook() -> bytes:
    """The template: the headers in the current language, and a sheet that says what each column holds."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("People"))
    sheet.append([str(c.label) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(str(_("Columns")))
    help_sheet.append([str(_("Column")), str(_("What it holds")), str(_("Accepted values"))])
    for column in COLUMNS:
        values = ", ".join(str(v) for v in column.choices.values) if column.choices else ""
        help_sheet.append([str(column.label), str(column.help), values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
