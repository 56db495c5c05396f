from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SpreadsheetField

from .columns import COLUMNS
from .models import ImportRow


class UploadForm(forms.Form):
    file = SpreadsheetField(
        label=_("CSV or XLSX file"),
        help_text=_("A spreadsheet, or a KoboToolbox or ODK export. The first row names the columns."),
    )


class MappingForm(forms.Form):
    """For each field, the column of the file that holds it (or none)."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [
            (str(i), header or _("Column %(n)d") % {"n": i + 1}) for i, header in enumerate(headers)
        ]
        for column in COLUMNS:
            self.fields[column.code] = forms.TypedChoiceField(
                label=column.label,
                choices=choices,
                coerce=int,
                required=column.required,
                empty_value=None,
                help_text=column.help,
                error_messages={"required": _("Choose the column that holds this.")},
            )

    def clean(self):
        data = super().clean()
        used = {}
        for code, index in list(data.items()):
            if index is None:
                continue
            if index in used:
                self.add_error(
                    code,
                    _("This column is already chosen for “%(field)s”.")
                    % {"field": self.fields[used[index]].label},
                )
            used[index] = code
        return data

    def mapping(self) -> dict[str, int]:
        return {code: index for code, index in self.cleaned_data.items() if index is not None}


class DecisionForm(forms.Form):
    """The decisions on one page of rows: ``row-<id>`` -> new, skip or same."""

    action = forms.ChoiceField(choices=[("save", "save"), ("import", "import")], required=False)

    def __init__(self, *args, rows: list[ImportRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            choices = ImportRow.Decision.choices
            if not row.candidates:
                choices = [c for c in choices if c[0] != ImportRow.Decision.SAME]
            self.fields[f"row-{row.pk}"] = forms.ChoiceField(
                label=_("Row %(n)d") % {"n": row.number},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=row.decision,
            )

    def decisions(self) -> dict[int, str]:
        return {
            int(name.removeprefix("row-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("row-") and value
        }
