"""Writes of messaging: consent to be contacted, queuing notices, sending, receipts and replies, costs.

No message is queued or sent without the person's active ``contact`` consent; a withdrawal cancels what
is still queued at once, and sending checks the consent again.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import recorder
from beneficiaries.models import CONTACT_SCOPE, Beneficiary, Consent
from beneficiaries.services import consent_update
from centers.models import Center
from core.tokens import create_once
from messaging import conf, texts
from messaging.backends import Outgoing, PermanentError, TransientError, get_backend
from messaging.models import Broadcast, Channel, ContactPreference, Message, MonthlyCost
from services.models import Activity, Enrollment, ServiceCategory, Session

MESSAGE_LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Replies that withdraw consent: English, Turkish ("dur": stop), Arabic ("توقف"), French.
STOP_WORDS = {"stop", "stopall", "unsubscribe", "dur", "durdur", "iptal", "توقف", "arret", "arrêt"}


class NotQueued(Exception):
    """Why a message was not queued: ``no_consent``, ``no_phone``, ``daily_cap`` or ``duplicate``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- people and consent


def phone_e164(raw) -> str | None:
    """The number in E.164 (+905321234567), read as Turkish when it has no country code; None if invalid."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(str(raw), getattr(settings, "PHONENUMBER_DEFAULT_REGION", "TR"))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_allowed(person: Beneficiary) -> bool:
    return Consent.objects.filter(
        beneficiary=person, scope=CONTACT_SCOPE, given=True, withdrawn_at__isnull=True
    ).exists()


def default_language(person: Beneficiary) -> str:
    """The first language the person speaks that messages are written in; else the site's."""
    for code in person.languages or []:
        if code in MESSAGE_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE[:2]


def contact_consent_record(*, person: Beneficiary, given: bool, channel: str, language: str, by) -> None:
    """Record the answer to "may the centre send you messages?" with the channel and language chosen.

    A withdrawal is kept (withdrawn_at) and cancels every message still queued for the person.
    """
    if channel not in Channel.values or language not in MESSAGE_LANGUAGES:
        raise ValueError("unknown channel or language")
    with transaction.atomic():
        # The same rules as every other consent: a withdrawal is kept, an answer given again is recorded anew.
        consent_update(person=person, answers={CONTACT_SCOPE: given}, by=by)
        ContactPreference.objects.update_or_create(
            beneficiary=person, defaults={"channel": channel, "language": language}
        )
        if not given:
            messages_cancel_queued(person=person, reason="consent withdrawn")


def messages_cancel_queued(*, person: Beneficiary, reason: str) -> int:
    """Cancel what is still queued for the person (called when their consent ends)."""
    now = timezone.now()
    cancelled = Message.objects.filter(beneficiary=person, status=Message.Status.QUEUED).update(
        status=Message.Status.CANCELLED, error=reason, status_changed_at=now
    )
    if cancelled:
        # An update() sends no signal: say what it changed.
        recorder.record(
            recorder.AuditEvent.Action.UPDATE,
            object_type="messaging.message",
            object_id=person.pk,
            center_id=person.center_id,
            detail={"cancelled_messages": cancelled, "reason": reason},
        )
    return cancelled


# ---------------------------------------------------------------- queuing


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """The morning a message written at ``now`` must wait for, or None outside quiet hours (local time)."""
    start, end = conf.quiet_hours()
    local = timezone.localtime(now)
    # 21–8 crosses midnight; a window such as 13–14 would not.
    crosses = start > end
    quiet = (local.hour >= start or local.hour < end) if crosses else (start <= local.hour < end)
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += dt.timedelta(days=1)
    return morning


def _sent_today(person: Beneficiary, now: dt.datetime) -> int:
    local = timezone.localtime(now)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Message.objects.filter(beneficiary=person, created_at__gte=day_start)
        .exclude(status__in=[Message.Status.CANCELLED, Message.Status.FAILED])
        .count()
    )


