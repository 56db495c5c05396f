from django import forms
from django.utils.translation import gettext_lazy as _

from centers.selectors import active_staff
from services.models import Activity, ActivitySlot, ServiceDelivery, Session


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "name",
            "category",
            "need",
            "kind",
            "facilitator",
            "room",
            "capacity",
            "starts_on",
            "ends_on",
            "min_age",
            "max_age",
            "target_sex",
            "needs_enrolment",
            "completion_threshold",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.center = center
        self.fields["room"].queryset = center.rooms.filter(is_active=True)
        self.fields["facilitator"].queryset = active_staff(center=center)


class SlotForm(forms.ModelForm):
    class Meta:
        model = ActivitySlot
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            self.add_error("ends_at", _("The end is before the start."))
        return data


SlotFormSet = forms.inlineformset_factory(
    Activity, ActivitySlot, form=SlotForm, extra=3, max_num=14, absolute_max=14, can_delete=True
)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }


class PersonNumberForm(forms.Form):
    """A registration number, a card scan (number/version) or, for walk-ins, a name."""

    number = forms.CharField(label=_("Registration number, card or name"), max_length=60)


class WalkInForm(forms.Form):
    walk_ins = forms.CharField(
        label=_("Walk-ins"),
        required=False,
        max_length=2000,
        help_text=_("Scan cards or type registration numbers or a name, one per line."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = ServiceDelivery
        fields = ["category", "type", "date", "duration_minutes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class DeskMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message for the desk"),
        max_length=200,
        help_text=_(
            "Shown at check-in, e.g. “Please ask to see Leyla, social worker”. Never write confidential details here."
        ),
    )
