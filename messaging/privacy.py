"""What messaging holds about a person: how they want to be reached and the messages sent to them."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare, not_personal

declare(
    PersonalData(
        model="messaging.ContactPreference",
        section="contact_preference",
        title=_("How the person is contacted"),
        order=70,
        delete=True,
    )
)
declare(
    PersonalData(
        model="messaging.Message",
        section="messages",
        title=_("Messages sent"),
        order=71,
        export_exclude=("dedup_key",),
        # The row stays for the month's count and cost; who it went to and what it said go.
        erase={"to": "", "text": "", "provider_id": ""},
        keeps="the message's date, status and cost: the centre's costs count them",
    )
)
not_personal(
    "messaging.Broadcast", reason="an audience (activity, category, neighbourhood) and a text to all"
)
not_personal("messaging.MonthlyCost", reason="a centre's month and its cost entry")
