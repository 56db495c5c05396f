from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionTokenForm
from messaging.models import Broadcast, Channel
from messaging.texts import TEXTS
from services.models import Activity, ServiceCategory

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ContactForm(forms.Form):
    given = forms.ChoiceField(
        label=_("May the centre send this person messages (reminders and notices)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ask the person and record their answer.")},
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)


class BroadcastForm(SubmissionTokenForm):
    audience = forms.ChoiceField(label=_("Send to"), choices=Broadcast.Audience.choices)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.none(), required=False
    )
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=80, required=False)
    template = forms.ChoiceField(
        label=_("Message"), choices=[(t.code, t.label) for t in TEXTS.values() if t.broadcast]
    )
    note = forms.CharField(
        label=_("Text of the notice"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        # Psychosocial (D) activities are never named in a message, nor their people messaged as such.
        self.fields["activity"].queryset = (
            Activity.objects.in_center(center)
            .filter(ends_on__gte=timezone.localdate())
            .exclude(category__code=ServiceCategory.Code.PSYCHOSOCIAL)
        )
        self.fields["category"].queryset = ServiceCategory.objects.exclude(
            code=ServiceCategory.Code.PSYCHOSOCIAL
        )

    def clean(self):
        data = super().clean()
        audience, template = data.get("audience"), data.get("template")
        if audience == Broadcast.Audience.ACTIVITY and not data.get("activity"):
            self.add_error("activity", _("Choose the activity."))
        if audience == Broadcast.Audience.CATEGORY and not data.get("category"):
            self.add_error("category", _("Choose the category."))
        if audience == Broadcast.Audience.NEIGHBOURHOOD and not (data.get("neighbourhood") or "").strip():
            self.add_error("neighbourhood", _("Write the neighbourhood."))
        if template == "activity_reminder" and not data.get("activity"):
            self.add_error("activity", _("A reminder names an activity: choose it."))
        if template == "centre_notice" and not (data.get("note") or "").strip():
            self.add_error("note", _("Write the notice."))
        return data
