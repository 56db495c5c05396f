"""A person's name in the script of the interface: the one place pages take it from.

Names are on record in Latin script (as on Turkish documents) and, for many, in their original script.
An Arabic page shows the Arabic-script name first, with the Latin one after it (staff still match it to
documents), when the whole name is on record in that script; every other language shows the Latin name. Each name sits in a <bdi>, so an Arabic name in a
left-to-right page, or a Latin one in a right-to-left page, keeps its own direction and does not
reorder the text around it.
"""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms: Arabic, Persian, Kurdish (Sorani)…
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_INTERFACES = {"ar"}


def _whole_in_arabic_script(person) -> bool:
    """The original-script name stands for the whole name: a given name alone would hide the family name."""
    parts = ((person.first_name, person.first_name_original), (person.last_name, person.last_name_original))
    return ARABIC_SCRIPT.search(person.full_name_original) is not None and all(
        original or not latin for latin, original in parts
    )


def _names(person) -> tuple[str, str]:
    """(the name to show first, the other name on record or "") for the active language."""
    latin, original = person.full_name, person.full_name_original
    language = (get_language() or "").split("-")[0]
    if language in ARABIC_INTERFACES and _whole_in_arabic_script(person):
        return original, latin
    return latin or original, original if latin else ""


@register.filter
def display_name(person, alone: str = ""):
    """``{{ person|display_name }}``: the name in the interface's script, in a <bdi>; on an Arabic page the
    Latin name follows. ``{{ person|display_name:"alone" }}`` gives the first name only, where the page
    shows the other one itself (a profile's header, a register's label)."""
    first, other = _names(person)
    shown_first_is_latin = first == person.full_name
    if alone or not other or shown_first_is_latin:
        return format_html("<bdi>{}</bdi>", first)
    return format_html('<bdi>{}</bdi> <bdi class="small text-body-secondary">{}</bdi>', first, other)


@register.filter
def display_name_text(person) -> str:
    """The name in the interface's script as plain text, for a page title or an attribute."""
    return _names(person)[0]


@register.filter
def other_name(person) -> str:
    """The name :func:`display_name` did not show first: the original script on a Latin page, the Latin
    name on an Arabic one ("" when the record has only one)."""
    return _names(person)[1]
