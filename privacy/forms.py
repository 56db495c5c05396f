from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from centers.models import Center
from core import personal_data


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
            people = apps.get_model(personal_data.subject().model).objects
            ids = list(people.filter(registration_number=number).values_list("pk", flat=True))
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
        label=_("Type the registration number to confirm"),
        max_length=20,
        help_text=_(
            "This cannot be undone: names, birth date, phone, documents, address and notes are destroyed."
        ),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().upper()
        if value != self.person.registration_number.upper():
            raise forms.ValidationError(_("That is not this person's registration number."))
        return value