def message_queue(
    *,
    person: Beneficiary,
    center: Center,
    template: str,
    variables: dict,
    dedup_key: str,
    broadcast: Broadcast | None = None,
) -> Message:
    """Queue one message for ``person``; raises NotQueued with the reason it may not be.

    ``variables`` are the template's own; the given name and the centre are added here. Delivered by the
    ``send_message`` task after the transaction commits, or by ``send_due`` when quiet hours hold it back.
    """
    if not contact_allowed(person):
        raise NotQueued("no_consent")
    to = phone_e164(person.phone)
    if to is None:
        raise NotQueued("no_phone")
    if Message.objects.filter(dedup_key=dedup_key).exists():
        raise NotQueued("duplicate")
    now = timezone.now()
    if _sent_today(person, now) >= conf.daily_cap():
        raise NotQueued("daily_cap")
    preference = ContactPreference.objects.filter(beneficiary=person).first()
    language = preference.language if preference else default_language(person)
    channel = preference.channel if preference else Channel.SMS
    # Arabic and Persian speakers are greeted in their own script when it was recorded.
    given_name = person.first_name_original if language in ("ar", "fa") and person.first_name_original else ""
    body = texts.render(
        template,
        language=language,
        variables={"given_name": given_name or person.first_name, "centre": center.name, **variables},
    )
    message = Message(
        center=center,
        beneficiary=person,
        channel=channel,
        to=to,
        language=language,
        template=template,
        text=body,
        dedup_key=dedup_key[:120],
        broadcast=broadcast,
        created_at=now,
        send_after=quiet_until(now) or now,
        status_changed_at=now,
    )
    try:
        with transaction.atomic():
            message.save()
    except Exception as exc:  # the unique key: a concurrent queue of the same notice won
        if Message.objects.filter(dedup_key=message.dedup_key).exists():
            raise NotQueued("duplicate") from exc
        raise
    if message.send_after <= now:
        from messaging.tasks import send_message

        transaction.on_commit(lambda: send_message.delay(message.pk))
    return message


@dataclass
class Queued:
    messages: list[Message] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def messages_queue_many(
    *, people, center: Center, template: str, variables: dict, key: str, broadcast: Broadcast | None = None
) -> Queued:
    """Queue the same notice to several people; ``key`` + the person's id de-duplicates it."""
    result = Queued()
    for person in people:
        try:
            result.messages.append(
                message_queue(
                    person=person,
                    center=center,
                    template=template,
                    variables=variables,
                    dedup_key=f"{key}:{person.pk}",
                    broadcast=broadcast,
                )
            )
        except NotQueued as exc:
            result.skipped[exc.reason] = result.skipped.get(exc.reason, 0) + 1
    return result


# ---------------------------------------------------------------- notices


def notice_allowed(activity: Activity) -> bool:
    """Psychosocial (D) activities are never named in a message: taking part in one is sensitive."""
    return activity.category.code != ServiceCategory.Code.PSYCHOSOCIAL


def _enrolled(activity: Activity):
    return Beneficiary.objects.active().filter(
        enrollments__activity=activity, enrollments__status=Enrollment.Status.ENROLLED
    )


def session_notice(*, session: Session, template: str, old_date: dt.date | None = None) -> Queued:
    """Tell the people enrolled that a session is cancelled, moved, or (``session_tomorrow``) coming."""
    activity = session.activity
    if not notice_allowed(activity):
        return Queued()
    variables = {
        "activity": activity.name,
        "date": texts.Day(session.date),
        "time": texts.Clock(session.starts_at),
    }
    if template == "session_moved":
        variables["old_date"] = texts.Day(old_date)
    return messages_queue_many(
        people=_enrolled(activity),
        center=activity.center,
        template=template,
        variables=variables,
        key=f"{template}:{session.pk}:{session.date}:{session.starts_at:%H%M}",
    )


