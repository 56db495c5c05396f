import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from beneficiaries.models import PopulationGroup, Sex
from beneficiaries.selectors import ScanRefused, beneficiary_for_scan
from centers.selectors import active_staff
from core.forms import SpreadsheetField, StaffChoiceField
from core.widgets import use_long_select
from listening.models import AgeBand, Feedback, OutreachVisit
from listening.services import ranked_needs
from services.models import Need

MAX_PERIOD_DAYS = 3 * 366


def registered_person(center, number: str):
    """The person a registration number or card scan names in this centre; a form error when nobody."""
    if not number:
        return None
    try:
        return beneficiary_for_scan(center=center, scanned=number)
    except ScanRefused as refused:
        raise forms.ValidationError(refused.message) from None


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    @staticmethod
    def default(today: dt.date) -> dict:
        """The last twelve months, this one included."""
        year, month = (
            (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
        )
        return {"start": dt.date(year, month, 1), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The period must end after it starts."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", _("Choose a period of three years at most."))
        return data


class VisitForm(forms.ModelForm):
    staff = StaffChoiceField(
        label=_("Other staff on the visit"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OutreachVisit
        fields = ["date", "district", "neighbourhood", "households_visited", "staff", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        }

    def __init__(self, *args, center, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.fields["staff"].queryset = active_staff(center=center).exclude(pk=user.pk)
        self.fields["staff"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


def _need_choices():
    return [("", "---------"), *Need.choices]


class InterviewForm(forms.Form):
    """One person asked. The offline form has the same questions (xlsform.py) and its rows are checked
    by InterviewRowForm, a subclass: a rule added here holds for both."""

    respondent_sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, widget=forms.RadioSelect)
    population_group = forms.ChoiceField(
        label=_("Group"), choices=[("", "---------"), *PopulationGroup.choices]
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=40,
        help_text=_("Only when the person is registered at the centre."),
    )
    need_1 = forms.ChoiceField(label=_("Most important need"), choices=_need_choices)
    need_2 = forms.ChoiceField(label=_("Second need"), choices=_need_choices, required=False)
    need_3 = forms.ChoiceField(label=_("Third need"), choices=_need_choices, required=False)
    quote = forms.CharField(
        label=_("In their words"),
        required=False,
        max_length=500,
        help_text=_("A short quote, without names."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["nationality"].choices = [("", "---------"), *countries]
        use_long_select(self.fields["nationality"])

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip()
        self.beneficiary = registered_person(self.center, number)
        return number

    def clean(self):
        data = super().clean()
        needs = [data.get("need_1"), data.get("need_2"), data.get("need_3")]
        if data.get("need_3") and not data.get("need_2"):
            self.add_error("need_3", _("Fill in the second need before the third."))
        elif data.get("need_1"):
            try:
                data["needs"] = ranked_needs(needs)
            except forms.ValidationError as exc:
                self.add_error("need_2", exc)
        return data

    def interview_data(self) -> dict:
        data = self.cleaned_data
        return {
            "respondent_sex": data["respondent_sex"],
            "age_band": data["age_band"],
            "population_group": data["population_group"],
            "nationality": data["nationality"],
            "beneficiary": self.beneficiary,
            "quote": data["quote"].strip(),
            "needs": data["needs"],
        }


class InterviewRowForm(InterviewForm):
    """A row of the offline form's export: the visit's questions, then the interview's."""

    visit_date = forms.DateField(label=_("Date"))
    district = forms.CharField(label=_("District"), max_length=80)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=80, required=False)
    households_visited = forms.IntegerField(
        label=_("Households visited"), min_value=0, max_value=2000, required=False
    )

    def clean_visit_date(self):
        date = self.cleaned_data["visit_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        if date.year < 2015:
            raise forms.ValidationError(_("This date is before the centres opened."))
        return date


class InterviewImportForm(forms.Form):
    file = SpreadsheetField(
        label=_("Export of the offline form (XLSX or CSV)"),
        help_text=_("In KoboToolbox: Downloads, XLS or CSV, “XML values and headers”."),
    )


class FeedbackForm(forms.ModelForm):
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=40,
        help_text=_("When the person gave their card; leave empty for anonymous feedback."),
    )

    class Meta:
        model = Feedback
        fields = [
            "kind",
            "channel",
            "category",
            "received_on",
            "text",
            "anonymous",
            "registration_number",
            "contact",
            "sensitive",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.instance.center = center
        # Radio buttons offer the kinds only: no blank "---------" choice shown ticked, which saving refused.
        self.fields["kind"].choices = Feedback.Kind.choices

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip()
        # Set before the model's own checks run (anonymous feedback names nobody: Feedback.clean).
        self.instance.beneficiary = registered_person(self.center, number)
        return number

    def feedback_data(self) -> dict:
        data = self.cleaned_data
        fields = ["kind", "channel", "category", "received_on", "text", "anonymous", "contact", "sensitive"]
        return {**{f: data[f] for f in fields}, "beneficiary": self.instance.beneficiary}


class FeedbackAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Feedback.Status.choices)
    answer = forms.CharField(
        label=_("Answer given"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_(
            "For example staff misconduct: only the centre manager and the data protection officer see it."
        ),
    )

    def __init__(self, *args, may_flag: bool, **kwargs):
        """Only someone who may read sensitive feedback may change the flag (it hides it from the others)."""
        super().__init__(*args, **kwargs)
        if not may_flag:
            del self.fields["sensitive"]


FEEDBACK_FILTER_STATUS = [("", _("Not closed")), ("all", _("All")), *Feedback.Status.choices]


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FEEDBACK_FILTER_STATUS,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *Feedback.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
