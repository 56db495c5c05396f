from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.forms import SubmissionTokenForm

from .models import CenterPlan, PlannedActivity, PlannedCost, PlannedStaff, Scenario


class MonthField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        kwargs.setdefault("error_messages", {"invalid": _("Give a month as YYYY-MM.")})
        super().__init__(**kwargs)


class PlannedCenterForm(forms.ModelForm):
    class Meta:
        model = Center
        fields = ["code", "name", "city", "address", "floors", "area_m2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True  # registration numbers and URLs carry it


class PlanForm(forms.ModelForm):
    target_month = MonthField(label=_("Target opening month"))

    class Meta:
        model = CenterPlan
        fields = ["target_month", "district", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class PlanCreateForm(SubmissionTokenForm):
    """The token of the create page: a double submit creates one planned centre."""


def _formset(model, fields, widgets=None):
    return forms.inlineformset_factory(
        CenterPlan,
        model,
        fields=fields,
        extra=2,
        can_delete=True,
        max_num=60,
        validate_max=True,
        widgets=widgets,
    )


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ActivityFormSet = _formset(
    PlannedActivity,
    ["category", "name", "kind", "capacity", "sessions_a_week", "starts_at", "ends_at", "room_name", "need"],
    widgets={"starts_at": TIME, "ends_at": TIME},
)
StaffFormSet = _formset(PlannedStaff, ["role", "count", "monthly_cost", "currency", "funding_source"])
CostFormSet = _formset(PlannedCost, ["type", "one_off", "amount", "currency", "funding_source", "note"])


class OpenForm(forms.Form):
    opened_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))


class ScenarioForm(forms.Form):
    """An opening month for each planned centre (empty: it stays closed), and a name to save it under."""

    name = forms.CharField(label=_("Name"), max_length=120, required=False)

    def __init__(self, *args, centers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.centers = list(centers)
        for center in self.centers:
            self.fields[f"open_{center.code}"] = MonthField(
                label=_("%(centre)s opens in") % {"centre": center.name}, required=False
            )

    def openings(self) -> list:
        return [
            (c, self.cleaned_data[f"open_{c.code}"])
            for c in self.centers
            if self.cleaned_data.get(f"open_{c.code}")
        ]

    def clean(self):
        data = super().clean()
        this_month = timezone.localdate().replace(day=1)
        for center in self.centers:
            month = data.get(f"open_{center.code}")
            if month and month < this_month:
                self.add_error(f"open_{center.code}", _("Choose this month or a later one."))
        if not self.errors and not self.openings():
            raise forms.ValidationError(_("Choose an opening month for at least one planned centre."))
        return data


class ScenarioSaveForm(ScenarioForm):
    token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Name the scenario to save it."))
        return name


class CompareForm(forms.Form):
    scenarios = forms.ModelMultipleChoiceField(
        label=_("Scenarios"), queryset=Scenario.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    def clean_scenarios(self):
        chosen = self.cleaned_data["scenarios"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose two scenarios or more."))
        if len(chosen) > 6:
            raise forms.ValidationError(_("Compare six scenarios at most."))
        return chosen