def place_offered_notice(*, enrollments: list[Enrollment]) -> Queued:
    """Tell each person offered a freed place, with the day by which to answer."""
    result = Queued()
    days = int(getattr(settings, "SMS_OFFER_ANSWER_DAYS", 3))
    for enrollment in enrollments:
        activity = enrollment.activity
        if not notice_allowed(activity):
            continue
        deadline = timezone.localdate() + dt.timedelta(days=days)
        part = messages_queue_many(
            people=[enrollment.beneficiary],
            center=activity.center,
            template="place_offered",
            variables={"activity": activity.name, "deadline": texts.Day(deadline)},
            key=f"place_offered:{enrollment.pk}:{enrollment.status_changed_at:%Y%m%d%H%M%S}",
        )
        result.messages += part.messages
        for reason, n in part.skipped.items():
            result.skipped[reason] = result.skipped.get(reason, 0) + n
    return result


def reminders_for_tomorrow(*, today: dt.date) -> int:
    """The day-before reminders: sessions of activities and follow-up appointments of open cases."""
    from cases.models import Case, FollowUp

    tomorrow = today + dt.timedelta(days=1)
    queued = 0
    sessions = (
        Session.objects.filter(date=tomorrow, is_cancelled=False)
        .exclude(activity__category__code=ServiceCategory.Code.PSYCHOSOCIAL)
        .select_related("activity__center", "activity__category")
    )
    for session in sessions:
        queued += len(session_notice(session=session, template="session_tomorrow").messages)
    follow_ups = (
        FollowUp.objects.filter(next_date=tomorrow)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__beneficiary", "center")
    )
    for follow_up in follow_ups:
        queued += len(
            messages_queue_many(
                people=[follow_up.case.beneficiary],
                center=follow_up.center,
                template="follow_up_tomorrow",
                variables={"date": texts.Day(tomorrow)},
                key=f"follow_up_tomorrow:{follow_up.case_id}:{tomorrow}",
            ).messages
        )
    return queued + referral_appointment_reminders(day=tomorrow)


def referral_appointment_reminders(*, day: dt.date) -> int:
    """Remind each person of a referral appointment on ``day``: its day and time only.

    Like the follow-up reminder, only for open cases, and only for referrals the partner may still act on
    (sent or accepted). The partner is not named: a partner's name can tell what the person is referred
    for (texts.py). A moved appointment is a new notice; the same one is never sent twice.
    """
    from cases.models import Case, Referral

    start, end = day_bounds(day)
    referrals = (
        Referral.objects.filter(
            appointment_at__gte=start,
            appointment_at__lt=end,
            status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED],
        )
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__beneficiary", "case__center")
    )
    queued = 0
    for referral in referrals:
        when = timezone.localtime(referral.appointment_at)
        queued += len(
            messages_queue_many(
                people=[referral.case.beneficiary],
                center=referral.case.center,
                template="referral_appointment",
                variables={"date": texts.DayAndTime(when)},
                key=f"referral_appointment:{referral.pk}:{when:%Y%m%d%H%M}",
            ).messages
        )
    return queued


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of ``day`` and of the next, in local time."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(day, dt.time()), tz),
        timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz),
    )


# ---------------------------------------------------------------- broadcasts


def broadcast_audience(
    *,
    center: Center,
    audience: str,
    activity: Activity | None = None,
    category: ServiceCategory | None = None,
    neighbourhood: str = "",
):
    """The centre's people a broadcast reaches (before consent and phone are checked)."""
    people = Beneficiary.objects.active().in_center(center).filter(anonymised_at__isnull=True)
    enrolled = Q(enrollments__status=Enrollment.Status.ENROLLED)
    if audience == Broadcast.Audience.ACTIVITY:
        return people.filter(enrolled, enrollments__activity=activity).distinct()
    if audience == Broadcast.Audience.CATEGORY:
        return people.filter(
            enrolled, enrollments__activity__category=category, enrollments__activity__center=center
        ).distinct()
    hood = neighbourhood.strip()
    return people.filter(Q(neighbourhood__iexact=hood) | Q(household__neighbourhood__iexact=hood)).distinct()


