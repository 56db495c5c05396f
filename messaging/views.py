import uuid

from django.contrib import messages
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beneficiaries.access import access_person
from centers.permissions import Perm, require_perm
from messaging import conf, selectors, services, texts
from messaging.backends import twilio
from messaging.forms import BroadcastForm, ContactForm
from messaging.models import Message

# The outbox and broadcasts are the centre manager's, like the activities they are about.
MANAGE_MESSAGES = Perm.MANAGE_ACTIVITIES

SAMPLE = {
    "given_name": "Amina",
    "activity": "Turkish A1",
    "date": texts.Day(timezone.localdate()),
    "old_date": texts.Day(timezone.localdate()),
    "time": texts.Clock(timezone.localtime().time().replace(hour=10, minute=0)),
    "deadline": texts.Day(timezone.localdate()),
    "note": "…",
}


@require_perm(MANAGE_MESSAGES)
def outbox(request, center):
    status = request.GET.get("status", "")
    return render(
        request,
        "messaging/outbox.html",
        {
            "outbox": selectors.outbox(center=request.center, status=status),
            "status": status if status in Message.Status.values else "",
            "statuses": Message.Status.choices,
            "summary": selectors.month_summary(center=request.center),
            "price": conf.price_usd(),
        },
    )


def _previews(template: str, variables: dict, center, people) -> list[tuple[str, str]]:
    """The message as each language among the recipients will read it."""
    from messaging.models import ContactPreference

    chosen = dict(
        ContactPreference.objects.filter(beneficiary__in=people).values_list("beneficiary_id", "language")
    )
    languages = sorted({chosen.get(p.pk) or services.default_language(p) for p in people}) or ["en"]
    values = {**SAMPLE, "centre": center.name, **variables}
    return [(code, texts.render(template, language=code, variables=values)) for code in languages]


@require_perm(MANAGE_MESSAGES)
def broadcast(request, center):
    form = BroadcastForm(request.POST or None, center=request.center, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = {k: data[k] for k in ("audience", "activity", "category", "neighbourhood")}
        try:
            variables = services.broadcast_variables(
                template=data["template"], activity=data["activity"], note=data["note"]
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            if "confirm" in request.POST:
                sent, created = services.broadcast_send(
                    center=request.center,
                    by=request.user,
                    token=data["token"],
                    template=data["template"],
                    note=data["note"],
                    **target,
                )
                if created:
                    messages.success(request, _("%(count)d messages queued.") % {"count": sent.recipients})
                return redirect("messaging:outbox", center=request.center.code)
            people = list(services.broadcast_audience(center=request.center, **target))
            reach = selectors.audience_reach(services.broadcast_audience(center=request.center, **target))
            return render(
                request,
                "messaging/broadcast_confirm.html",
                {
                    "form": form,
                    "reach": reach,
                    "previews": _previews(data["template"], variables, request.center, people[:200]),
                },
            )
    return render(request, "messaging/broadcast.html", {"form": form})


@require_perm(MANAGE_MESSAGES)
def preview(request, center):
    language = request.GET.get("language", "")
    if language not in services.MESSAGE_LANGUAGES:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in services.MESSAGE_LANGUAGES else "en"
    values = {**SAMPLE, "centre": request.center.name}
    rendered = [(t, texts.render(t.code, language=language, variables=values)) for t in texts.TEXTS.values()]
    return render(
        request,
        "messaging/preview.html",
        {"rendered": rendered, "language": language, "languages": services.MESSAGE_LANGUAGES},
    )


@require_perm(Perm.REGISTER_BENEFICIARIES)
def contact(request, center, pk):
    person = access_person(request, pk, active_only=True)
    context = selectors.contact_answer(person=person)
    preference, consent = context["contact_preference"], context["contact_consent"]
    initial = {
        "channel": preference.channel if preference else "sms",
        "language": preference.language if preference else services.default_language(person),
    }
    if consent is not None:
        initial["given"] = "yes" if consent.is_active else "no"
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.contact_consent_record(
            person=person,
            given=data["given"] == "yes",
            channel=data["channel"],
            language=data["language"],
            by=request.user,
        )
        messages.success(request, _("Answer recorded."))
        return redirect("beneficiaries:detail", center=request.center.code, pk=person.pk)
    phone_ok = services.phone_e164(person.phone) is not None
    return render(
        request, "messaging/contact.html", {"form": form, "person": person, "phone_ok": phone_ok, **context}
    )


# ---------------------------------------------------------------- the provider calls back


def _signed(request) -> bool:
    base = conf.public_base_url()
    url = f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()
    params = {key: request.POST.get(key) for key in request.POST}
    return twilio.signature_valid(url=url, params=params, given=request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def twilio_status(request):
    """Delivery receipts (MessageSid, MessageStatus): signed by Twilio, so no CSRF token and no login."""
    if not _signed(request):
        return HttpResponseForbidden()
    status = twilio.STATUS.get(request.POST.get("MessageStatus", ""))
    if status:
        services.receipt_apply(provider_id=request.POST.get("MessageSid", ""), status=status)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    """A person's reply (From, Body). STOP withdraws their consent to be contacted."""
    if not _signed(request):
        return HttpResponseForbidden()
    services.reply_receive(
        from_number=twilio.bare_number(request.POST.get("From", "")), body=request.POST.get("Body", "")
    )
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml"
    )
