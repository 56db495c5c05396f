"""Writes for money: costs entered by hand or imported (by a Celery task, finance.tasks)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import recorder
from audit.models import AuditEvent
from centers.models import Center
from core.imports import Progress, job_discard_file, job_refuse, job_start
from core.services import model_fields_set
from core.spreadsheets import import_max_rows, read_table
from finance.models import CostEntry, CostImport, FundingSource


def cost_record(
    *,
    center: Center,
    month: dt.date,
    type: str,
    amount: Decimal,
    currency: str,
    funding_source,
    note: str = "",
) -> CostEntry:
    entry = CostEntry(
        center=center,
        month=month.replace(day=1) if month else month,
        type=type,
        amount=amount,
        currency=currency,
        funding_source=funding_source,
        note=note,
    )
    entry.full_clean()
    entry.save()
    recorder.record(AuditEvent.Action.CREATE, obj=entry)
    return entry


COST_FIELDS = ["month", "type", "amount", "currency", "funding_source", "note"]


def cost_update(*, entry: CostEntry, by, data: dict, reason: str) -> CostEntry:
    """Correct a cost (the fields of COST_FIELDS in ``data``); the trail keeps who, which fields and why."""
    if data.get("month"):
        data = {**data, "month": data["month"].replace(day=1)}
    changed = model_fields_set(instance=entry, fields=COST_FIELDS, data=data)
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        recorder.record(
            AuditEvent.Action.UPDATE, obj=entry, actor=by, detail={"fields": changed, "reason": reason}
        )
    return entry


def cost_delete(*, entry: CostEntry, by, reason: str) -> None:
    """Remove a cost entered by mistake; the trail keeps what it was (month, type, amount) and why."""
    with transaction.atomic():
        recorder.record(
            AuditEvent.Action.DELETE,
            obj=entry,
            actor=by,
            detail={
                "reason": reason,
                "month": f"{entry.month:%Y-%m}",
                "type": entry.type,
                "amount": str(entry.amount),
                "currency": entry.currency,
            },
        )
        entry.delete()


IMPORT_COLUMNS = ["month", "type", "amount", "currency", "funding_source"]


def costs_check(*, center: Center, rows: list[list[str]], progress=lambda done: None) -> list[CostEntry]:
    """The costs of a file's rows, every row checked; when one is wrong, every wrong row is named."""
    if not rows or [c.strip().lower() for c in rows[0][: len(IMPORT_COLUMNS)]] != IMPORT_COLUMNS:
        raise ValidationError(
            _("The first row must be: %(columns)s.") % {"columns": ", ".join(IMPORT_COLUMNS)}
        )
    sources = {s.name.lower(): s for s in FundingSource.objects.all()}
    # What the centre already holds: a file imported twice, or a row entered by hand and imported again.
    held = set(
        CostEntry.objects.in_center(center).values_list(
            "month", "type", "amount", "currency", "funding_source_id"
        )
    )
    entries, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        progress(number)
        entry, problems = _cost_from_row(center, row, sources, held)
        if problems:
            errors.append(_("Row %(row)d: %(errors)s") % {"row": number, "errors": " ".join(problems)})
        else:
            entries.append(entry)
    if errors:
        raise ValidationError(errors)
    return entries


def _cost_from_row(center, row, sources: dict, held: set) -> tuple[CostEntry | None, list[str]]:
    """A row as a cost, or every problem of the row in words (not only the first)."""
    month_text, cost_type, amount_text, currency, source_name = (
        c.strip() for c in [*row, "", "", "", "", ""][:5]
    )
    problems = []
    try:
        month = dt.datetime.strptime(month_text[:7], "%Y-%m").date()
    except ValueError:
        month = None
        problems.append(_("the month must look like 2026-10."))
    try:
        amount = Decimal(amount_text.replace(",", "."))
    except InvalidOperation:
        amount = None
        problems.append(_("“%(amount)s” is not an amount.") % {"amount": amount_text})
    source = sources.get(source_name.lower())
    if source is None:
        problems.append(_("unknown funding source “%(source)s”.") % {"source": source_name})
    entry = CostEntry(
        center=center,
        month=month,
        type=cost_type.lower(),
        amount=amount,
        currency=currency.upper(),
        funding_source=source,
    )
    try:
        entry.full_clean(
            exclude=[
                f
                for f, bad in (
                    ("month", not month),
                    ("amount", amount is None),
                    ("funding_source", source is None),
                )
                if bad
            ]
        )
    except ValidationError as exc:
        problems.extend(exc.messages)
    if not problems and (month, entry.type, amount, entry.currency, source.pk) in held:
        problems.append(
            _("this cost (same month, type, amount, currency and funding source) is already recorded.")
        )
    return (None if problems else entry), problems


def cost_import_request(*, center: Center, by, upload) -> CostImport:
    """Keep the upload (privately, until its import ends) and queue the import: the page follows the job.

    ``upload`` has passed ``core.spreadsheets.upload_check`` (the form's ``SpreadsheetField``)."""
    from finance.tasks import import_costs

    job = CostImport(
        center=center,
        requested_by=by,
        filename=upload.name[-255:],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(upload.name, upload, save=False)
    try:
        job.full_clean()
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    transaction.on_commit(lambda: import_costs.delay(job.pk))
    return job


def cost_import_run(*, job: CostImport) -> CostImport:
    """Read, check and save a queued import: all its costs, or none and every problem named.

    The costs are saved in the same transaction that marks the job done, under a lock of the job: a task
    delivered twice (acks_late) saves them once."""
    if not job_start(job):
        return job
    progress = Progress(job)
    with translation.override(job.language):
        try:
            with job.file.open("rb") as upload:
                rows = read_table(upload, progress=progress.part(5, 30, import_max_rows()))
            progress.set(30)
            entries = costs_check(center=job.center, rows=rows, progress=progress.part(30, 90, len(rows)))
        except ValidationError as exc:
            job_refuse(job, exc.messages)
            return job
    with transaction.atomic():
        locked = CostImport.objects.select_for_update().get(pk=job.pk)
        if locked.status != CostImport.Status.DONE:
            CostEntry.objects.bulk_create(entries)
            # One event for the file; the rows it brought are counted, not listed.
            recorder.record(
                AuditEvent.Action.CREATE,
                object_type="finance.costimport",
                object_id=job.pk,
                center_id=job.center_id,
                actor=job.requested_by,
                detail={"imported": len(entries)},
            )
            CostImport.objects.filter(pk=job.pk).update(
                status=CostImport.Status.DONE, progress=100, imported=len(entries), finished_at=timezone.now()
            )
    job_discard_file(job)
    job.refresh_from_db()
    return job
