"""Twilio's Messages API (https://www.twilio.com/docs/messaging/api/message-resource).

Send: POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic auth AccountSid:AuthToken,
form fields To, From (or MessagingServiceSid for an "MG…" sender), Body, StatusCallback; the answer (201)
is the message resource as JSON: ``sid``, ``status``. WhatsApp numbers are written ``whatsapp:+90…``.
Callbacks (delivery receipts: MessageSid, MessageStatus; inbound messages: From, Body) are signed in
X-Twilio-Signature: base64(HMAC-SHA1(auth token, full URL + each POST parameter, sorted by name, as name
followed by value)).
"""

import base64
import hashlib
import hmac

import requests

from messaging import conf

from . import Backend, Outgoing, PermanentError, Sent, TransientError

TIMEOUT_SECONDS = 10
# What Twilio's MessageStatus means for the outbox; the rest (accepted, queued, sending…) changes nothing.
STATUS = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
}


def signature(*, url: str, params: dict[str, str], auth_token: str) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(*, url: str, params: dict[str, str], given: str) -> bool:
    token = conf.twilio_auth_token()
    if not token or not given:
        return False
    return hmac.compare_digest(signature(url=url, params=params, auth_token=token), given)


def address(number: str, channel: str) -> str:
    return f"whatsapp:{number}" if channel == "whatsapp" else number


def bare_number(address_: str) -> str:
    return address_.removeprefix("whatsapp:")


class TwilioBackend(Backend):
    reports_delivery = True

    def send(self, message: Outgoing) -> Sent:
        sid, token = conf.twilio_account_sid(), conf.twilio_auth_token()
        if not sid or not token:
            raise PermanentError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set")
        sender = conf.twilio_whatsapp_from() if message.channel == "whatsapp" else conf.twilio_from()
        data = {"To": address(message.to, message.channel), "Body": message.body}
        if sender.startswith("MG"):
            data["MessagingServiceSid"] = sender
        else:
            data["From"] = address(sender, message.channel)
        if message.status_callback:
            data["StatusCallback"] = message.status_callback
        url = f"{conf.twilio_api_base().rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        try:
            response = requests.post(url, data=data, auth=(sid, token), timeout=TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            raise TransientError(f"Twilio unreachable: {exc.__class__.__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(f"Twilio answered {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            # e.g. 21211: the number is not a valid phone number. Retrying would not help.
            raise PermanentError(
                f"Twilio {body.get('code', response.status_code)}: {body.get('message', '')}"[:250]
            )
        return Sent(provider_id=str(body.get("sid", "")), status="sent")
