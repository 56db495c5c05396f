"""A person's messages are in their subject-access export; anonymisation erases the number and the text."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from messaging import services
from messaging.models import ContactPreference, Message
from privacy import services as subject


def test_messages_are_exported_and_erased_on_anonymisation(world, reachable):
    person = reachable(first_name="Amina")
    with time_machine.travel(dt.datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo("Europe/Istanbul")), tick=False):
        services.message_queue(
            person=person,
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "Closed Friday"},
            dedup_key="p",
        )
    data = subject.subject_data(person=person)
    [row] = data["messages"]
    assert row["to"] == "+905321234567" and "Closed Friday" in row["text"]
    assert data["contact_preference"][0]["language"] == "en"

    subject.person_anonymise(person=person, reason="test")
    message = Message.objects.get()
    assert (message.to, message.text) == ("", "")
    assert not ContactPreference.objects.filter(beneficiary=person).exists()
