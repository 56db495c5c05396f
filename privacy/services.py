"""Subject rights: everything held about one person, and anonymising them.

Each app declares what it holds in its own ``privacy.py`` (core.personal_data); this module collects the
declarations and imports no app. Anonymising destroys what identifies a person (names, birth date, phone,
document, address, free text written about them, the change history that still holds the old values) and
keeps what the reports count: the record itself with its centre, sex, year of birth, population group and
registration date, and every contact (attendance, service, follow-up) as an anonymous row. So a report built
before and after gives the same figures.
"""

import datetime as dt
import json

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import recorder
from audit.models import AuditEvent
from core import personal_data
from core.pdf import new_pdf


def _queryset(declaration: personal_data.PersonalData, ids: list[int]):
    model = apps.get_model(declaration.model.partition("#")[0])
    lookups = (declaration.person,) if isinstance(declaration.person, str) else declaration.person
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": ids})
    return model.objects.filter(condition)


def section_titles() -> dict:
    return {d.section: d.title for d in personal_data.declarations() if d.section}


def section_counts(data: dict) -> list[tuple[str, int]]:
    """(translated section name, rows) for each list in an export."""
    titles = section_titles()
    return [(titles[name], len(rows)) for name, rows in data.items() if isinstance(rows, list)]


def subject_data(*, person) -> dict:
    """Everything Toplum holds about a person, as plain data (the JSON and PDF exports), section by section
    in the order the apps declared them."""
    ids = personal_data.subject().identities(person)
    data: dict = {"generated_at": timezone.now()}
    for declaration in personal_data.declarations():
        if not declaration.section:
            continue
        if declaration.export is not None:
            data[declaration.section] = declaration.export(person, ids)
        else:
            data[declaration.section] = personal_data.rows(
                _queryset(declaration, ids), exclude=declaration.export_exclude
            )
    return data


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # a Country, a PhoneNumber: their text form


def subject_json(*, person) -> bytes:
    return json.dumps(subject_data(person=person), cls=_Encoder, ensure_ascii=False, indent=2).encode()


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def subject_pdf(*, person) -> bytes:
    """The same data, readable on paper: one section per kind of record."""
    data = subject_data(person=person)
    titles = section_titles()
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("NotoSans", size=14)
    pdf.multi_cell(
        0,
        8,
        _("Personal data held about %(number)s") % {"number": person.registration_number},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("NotoSans", size=8)
    pdf.multi_cell(
        0, 5, _("Generated %(when)s") % {"when": _text(data["generated_at"])}, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    for section, value in data.items():
        if section == "generated_at":
            continue
        rows = [value] if isinstance(value, dict) else value
        pdf.set_font("NotoSans", size=11)
        pdf.multi_cell(0, 7, f"{titles[section]} ({len(rows)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSans", size=8)
        for row in rows:
            line = "; ".join(f"{k}: {_text(v)}" for k, v in row.items() if v not in (None, "", [], {}))
            pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())


@transaction.atomic
def person_anonymise(*, person, by=None, reason: str):
    """Destroy what identifies a person and their merged duplicates; keep what reports count. Idempotent."""
    subject = personal_data.subject()
    person = type(person).objects.select_for_update().get(pk=person.pk)
    ids = subject.identities(person)
    now = timezone.now()
    counts = {}
    for declaration in personal_data.declarations():
        if declaration.anonymise is not None:
            count = declaration.anonymise(person, ids, now)
        elif declaration.delete:
            count = _queryset(declaration, ids).delete()[0]
        elif declaration.erase:
            count = _queryset(declaration, ids).update(**declaration.erase)
        else:
            continue
        if declaration.count_as:
            counts[declaration.count_as] = count
    recorder.record(
        AuditEvent.Action.ANONYMISE, obj=person, actor=by, detail={"reason": reason, "cleared": counts}
    )
    person.refresh_from_db()
    return person


def people_due_for_anonymisation(*, today: dt.date):
    """People with no contact, registration or open case in the last RETENTION_YEARS years."""
    try:
        cutoff = today.replace(year=today.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - settings.RETENTION_YEARS, day=28)
    people = personal_data.subject().due(cutoff)
    for declaration in personal_data.declarations():
        if declaration.retains is not None:
            people = people.exclude(declaration.retains(OuterRef("pk"), cutoff))
    return people


def retention_anonymise(*, today: dt.date | None = None) -> int:
    """The nightly retention job: anonymise everyone due, one transaction per person."""
    today = today or timezone.localdate()
    done = 0
    for person in people_due_for_anonymisation(today=today).only("pk").iterator(chunk_size=500):
        person_anonymise(person=person, reason="retention")
        done += 1
    return done