def broadcast_variables(*, template: str, activity: Activity | None, note: str) -> dict:
    if template == "centre_notice":
        return {"note": note}
    session = (
        Session.objects.filter(activity=activity, date__gte=timezone.localdate(), is_cancelled=False).first()
        if activity
        else None
    )
    if session is None:
        raise ValueError(_("This activity has no session to come."))
    return {
        "activity": activity.name,
        "date": texts.Day(session.date),
        "time": texts.Clock(session.starts_at),
    }


def broadcast_send(
    *,
    center: Center,
    by,
    token,
    audience: str,
    template: str,
    activity: Activity | None = None,
    category: ServiceCategory | None = None,
    neighbourhood: str = "",
    note: str = "",
) -> tuple[Broadcast, bool]:
    """Create the broadcast once per form shown and queue its messages; (broadcast, created)."""
    variables = broadcast_variables(template=template, activity=activity, note=note)

    def create() -> Broadcast:
        broadcast = Broadcast(
            center=center,
            audience=audience,
            activity=activity,
            category=category,
            neighbourhood=neighbourhood,
            template=template,
            note=note,
            created_by=by,
            submission_token=token,
        )
        broadcast.full_clean()
        broadcast.save()
        people = broadcast_audience(
            center=center,
            audience=audience,
            activity=activity,
            category=category,
            neighbourhood=neighbourhood,
        )
        queued = messages_queue_many(
            people=people,
            center=center,
            template=template,
            variables=variables,
            key=f"broadcast:{broadcast.pk}",
            broadcast=broadcast,
        )
        broadcast.recipients = len(queued.messages)
        broadcast.save(update_fields=["recipients"])
        return broadcast

    with transaction.atomic():
        return create_once(Broadcast.objects.all(), create=create, submission_token=token)


# ---------------------------------------------------------------- sending


def messages_due(*, now: dt.datetime) -> list[int]:
    """Queued messages whose quiet hours are over."""
    return list(
        Message.objects.filter(status=Message.Status.QUEUED, send_after__lte=now)
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:500]
    )


def _status_callback() -> str:
    from django.urls import reverse

    base = conf.public_base_url()
    return f"{base}{reverse('messaging_hooks:twilio_status')}" if base else ""


def message_send(*, message_id: int) -> Message:
    """Send one queued message now. Raises TransientError (after counting the attempt) to be retried.

    Does nothing to a message no longer queued; cancels it if consent was withdrawn meanwhile; leaves it
    queued (for ``send_due``) while quiet hours hold.
    """
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("beneficiary").get(pk=message_id)
        if message.status != Message.Status.QUEUED:
            return message
        if not contact_allowed(message.beneficiary):
            message.status, message.error, message.status_changed_at = (
                Message.Status.CANCELLED,
                "no consent",
                now,
            )
            message.save(update_fields=["status", "error", "status_changed_at"])
            return message
        later = quiet_until(now)
        if later or message.send_after > now:
            message.send_after = max(later or now, message.send_after)
            message.save(update_fields=["send_after"])
            return message
        message.attempts += 1
        message.save(update_fields=["attempts"])
    backend = get_backend()
    outgoing = Outgoing(
        to=message.to,
        channel=message.channel,
        body=message.text,
        status_callback=_status_callback() if backend.reports_delivery else "",
    )
    try:
        sent = backend.send(outgoing)
    except TransientError as exc:
        Message.objects.filter(pk=message.pk).update(error=str(exc)[:255])
        raise
    except PermanentError as exc:
        return message_fail(message_id=message.pk, error=str(exc))
    now = timezone.now()
    message.status = Message.Status.DELIVERED if sent.status == "delivered" else Message.Status.SENT
    message.provider_id, message.sent_at, message.status_changed_at = sent.provider_id, now, now
    message.cost_usd, message.error = conf.price_usd(), ""
    message.save(update_fields=["status", "provider_id", "sent_at", "status_changed_at", "cost_usd", "error"])
    return message


