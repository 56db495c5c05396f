"""Form pieces every app uses: the submission token, the staff choice field, the spreadsheet upload."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from core.spreadsheets import upload_check


class SubmissionTokenForm(forms.Form):
    """A token per form shown, so that a double submit registers one person."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    @classmethod
    def fresh(cls):
        return cls(initial={"token": uuid.uuid4()})


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """Staff chosen by id. An id no row could have (beyond 64 bits) is "not one of the choices" like any
    other wrong id: Django passes it to the database, where SQLite cannot even hold it (found by fuzzing)."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # the parent reports these
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class SpreadsheetField(forms.FileField):
    """A CSV or XLSX to import, refused here (a form error) when no import should read it: too large, of
    another kind, a zip bomb, damaged XML or a DTD (``core.spreadsheets.upload_check``). The rows are read
    later, by the import's task."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload_check(upload)
        return upload
