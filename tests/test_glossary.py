"""The report vocabulary (locale/glossary.csv) is what the catalogues say, in every language."""

import csv
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["tr", "ar", "fr"]
REQUIRED_TERMS = {
    "reach",
    "people reached",
    "contact",
    "beneficiary",
    "cost per beneficiary",
    "cost per person",
    "runway",
    "small cell",
    "host community",
    "migrant",
    "registration",
    "funding source",
    "outreach visit",
    "needs versus offer",
    "case file",
    "follow-up",
    "referral",
    "consent",
}
# The same English word with another meaning, named by the only source files that use it so:
# a partner's "Contact" details are not a contact with a person (the glossary's note says so).
OTHER_SENSES = {
    "contact": {"cases/models.py", "templates/cases/partners.html", "templates/cases/directory.html"}
}
# "reach" as in people reached, not "outreach" (an outreach visit).
REACH = re.compile(r"(?<!out)reach", re.IGNORECASE)


def _glossary() -> list[dict[str, str]]:
    with open(ROOT / "locale" / "glossary.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _fold(text: str, language: str) -> str:
    """Lower case as the language writes it: Turkish "I" is "ı" and "İ" is "i"."""
    if language == "tr":
        text = text.replace("I", "ı").replace("İ", "i")
    return text.casefold()


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


GLOSSARY = _glossary()


def test_glossary_names_every_report_term_in_every_language():
    assert list(GLOSSARY[0]) == ["term_en", "tr", "ar", "fr", "note"]
    terms = [row["term_en"] for row in GLOSSARY]
    assert len(terms) == len(set(terms))
    assert set(terms) == REQUIRED_TERMS
    for row in GLOSSARY:
        assert all(row[language].strip() for language in LANGUAGES), row["term_en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("row", GLOSSARY, ids=[row["term_en"] for row in GLOSSARY])
def test_the_term_is_translated_with_the_glossary_word(row, language):
    term, word = row["term_en"].casefold(), _fold(row[language], language)
    other_sense = OTHER_SENSES.get(term, set())
    wrong = []
    for entry in _catalogue(language):
        if entry.obsolete or entry.msgid.casefold() != term:
            continue
        if entry.occurrences and {path for path, _line in entry.occurrences} <= other_sense:
            continue
        wrong += [text for text in _translations(entry) if word not in _fold(text, language)]
    assert wrong == [], f"{row['term_en']!r} should be {row[language]!r}"


def test_reach_is_never_transport_in_turkish():
    transport = [
        entry.msgid
        for entry in _catalogue("tr")
        if not entry.obsolete
        and (REACH.search(entry.msgid) or REACH.search(entry.msgid_plural or ""))
        and any("ulaşım" in _fold(text, "tr") for text in _translations(entry))
    ]
    assert transport == []


def test_reach_check_finds_the_report_entries():
    # The check above looks at something: the report's titles speak of reach.
    reach = [e.msgid for e in _catalogue("tr") if not e.obsolete and REACH.search(e.msgid)]
    assert "Monthly reach and cost per beneficiary" in reach
    assert "Outreach visits" not in reach
