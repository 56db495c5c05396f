"""The messages the centre sends, each a translatable text with named variables.

Rendered in the person's language (``translation.override``). They carry no sensitive content: the person
is addressed by given name only, and nothing names a case, a referral's partner or a psychosocial (D)
activity — notices about D activities are never queued at all (services.notice_allowed).
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Text:
    code: str
    label: Promise
    body: Promise
    variables: tuple[str, ...]
    broadcast: bool = False  # offered on the broadcast page


_COMMON = ("given_name", "centre")

TEXTS: dict[str, Text] = {
    t.code: t
    for t in (
        Text(
            "session_tomorrow",
            _("Activity tomorrow"),
            _(
                "Hello %(given_name)s, a reminder from %(centre)s: %(activity)s meets tomorrow, %(date)s at %(time)s."
            ),
            (*_COMMON, "activity", "date", "time"),
        ),
        Text(
            "session_cancelled",
            _("Session cancelled"),
            _(
                "Hello %(given_name)s, %(centre)s: the %(activity)s session of %(date)s at %(time)s is cancelled."
            ),
            (*_COMMON, "activity", "date", "time"),
        ),
        Text(
            "session_moved",
            _("Session moved"),
            _(
                "Hello %(given_name)s, %(centre)s: the %(activity)s session of %(old_date)s has moved to "
                "%(date)s at %(time)s."
            ),
            (*_COMMON, "activity", "old_date", "date", "time"),
        ),
        Text(
            "place_offered",
            _("Place offered"),
            _(
                "Hello %(given_name)s, %(centre)s: a place in %(activity)s is free for you. Please tell the "
                "centre by %(deadline)s whether you take it."
            ),
            (*_COMMON, "activity", "deadline"),
        ),
        Text(
            "follow_up_tomorrow",
            _("Appointment tomorrow"),
            _("Hello %(given_name)s, a reminder of your appointment at %(centre)s tomorrow, %(date)s."),
            (*_COMMON, "date"),
        ),
        Text(
            "referral_appointment",
            _("Referral appointment"),
            _(
                "Hello %(given_name)s, %(centre)s reminds you of the appointment arranged for you on %(date)s."
            ),
            (*_COMMON, "date"),
        ),
        Text(
            "activity_reminder",
            _("Reminder of an activity"),
            _(
                "Hello %(given_name)s, a reminder from %(centre)s: %(activity)s, next session %(date)s at %(time)s."
            ),
            (*_COMMON, "activity", "date", "time"),
            broadcast=True,
        ),
        Text(
            "centre_notice",
            _("Notice from the centre"),
            _("Hello %(given_name)s, a message from %(centre)s: %(note)s"),
            (*_COMMON, "note"),
            broadcast=True,
        ),
    )
}

STOP_HINT = _("Reply STOP to receive no more messages.")


def render(code: str, *, language: str, variables: dict) -> str:
    """The message in ``language``: the text with its variables, then how to stop messages.

    ``variables`` may hold lazy values (dates formatted inside the language); a missing one raises KeyError.
    """
    text = TEXTS[code]
    with translation.override(language):
        values = {name: str(variables[name]) for name in text.variables}
        return f"{str(text.body) % values} {STOP_HINT}"


class Day:
    """A date written in the language of the message it is put into."""

    def __init__(self, day):
        self.day = day

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return date_format(self.day, "l j F")


class Clock:
    def __init__(self, time):
        self.time = time

    def __str__(self) -> str:
        return f"{self.time:%H:%M}"


class DayAndTime:
    """A day and its time ("Wednesday 2 December 10:30"): the referral appointment's ``date``."""

    def __init__(self, moment):
        self.moment = moment

    def __str__(self) -> str:
        return f"{Day(self.moment.date())} {Clock(self.moment.time())}"
