"""Every message text renders in every language with every variable filled, right-to-left text intact."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import translation

from messaging import texts

SAMPLE = {
    "given_name": "محمد",
    "centre": "Ankara Community Centre",
    "activity": "Turkish A1",
    "date": texts.Day(dt.date(2026, 12, 2)),
    "old_date": texts.Day(dt.date(2026, 12, 1)),
    "time": texts.Clock(dt.time(10, 0)),
    "deadline": texts.Day(dt.date(2026, 12, 4)),
    "note": "The centre is closed on Friday.",
}
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(texts.TEXTS))
def test_every_text_renders_with_every_variable(code, language):
    text = texts.TEXTS[code]
    rendered = texts.render(code, language=language, variables=SAMPLE)
    assert not re.search(r"%\(\w+\)", rendered), rendered
    assert "محمد" in rendered  # the Arabic given name, untouched by the surrounding text
    with translation.override(language):
        for name in text.variables:
            # Every variable is in the text of this language: a translation may not drop one.
            assert str(SAMPLE[name]) in rendered, (code, language, name)
    # Each named variable of the English text is in the text of this language (a translator may not drop one).
    assert set(re.findall(r"%\((\w+)\)s", str(text.body))) == set(text.variables)


def test_a_missing_variable_is_an_error_not_a_silent_gap():
    with pytest.raises(KeyError):
        texts.render("session_tomorrow", language="en", variables={"given_name": "Amina", "centre": "X"})


def test_dates_are_written_in_the_language_of_the_message():
    french = texts.render("follow_up_tomorrow", language="fr", variables=SAMPLE)
    english = texts.render("follow_up_tomorrow", language="en", variables=SAMPLE)
    assert "Wednesday 2 December" in english
    assert "décembre" in french


def test_no_text_speaks_of_cases_or_psychosocial_support():
    for text in texts.TEXTS.values():
        body = str(text.body).lower()
        assert not any(word in body for word in ("case", "psycho", "counsel", "therap", "referral"))
        assert "family_name" not in text.variables and "last_name" not in text.variables