def message_fail(*, message_id: int, error: str) -> Message:
    message = Message.objects.get(pk=message_id)
    message.status, message.error, message.status_changed_at = (
        Message.Status.FAILED,
        error[:255],
        timezone.now(),
    )
    message.save(update_fields=["status", "error", "status_changed_at"])
    return message


# ---------------------------------------------------------------- from the provider


def receipt_apply(*, provider_id: str, status: str) -> Message | None:
    """A delivery receipt: ``status`` is the outbox's (sent, delivered, failed). A late "sent" never
    undoes "delivered"."""
    message = Message.objects.filter(provider_id=provider_id).exclude(provider_id="").first()
    if message is None or status not in (
        Message.Status.SENT,
        Message.Status.DELIVERED,
        Message.Status.FAILED,
    ):
        return message
    order = [Message.Status.SENT, Message.Status.DELIVERED]
    if status in order and message.status in order and order.index(status) <= order.index(message.status):
        return message
    message.status, message.status_changed_at = status, timezone.now()
    if status == Message.Status.FAILED:
        message.cost_usd = 0
    message.save(update_fields=["status", "status_changed_at", "cost_usd"])
    return message


def is_stop(body: str) -> bool:
    word = re.sub(r"[\W_]+", " ", body or "").strip().casefold()
    return word in STOP_WORDS


def reply_receive(*, from_number: str, body: str) -> int:
    """A reply from a person. STOP (DUR, توقف, ARRÊT) withdraws consent to be contacted of every person
    reached at that number; returns how many withdrew. Other replies are not stored: nobody reads them."""
    number = phone_e164(from_number)
    if number is None or not is_stop(body):
        return 0
    people = set(Message.objects.filter(to=number).values_list("beneficiary_id", flat=True))
    people |= set(Beneficiary.objects.filter(phone=number).values_list("pk", flat=True))
    withdrawn = 0
    now = timezone.now()
    with transaction.atomic():
        consents = Consent.objects.select_for_update().filter(
            beneficiary_id__in=people, scope=CONTACT_SCOPE, given=True, withdrawn_at__isnull=True
        )
        for consent in consents.select_related("beneficiary"):
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
            messages_cancel_queued(person=consent.beneficiary, reason="STOP reply")
            recorder.record(
                recorder.AuditEvent.Action.UPDATE,
                obj=consent,
                center_id=consent.beneficiary.center_id,
                detail={"consent": CONTACT_SCOPE, "withdrawn_by": "reply"},
            )
            withdrawn += 1
    return withdrawn


# ---------------------------------------------------------------- costs


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time()), tz),
    )


def month_cost_record(*, center: Center, month: dt.date):
    """Write the month's message cost (USD) into the centre's costs, type "other"; rerunning corrects it.

    The funding source is the one the centre's latest cost entry of that month or before is paid from;
    with none there is nothing to charge it to, and nothing is written (None).
    """
    from finance.models import CostEntry, Currency

    month = month.replace(day=1)
    start, end = month_bounds(month)
    sent = Message.objects.in_center(center).charged().filter(sent_at__gte=start, sent_at__lt=end)
    total = Decimal(sent.aggregate(total=Sum("cost_usd"))["total"] or 0).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    count = sent.count()
    note = _("SMS and WhatsApp messages: %(count)d") % {"count": count}
    with transaction.atomic():
        link = MonthlyCost.objects.select_for_update().filter(center=center, month=month).first()
        if link is not None:
            entry = link.cost_entry
            entry.amount, entry.note = total, note
            entry.full_clean()
            entry.save(update_fields=["amount", "note"])
            return entry
        if not count:
            return None
        source_entry = (
            CostEntry.objects.in_center(center).filter(month__lte=month).order_by("-month", "-pk").first()
        )
        if source_entry is None:
            return None
        entry = CostEntry(
            center=center,
            month=month,
            type=CostEntry.Type.OTHER,
            amount=total,
            currency=Currency.USD,
            funding_source=source_entry.funding_source,
            note=note,
        )
        entry.full_clean()
        entry.save()
        MonthlyCost.objects.create(center=center, month=month, cost_entry=entry)
        return entry
