"""Reads for the data protection officer: finding the person a request is about, in any centre."""

import re

from beneficiaries.ranking import RankedSearch
from beneficiaries.selectors import beneficiary_search_by_name_everywhere
from core import personal_data

# A registration number (ANK-2026-000123), or what a card's QR code carries: the number and "/<version>".
NUMBER = re.compile(r"^\s*([A-Za-z]{3,8}-\d{4}-\d{1,6})(?:/\d*)?\s*$")


def subject_number(query: str) -> str | None:
    """The registration number in what was typed or scanned, upper-cased; None when it is a name."""
    match = NUMBER.match(query or "")
    return match.group(1).upper() if match else None


def subject_for_number(*, number: str):
    """The person a registration number (current or earlier) points to, followed to the survivor of a merge."""
    person = personal_data.subject().find(number)
    while person is not None and person.merged_into_id:
        person = person.merged_into
    return person


def subjects_by_name(*, query: str) -> RankedSearch:
    """People of every centre with a name like ``query``, in any script, closest first; with their centre.

    Pages in two queries whatever their length (the names ranked, then the page's records)."""
    return beneficiary_search_by_name_everywhere(query=query)
