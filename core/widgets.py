"""Widgets every app may use."""

from django import forms
from django.utils.html import format_html, format_html_join


class LongSelect(forms.Select):
    """A select of many fixed options (the world's countries), written out in Python.

    Django draws every option through two templates of its own (``select_option.html`` and ``attrs.html``):
    about 50 µs an option, 12–30 ms for the 250 countries, and the registration page draws the list twice
    (the person, and the template a household member is added from). This writes the same HTML as Django's
    ``Select`` (``core/tests/test_widgets.py`` compares the two) with one string join. Not for multiple
    selection."""

    allow_multiple_selected = False

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            self._options(self.choices, selected),
        )

    def _options(self, choices, selected: set):
        def option(value, label):
            value = "" if value is None else str(value)
            mark = " selected" if value in selected else ""
            if mark:
                selected.discard(value)  # as Django's Select: the first option of a value is the one selected
            return format_html('  <option value="{}"{}>{}</option>', value, mark, label)

        parts = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                inner = format_html_join("\n", "{}", ((option(v, lbl),) for v, lbl in label))
                parts.append(format_html('  <optgroup label="{}">\n{}\n  </optgroup>', value, inner))
            else:
                parts.append(option(value, label))
        return format_html_join("\n", "{}", ((part,) for part in parts))


def _attributes(attrs: dict):
    """As Django's ``attrs.html``: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


def use_long_select(field: forms.ChoiceField) -> None:
    """Draw ``field`` with ``LongSelect``, keeping its attributes and its choices as they are now."""
    widget = LongSelect(attrs=field.widget.attrs)
    widget.choices = list(field.choices)
    widget.is_required = field.widget.is_required
    field.widget = widget
