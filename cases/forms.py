from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center, Role
from centers.selectors import active_staff
from core.forms import SpreadsheetField, StaffChoiceField

from .models import (
    REFERRAL_FIELDS,
    Case,
    CaseGoal,
    FollowUp,
    LegalBasis,
    Partner,
    Referral,
    ServicePoint,
    ServiceType,
)


def _staff(center: Center, *roles):
    return active_staff(center=center, roles=roles)


class CaseOpenForm(forms.ModelForm):
    class Meta:
        model = Case
        field_classes = {"psychologists": StaffChoiceField}
        fields = [
            "reason",
            "legal_basis",
            "risk_level",
            "caseworker",
            "supervisor",
            "psychologists",
            "covers_household",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "psychologists": forms.CheckboxSelectMultiple}

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = _staff(center, Role.SOCIAL_WORKER, Role.CENTER_MANAGER)
        self.fields["supervisor"].queryset = _staff(
            center, Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.CENTER_MANAGER
        )
        self.fields["psychologists"].queryset = _staff(center, Role.PSYCHOLOGIST)
        # The basis is a decision to make each time, not a default to accept.
        legal_basis = self.fields["legal_basis"]
        legal_basis.choices = [("", "---------"), *LegalBasis.choices]
        legal_basis.initial = None
        legal_basis.required = True

    def clean(self):
        data = super().clean()
        if data.get("supervisor") and data.get("supervisor") == data.get("caseworker"):
            self.add_error("supervisor", _("The supervisor cannot be the caseworker."))
        return data


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "type", "summary", "actions_agreed", "next_date"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "next_date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "actions_agreed": forms.Textarea(attrs={"rows": 2}),
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = CaseGoal
        fields = ["goal", "action", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class PsychologistsForm(forms.Form):
    psychologists = StaffChoiceField(
        label=_("Psychologists"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They read and write the case's confidential notes."),
    )

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["psychologists"].queryset = _staff(center, Role.PSYCHOLOGIST)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Confidential note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReferralForm(forms.ModelForm):
    shared_fields = forms.MultipleChoiceField(
        label=_("Data shared with the partner"),
        choices=list(REFERRAL_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=["full_name", "date_of_birth", "phone"],
    )

    class Meta:
        model = Referral
        fields = [
            "service_type",
            "service_point",
            "partner",
            "reason",
            "urgency",
            "shared_fields",
            "appointment_at",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "appointment_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "appointment_at": _("If the partner gave one: the person is reminded by message the day before."),
            "service_point": _("From the service directory. Its organisation receives the referral."),
            "partner": _("Only for an organisation with no service point in the directory."),
        }

    def __init__(self, *args, service_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        self.fields["partner"].required = False
        points = self.fields["service_point"]
        points.queryset = (
            service_points
            if service_points is not None
            else ServicePoint.objects.filter(is_active=True).select_related("partner")
        )
        points.label_from_instance = lambda p: f"{p.name} · {p.partner} · {p.district or p.city}"
        self.fields["appointment_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        point = data.get("service_point")
        if point is not None:
            data["partner"] = point.partner
        elif not data.get("partner") and "partner" not in self.errors:
            self.add_error("service_point", _("Choose a service point, or the organisation."))
        return data

    def clean_appointment_at(self):
        appointment = self.cleaned_data.get("appointment_at")
        if appointment is None:
            return None
        # A referral not yet sent will be sent today at the earliest.
        sent_on = self.instance.sent_on or timezone.localdate()
        if timezone.localdate(appointment) < sent_on:
            raise forms.ValidationError(_("The appointment cannot be before the day the referral was sent."))
        return appointment


class ReferralAppointmentForm(forms.ModelForm):
    """The appointment a partner gives once the referral is sent; the model's clean keeps it after sending."""

    class Meta:
        model = Referral
        fields = ["appointment_at"]
        widgets = {
            "appointment_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "appointment_at": _("If the partner gave one: the person is reminded by message the day before.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing"), max_length=255)


class TransferForm(forms.Form):
    to_center = forms.ModelChoiceField(
        label=_("To centre"), queryset=Center.objects.filter(status=Center.Status.OPEN)
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=255, help_text=_("For example: the family moved to Konya.")
    )

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_center"].queryset = Center.objects.filter(status=Center.Status.OPEN).exclude(
            pk=center.pk
        )


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the referral is declined"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The caseworker reads it to refer the person elsewhere."),
    )


class ReferralOutcomeForm(forms.Form):
    given_on = forms.DateField(label=_("Service given on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note for the caseworker"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done and what comes next. No medical details: only what the caseworker needs."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()


class DirectorySearchForm(forms.Form):
    """The directory's filters (GET): every field optional, a wrong value is ignored rather than an error."""

    service_type = forms.ChoiceField(
        label=_("Service type"), choices=[("", _("Any service")), *ServiceType.choices], required=False
    )
    district = forms.CharField(label=_("District"), max_length=80, required=False)
    q = forms.CharField(label=_("Name or organisation"), max_length=80, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"service_type": data["service_type"], "district": data["district"], "query": data["q"]}


class ServicePointForm(forms.ModelForm):
    service_types = forms.MultipleChoiceField(
        label=_("Service types"), choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, for example: Turkish, Arabic, Persian."),
    )

    class Meta:
        model = ServicePoint
        fields = ["partner", *ServicePoint.DETAILS, "is_active"]
        widgets = {"eligibility": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]


class ServicePointImportForm(forms.Form):
    file = SpreadsheetField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: organisation, name, service_types, city, district, address, opening_hours, languages, "
            "eligibility, referral_method, contact. Several service types or languages: separate them with commas."
        ),
    )
