from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CostEntry, Room


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "floor", "capacity", "purpose", "is_active"]


class CostForm(forms.ModelForm):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Give a month as YYYY-MM.")},
    )  # fmt: skip

    class Meta:
        model = CostEntry
        fields = ["month", "type", "amount", "currency", "funding_source", "note"]


class CostImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("Columns: month, type, amount, currency, funding_source.")
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()
