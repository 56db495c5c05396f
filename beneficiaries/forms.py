from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary, ConsentScope, Language, Relationship, Vulnerability
from beneficiaries.services import HEAD_FIELDS, MEMBER_FIELDS
from core.widgets import use_long_select

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class _PersonForm(forms.ModelForm):
    """Fields every person has; the model's clean() checks dates and documents."""

    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=_("When the exact date is not known."),
    )
    not_duplicate = forms.BooleanField(
        label=_("I checked the records above: none of them is this person."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []
        # Shown only once the duplicate check has found someone.
        self.fields["not_duplicate"].widget = forms.HiddenInput()
        self.fields["date_of_birth"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in ("first_name_original", "last_name_original"):
            self.fields[name].widget.attrs.update({"dir": "auto", "lang": "ar"})
        if "nationality" in self.fields:
            use_long_select(self.fields["nationality"])

    def clean(self):
        data = super().clean()
        dob, year = data.get("date_of_birth"), data.get("birth_year")
        if dob:
            data["birth_year"] = dob.year
        elif year is None and not self.has_error("date_of_birth") and not self.has_error("birth_year"):
            self.add_error("birth_year", _("Give the date of birth, or at least an estimated year of birth."))
        return data

    def _post_clean(self):
        # The model needs the birth year that clean() derived from the date.
        if self.cleaned_data.get("birth_year") is not None:
            self.instance.birth_year = self.cleaned_data["birth_year"]
        super()._post_clean()

    def show_duplicate_confirmation(self) -> None:
        # Drawn right under the candidates it answers (beneficiaries/_candidates.html), which describe it.
        self.fields["not_duplicate"].widget = forms.CheckboxInput(
            attrs={"aria-describedby": self.duplicate_warning_id}
        )

    @property
    def duplicate_warning_id(self) -> str:
        """The id of the duplicate warning; one per person, as a family registers several at once."""
        return f"{self['not_duplicate'].auto_id}-warning"

    def person_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "not_duplicate"}


class BeneficiaryForm(_PersonForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Beneficiary
        fields = HEAD_FIELDS


class MemberForm(_PersonForm):
    """A household member, registered in the same flow as the head."""

    relationship_to_head = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[("", "—")] + [c for c in Relationship.choices if c[0] != Relationship.HEAD],
    )

    class Meta:
        model = Beneficiary
        fields = MEMBER_FIELDS


# absolute_max: a forged TOTAL_FORMS never makes the server build more than 20 forms.
MemberFormSet = forms.formset_factory(MemberForm, extra=0, max_num=20, absolute_max=20, validate_max=True)


class ConsentForm(forms.Form):
    """An explicit yes or no for each scope: nothing is assumed."""

    def __init__(self, *args, initial_answers: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for scope, label in ConsentScope.choices:
            self.fields[scope] = forms.ChoiceField(
                label=label,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Ask the person and record their answer.")},
            )
            if initial_answers and scope in initial_answers:
                self.initial[scope] = "yes" if initial_answers[scope] else "no"

    def answers(self) -> dict[str, bool]:
        return {scope: self.cleaned_data[scope] == "yes" for scope in ConsentScope.values}


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number or card code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "placeholder": "ANK-2026-000123"}
        ),
    )


class MergeForm(forms.Form):
    other_number = forms.CharField(label=_("Registration number of the duplicate record"), max_length=20)
    confirm = forms.BooleanField(
        label=_("I checked both records: they are the same person."),
        error_messages={"required": _("Tick this box to confirm.")},
    )
