import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import AuditEvent, Center

from .models import Beneficiary, ConsentScope, Language, Relationship, Vulnerability

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

_PERSON_FIELDS = [
    "first_name", "last_name", "first_name_original", "last_name_original", "father_name", "sex",
    "date_of_birth", "birth_year", "birth_year_estimated",
]  # fmt: skip


class _PersonForm(forms.ModelForm):
    """Fields every person has; the model's clean() checks dates and documents."""

    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2200,
        help_text=_("When the exact date is not known."),
    )  # fmt: skip
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
        self.fields["not_duplicate"].widget = forms.CheckboxInput()

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
        fields = [
            *_PERSON_FIELDS, "nationality", "population_group", "phone", "district", "neighbourhood",
            "languages", "needs_interpreter", "document_type", "document_number", "vulnerabilities",
        ]  # fmt: skip


class MemberForm(_PersonForm):
    """A household member, registered in the same flow as the head."""

    relationship_to_head = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[("", "—")] + [c for c in Relationship.choices if c[0] != Relationship.HEAD],
    )

    class Meta:
        model = Beneficiary
        fields = [*_PERSON_FIELDS, "relationship_to_head", "document_type", "document_number"]


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


class SubmissionTokenForm(forms.Form):
    """A token per form shown, so that a double submit registers one person."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    @classmethod
    def fresh(cls):
        return cls(initial={"token": uuid.uuid4()})


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


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditEvent.Action.choices]
    )
    number = forms.CharField(label=_("Registration number"), required=False, max_length=20)
    center = forms.ModelChoiceField(
        label=_("Centre"), required=False, queryset=Center.objects.all(), to_field_name="code"
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filter(self, events):
        data = self.cleaned_data
        if data["user"]:
            events = events.filter(username__iexact=data["user"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["number"]:
            number = data["number"].strip().upper()
            ids = list(Beneficiary.objects.filter(registration_number=number).values_list("pk", flat=True))
            events = events.filter(
                object_type="beneficiaries.beneficiary", object_id__in=[str(i) for i in ids]
            )
        if data["center"]:
            events = events.filter(center=data["center"])
        if data["start"]:
            events = events.filter(at__date__gte=data["start"])
        if data["end"]:
            events = events.filter(at__date__lte=data["end"])
        return events


class AnonymiseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            ("erasure_request", _("The person asked for their data to be erased")),
            ("consent_withdrawn", _("The person withdrew consent and no other basis applies")),
            ("no_longer_needed", _("The data is no longer needed")),
        ],
    )
    confirm = forms.CharField(
        label=_("Type the registration number to confirm"), max_length=20,
        help_text=_("This cannot be undone: names, birth date, phone, documents, address and notes are destroyed."),
    )  # fmt: skip

    def __init__(self, *args, person: Beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().upper()
        if value != self.person.registration_number.upper():
            raise forms.ValidationError(_("That is not this person's registration number."))
        return value
