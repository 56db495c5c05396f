"""Form pieces every app uses: the submission token and the staff choice field."""

import uuid

from django import forms
from django.core.exceptions import ValidationError


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
