"""The Twilio backend against a local server that plays Twilio: the exact request, then signed callbacks."""

import base64
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import CONTACT_SCOPE, Consent
from messaging import services
from messaging.backends.twilio import signature
from messaging.models import Message
from messaging.tests.fake_twilio import SID, TOKEN, serving

AFTERNOON = dt.datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


@pytest.fixture
def twilio(settings):
    with serving() as (fake, base):
        settings.SMS_BACKEND = "messaging.backends.twilio.TwilioBackend"
        settings.TWILIO_API_BASE = base
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
        settings.TWILIO_FROM, settings.TWILIO_WHATSAPP_FROM = "+15005550006", "+14155238886"
        settings.MESSAGING_PUBLIC_URL = "https://toplum.example.org"
        yield fake


def _post_signed(client, name, params, *, token=TOKEN, base="https://toplum.example.org"):
    path = reverse(name)
    return client.post(
        path, params, HTTP_X_TWILIO_SIGNATURE=signature(url=base + path, params=params, auth_token=token)
    )


def test_signature_matches_twilios_documented_example():
    # https://www.twilio.com/docs/usage/security#validating-requests
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature(url=url, params=params, auth_token="12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.fixture
def sent(world, reachable, twilio, django_capture_on_commit_callbacks):
    with time_machine.travel(AFTERNOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        message = services.message_queue(
            person=reachable(first_name="Amina"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "Closed on Friday."},
            dedup_key="twilio-test",
        )
    message.refresh_from_db()
    return message


def test_the_request_is_twilios_messages_api_with_basic_auth(sent, twilio):
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    form = {k: v[0] for k, v in request["form"].items()}
    assert form["To"] == "+905321234567"
    assert form["From"] == "+15005550006"
    assert form["Body"].startswith("Hello Amina, a message from Ankara Community Centre: Closed on Friday.")
    assert form["StatusCallback"] == "https://toplum.example.org/messaging/twilio/status/"
    assert sent.status == Message.Status.SENT and sent.provider_id == "SM" + "1".zfill(32)


def test_whatsapp_messages_use_whatsapp_addresses(
    world, reachable, twilio, django_capture_on_commit_callbacks
):
    with time_machine.travel(AFTERNOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.message_queue(
            person=reachable(channel="whatsapp"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key="wa",
        )
    form = twilio.requests[0]["form"]
    assert (form["To"][0], form["From"][0]) == ("whatsapp:+905321234567", "whatsapp:+14155238886")


def test_a_signed_delivery_receipt_marks_the_message_delivered(client, sent):
    response = _post_signed(
        client,
        "messaging_hooks:twilio_status",
        {"MessageSid": sent.provider_id, "MessageStatus": "delivered"},
    )
    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED
    # A late "sent" receipt does not undo it.
    _post_signed(
        client, "messaging_hooks:twilio_status", {"MessageSid": sent.provider_id, "MessageStatus": "sent"}
    )
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED


def test_an_undelivered_receipt_is_a_failure_that_costs_nothing(client, sent):
    _post_signed(
        client,
        "messaging_hooks:twilio_status",
        {"MessageSid": sent.provider_id, "MessageStatus": "undelivered"},
    )
    sent.refresh_from_db()
    assert (sent.status, sent.cost_usd) == (Message.Status.FAILED, 0)


@pytest.mark.parametrize("name", ["messaging_hooks:twilio_status", "messaging_hooks:twilio_inbound"])
def test_an_unsigned_or_badly_signed_callback_is_refused(client, sent, name):
    params = {"MessageSid": sent.provider_id, "MessageStatus": "failed", "From": sent.to, "Body": "STOP"}
    assert client.post(reverse(name), params).status_code == 403
    assert _post_signed(client, name, params, token="not-the-token").status_code == 403
    assert _post_signed(client, name, params, base="https://elsewhere.example.org").status_code == 403
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT
    assert Consent.objects.get(beneficiary=sent.beneficiary, scope=CONTACT_SCOPE).is_active


@pytest.mark.parametrize("reply", ["STOP", "stop", "Dur", "توقف", "Arrêt!"])
def test_a_stop_reply_withdraws_consent_and_cancels_what_is_queued(client, sent, world, reply):
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 0, tzinfo=ZoneInfo("Europe/Istanbul")), tick=False):
        waiting = services.message_queue(
            person=sent.beneficiary,
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key="waiting",
        )
    response = _post_signed(
        client, "messaging_hooks:twilio_inbound", {"From": sent.to, "Body": reply, "MessageSid": "SMin"}
    )
    assert response.status_code == 200 and b"<Response>" in response.content
    consent = Consent.objects.get(beneficiary=sent.beneficiary, scope=CONTACT_SCOPE)
    assert consent.withdrawn_at is not None
    waiting.refresh_from_db()
    assert waiting.status == Message.Status.CANCELLED


def test_any_other_reply_changes_nothing(client, sent):
    _post_signed(
        client, "messaging_hooks:twilio_inbound", {"From": sent.to, "Body": "Thank you, I will come"}
    )
    assert Consent.objects.get(beneficiary=sent.beneficiary, scope=CONTACT_SCOPE).is_active


def test_an_invalid_number_fails_at_once_and_a_server_error_is_retried(
    world, reachable, twilio, django_capture_on_commit_callbacks
):
    twilio.answers[:] = [
        (400, {"code": 21211, "message": "The 'To' number is not a valid phone number."}),
        (503, {"message": "busy"}),
    ]
    with time_machine.travel(AFTERNOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = services.message_queue(
            person=reachable(),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key="a",
        )
        second = services.message_queue(
            person=reachable(phone="+905321234568"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key="b",
        )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.attempts) == (Message.Status.FAILED, 1)
    assert "21211" in first.error
    assert (second.status, second.attempts) == (Message.Status.SENT, 2)
