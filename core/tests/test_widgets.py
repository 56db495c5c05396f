"""LongSelect writes what Django's Select writes, without a template per option."""

import re

import pytest
from django import forms
from django_countries import countries

from core.widgets import LongSelect, use_long_select

CHOICES = [
    ("", "---------"),
    ("SY", "Syria"),
    ("TR", "Türkiye"),
    ("x<y", 'A "quoted" & <odd> label'),
    ("Group", [("IQ", "Iraq"), ("IR", "Iran")]),
    (None, "Nothing"),
    ("SY", "Syria again"),
]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", "SY", "IR", "x<y", "nowhere"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_nationality", "required": True, "class": "form-select"}])
def test_the_html_is_djangos(value, attrs):
    django_select = forms.Select(choices=CHOICES, attrs={"data-x": "1", "disabled": False})
    long_select = LongSelect(choices=CHOICES, attrs={"data-x": "1", "disabled": False})
    assert _same(long_select.render("nationality", value, attrs)) == _same(
        django_select.render("nationality", value, attrs)
    )


def test_the_countries_of_a_form_field_are_kept_with_their_attributes():
    class Form(forms.Form):
        nationality = forms.ChoiceField(choices=[("", "---------"), *countries])

    form = Form(initial={"nationality": "SY"})
    form.fields["nationality"].widget.attrs["dir"] = "auto"
    use_long_select(form.fields["nationality"])
    html = str(form["nationality"])
    assert isinstance(form.fields["nationality"].widget, LongSelect)
    assert html.count("<option") == len(countries) + 1
    assert '<option value="SY" selected>' in html
    assert 'dir="auto"' in html and "required" in html
