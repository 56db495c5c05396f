from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SpreadsheetField
from finance.models import CostEntry


class CostForm(forms.ModelForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Give a month as YYYY-MM.")},
    )

    class Meta:
        model = CostEntry
        fields = ["month", "type", "amount", "currency", "funding_source", "note"]


class CostImportForm(forms.Form):
    file = SpreadsheetField(
        label=_("CSV or XLSX file"), help_text=_("Columns: month, type, amount, currency, funding_source.")
    )


class CostEditForm(CostForm):
    reason = forms.CharField(
        label=_("Why the change"), max_length=200, help_text=_("Kept in the audit trail with your name.")
    )


class CostDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Why remove it"), max_length=200)
