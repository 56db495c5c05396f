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

from audit import recorder
from audit.models import AuditEvent
from core import personal_data
from core.pdf import new_pdf
from privacy.document import subject_document


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


def subject_pdf(*, person, language: str, by=None) -> bytes:
    """The subject-access document (privacy.document) on paper, in ``language``: the letter, the person's
    rights, then one section per kind of record. Arabic prints right to left, shaped."""
    document = subject_document(person=person, data=subject_data(person=person), language=language, by=by)
    pdf = new_pdf()
    pdf.set_lang(document.language)
    if document.right_to_left:
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl")
    align = "R" if document.right_to_left else "L"

    def isolated(value: str) -> str:
        # A value keeps its own direction inside a right-to-left line: a phone number's groups stay in order.
        return f"\u2068{value}\u2069" if document.right_to_left else value

    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def write(text: str, *, size: float, height: float, gap: float = 0.0, indent: float = 0.0) -> None:
        pdf.set_font("NotoSans", size=size)
        pdf.set_x(pdf.l_margin + (0 if document.right_to_left else indent))
        pdf.multi_cell(pdf.epw - indent, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    write(document.title, size=15, height=8, gap=1)
    write(document.date, size=9, height=5, gap=4)
    for paragraph in document.letter:
        write(paragraph, size=10, height=5.5, gap=2)
    pdf.ln(2)
    write(document.rights_title, size=12, height=7, gap=1)
    write(document.rights_intro, size=10, height=5.5, gap=1)
    for right in document.rights:
        write(f"• {right}", size=10, height=5.5, gap=1, indent=4)
    write(document.rights_how, size=10, height=5.5, gap=4)
    for line in document.signature:
        write(line, size=10, height=5.5)

    pdf.add_page()
    write(document.held_title, size=14, height=8, gap=3)
    for section in document.sections:
        write(section.title, size=12, height=7, gap=1)
        if not section.records and not section.lines:
            write(document.nothing_held, size=9, height=5, gap=3)
            continue
        for line in section.lines:
            write(line, size=9, height=5, gap=0.5)
        for record in section.records:
            for label, value in record:
                write(f"{label}: {isolated(value)}", size=9, height=5, indent=4)
            pdf.ln(2)
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
