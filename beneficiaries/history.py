"""The change log shown on a profile, from django-simple-history's records."""

from dataclasses import dataclass

from beneficiaries.models import Beneficiary

HISTORY_SHOWN = 50


@dataclass
class Change:
    when: object
    who: object
    created: bool
    fields: list[tuple[str, object, object]]


def _label(name: str) -> str:
    return str(Beneficiary._meta.get_field(name).verbose_name)


def change_log(person: Beneficiary) -> list[Change]:
    """Who changed what and when, newest first, in two queries whatever the length."""
    records = list(
        person.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    log = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if len(log) == HISTORY_SHOWN:
            break
        fields = []
        if older is not None:
            delta = newer.diff_against(older)
            fields = [(_label(c.field), c.old, c.new) for c in delta.changes]
            if not fields:
                continue
        log.append(
            Change(when=newer.history_date, who=newer.history_user, created=older is None, fields=fields)
        )
    return log
