"""Writes of a people import: the upload, the columns, the dry run, the decisions, the import.

The dry run and the import run in Celery tasks (beneficiaries.tasks, on the ``imports`` queue); the pages
follow the job. The import is resumable and idempotent: rows are imported in batches, each batch in one
transaction with the rows it settled and their fingerprints, so a worker that dies loses nothing and a
task delivered twice, or the same file sent again, creates nobody twice.
"""

import datetime as dt
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from audit import recorder
from audit.models import AuditEvent
from beneficiaries.models import Beneficiary, Consent, Household, Relationship
from beneficiaries.services import EDITABLE_FIELDS, HOUSEHOLD_FIELDS, registration_numbers_next
from centers.models import Center
from core.imports import Progress
from core.spreadsheets import UNREADABLE, read_table

from .checking import check_rows
from .columns import BY_CODE, guess_mapping, layout_of
from .models import ImportedRow, ImportMapping, ImportRow, PeopleImport

Status = PeopleImport.Status
Kind = ImportRow.Kind
Decision = ImportRow.Decision
# Rows written per transaction; a household is never split between two.
BATCH_ROWS = 1000
DEFAULT_DECISION = {Kind.NEW: Decision.NEW, Kind.EXISTING: Decision.SAME, Kind.IN_FILE: Decision.SKIP}


def read_header(upload, kind: str) -> list[str]:
    """The first non-empty row only, read in the request (the whole file is read by the dry run's task)."""
    upload.seek(0)
    try:
        if kind == "csv":
            from core.spreadsheets import _csv_rows, _csv_text

            rows = _csv_rows(_csv_text(upload), limit=1, cap=None)
            return [h.strip() for h in rows[0]] if rows else []
        book = load_workbook(upload, read_only=True, data_only=True)
        try:
            sheet = book.active
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True, max_row=50):
                cells = ["" if v is None else str(v).strip() for v in row[:500]]
                if any(cells):
                    while cells and not cells[-1]:
                        cells.pop()
                    return cells
            return []
        finally:
            book.close()
    except (*UNREADABLE, zipfile.BadZipFile) as exc:
        raise ValidationError(_("The file could not be read as CSV or XLSX.")) from exc
    finally:
        upload.seek(0)


def people_import_start(*, center: Center, by, upload, kind: str) -> PeopleImport:
    """Keep the upload privately and read its header: the manager then chooses the columns.

    ``upload`` has passed ``core.spreadsheets.upload_check`` (the form's ``SpreadsheetField``)."""
    headers = read_header(upload, kind)
    if not any(headers):
        raise ValidationError(_("The file has no header row."))
    layout = layout_of(headers)
    remembered = ImportMapping.objects.in_center(center).filter(layout=layout).first()
    job = PeopleImport(
        center=center,
        requested_by=by,
        filename=upload.name[-255:],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        headers=headers,
        layout=layout,
        mapping=remembered.mapping if remembered else guess_mapping(headers),
    )
    job.file.save(upload.name, upload, save=False)
    try:
        job.full_clean()
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    return job


def people_import_map(*, job: PeopleImport, mapping: dict[str, int], queue: bool = True) -> PeopleImport:
    """Keep the chosen columns (for this file and the next with the same header row) and queue the dry run
    (``queue=False``: the caller runs it, as the command does)."""
    from beneficiaries.tasks import import_people_check

    missing = [str(c.label) for code, c in BY_CODE.items() if c.required and code not in mapping]
    if missing:
        raise ValidationError(_("Choose a column for: %(columns)s.") % {"columns": ", ".join(missing)})
    with transaction.atomic():
        job = PeopleImport.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.MAPPING:
            return job  # submitted twice: the dry run is already queued
        ImportMapping.objects.update_or_create(
            center=job.center, layout=job.layout, defaults={"mapping": mapping}
        )
        job.mapping, job.status, job.progress = mapping, Status.CHECKING, 0
        job.save(update_fields=["mapping", "status", "progress"])
        if queue:
            transaction.on_commit(lambda: import_people_check.delay(job.pk))
    return job


def _refuse(job: PeopleImport, problems: list) -> None:
    PeopleImport.objects.filter(pk=job.pk).update(
        status=Status.REFUSED, problems=problems, progress=100, finished_at=timezone.now()
    )
    _discard_file(job)


def _discard_file(job: PeopleImport) -> None:
    if job.file:
        job.file.delete(save=False)
    PeopleImport.objects.filter(pk=job.pk).update(file="")


def job_fail(job: PeopleImport, error: str) -> None:
    """A visible failed state; the cause is kept for the team."""
    PeopleImport.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def people_import_check_run(*, job: PeopleImport) -> PeopleImport:
    """The dry run: read the file, classify every row, keep the rows; the file is then deleted.

    Run again (a task delivered twice, a worker that died), it starts over and replaces the rows it kept."""
    job.refresh_from_db()
    if job.status != Status.CHECKING or not job.file:
        return job
    progress = Progress(job)
    with translation.override(job.language):
        try:
            with job.file.open("rb") as upload:
                rows = read_table(upload, progress=progress.part(0, 20, 50_000))
        except ValidationError as exc:
            _refuse(job, exc.messages)
            job.refresh_from_db()
            return job
        checked = check_rows(
            center=job.center,
            rows=rows[1:],
            mapping=job.mapping,
            progress=lambda s: progress.set(20 + 75 * s),
        )
    with transaction.atomic():
        ImportRow.objects.filter(job=job).delete()
        ImportRow.objects.bulk_create(
            [
                ImportRow(
                    job=job,
                    number=r.number,
                    kind=r.kind,
                    decision=DEFAULT_DECISION.get(r.kind, ""),
                    values=r.values,
                    person=r.person,
                    errors=r.errors,
                    candidates=r.candidates,
                    same_as_row=r.same_as_row,
                    household_key=r.household_key[:80],
                    fingerprint=r.fingerprint,
                )
                for r in checked
            ],
            batch_size=2000,
        )
        counts = {kind: 0 for kind in Kind.values}
        for r in checked:
            counts[r.kind] += 1
        PeopleImport.objects.filter(pk=job.pk).update(
            status=Status.CHECKED, progress=100, counts=counts, checked_at=timezone.now()
        )
    _discard_file(job)
    job.refresh_from_db()
    return job


def people_import_decide(*, job: PeopleImport, decisions: dict[int, str]) -> int:
    """The manager's decision per possible duplicate (row id -> decision); returns the rows changed."""
    if job.status != Status.CHECKED:
        raise ValidationError(_("This import can no longer be changed."))
    changed = 0
    with transaction.atomic():
        rows = ImportRow.objects.filter(job=job, pk__in=decisions).exclude(kind__in=[Kind.ERROR, Kind.BEFORE])
        for row in rows.only("pk", "decision", "candidates"):
            decision = decisions[row.pk]
            if decision == Decision.SAME and not row.candidates:
                continue
            if decision != row.decision:
                ImportRow.objects.filter(pk=row.pk).update(decision=decision)
                changed += 1
    return changed


def undecided(job: PeopleImport) -> int:
    return ImportRow.objects.filter(job=job, kind=Kind.POSSIBLE, decision="").count()


def people_import_request(*, job: PeopleImport, queue: bool = True) -> PeopleImport:
    """Queue the import of the accepted rows, once every possible duplicate is decided."""
    from beneficiaries.tasks import import_people

    with transaction.atomic():
        job = PeopleImport.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.CHECKED:
            return job  # submitted twice: already queued
        if undecided(job):
            raise ValidationError(_("Decide on every possible duplicate first."))
        job.status, job.progress = Status.IMPORTING, 0
        job.save(update_fields=["status", "progress"])
        if queue:
            transaction.on_commit(lambda: import_people.delay(job.pk))
    return job


def _outcome_counts(job: PeopleImport) -> dict:
    rows = ImportRow.objects.filter(job=job)
    created = rows.filter(done=True, decision=Decision.NEW).count()
    same = rows.filter(done=True, decision=Decision.SAME).count()
    skipped = rows.filter(done=True, decision=Decision.SKIP).count()
    by_kind = dict(rows.values_list("kind").annotate(n=Count("pk")))
    return {
        "created": created,
        "same_as_existing": same,
        "skipped": skipped,
        "errors": by_kind.get(Kind.ERROR, 0),
        "imported_before": by_kind.get(Kind.BEFORE, 0),
        "households": Household.objects.filter(
            pk__in=rows.filter(done=True, decision=Decision.NEW).values("beneficiary__household_id")
        ).count(),
    }


def _batches(rows: list[ImportRow]):
    """Rows to settle, BATCH_ROWS at a time, the members of a household together."""
    groups: dict[str, list] = {}
    single = []
    for row in rows:
        if row.household_key:
            groups.setdefault(row.household_key, []).append(row)
        else:
            single.append([row])
    batch = []
    for group in [*groups.values(), *single]:
        if batch and len(batch) + len(group) > BATCH_ROWS:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def people_import_run(*, job: PeopleImport) -> PeopleImport:
    """Import the accepted rows, batch after batch; resumed where it stopped, and done once."""
    job.refresh_from_db()
    if job.status != Status.IMPORTING:
        return job
    if not job.started_at:
        PeopleImport.objects.filter(pk=job.pk).update(started_at=timezone.now())
    progress = Progress(job)
    pending = list(
        ImportRow.objects.filter(job=job, done=False)
        .exclude(kind__in=[Kind.ERROR, Kind.BEFORE])
        .exclude(decision="")
        .only("pk", "number", "kind", "decision", "person", "candidates", "household_key", "fingerprint")
    )
    total, done = len(pending), 0
    by = job.requested_by
    for batch in _batches(pending):
        _import_batch(job=job, by=by, rows=batch)
        done += len(batch)
        progress.set(100 * done / max(total, 1))
    with transaction.atomic():
        locked = PeopleImport.objects.select_for_update().get(pk=job.pk)
        if locked.status == Status.IMPORTING:
            counts = {**locked.counts, **_outcome_counts(job)}
            # One event for the file; the people it brought are counted, not listed.
            recorder.record(
                AuditEvent.Action.CREATE,
                object_type="beneficiaries.peopleimport",
                object_id=job.pk,
                center_id=job.center_id,
                actor=by,
                detail={
                    k: counts[k]
                    for k in (
                        "created",
                        "same_as_existing",
                        "skipped",
                        "errors",
                        "imported_before",
                        "households",
                    )
                },
            )
            # The cells were kept for the manager's decisions only.
            ImportRow.objects.filter(job=job).update(values={}, person={}, candidates=[])
            PeopleImport.objects.filter(pk=job.pk).update(
                status=Status.DONE, progress=100, counts=counts, finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def _person(*, center: Center, by, data: dict, number: str, household=None) -> Beneficiary:
    """A person as registration makes one (beneficiaries.services._new_person), for a bulk insert."""
    person = Beneficiary(center=center, registered_center=center, registered_by=by, household=household)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    if person.date_of_birth:
        person.date_of_birth = dt.date.fromisoformat(data["date_of_birth"])
    if household is not None:
        person.relationship_to_head = data.get("relationship_to_head") or ""
    person.registration_number = number
    person.clean()  # validated by the form in the dry run; the model's own rules once more
    person.refresh_name_keys()
    return person


def _households_of_known_heads(*, center: Center, by, rows: list[ImportRow], new: set) -> dict:
    """Members imported with a head who is already registered join the head's household (or a new one)."""
    keys = {r.household_key for r in rows if r.household_key and r.decision == Decision.NEW} - new
    heads = {
        r.household_key: r.beneficiary_id or (r.candidates[0]["pk"] if r.candidates else None)
        for r in rows
        if r.household_key in keys
        and r.person.get("relationship_to_head") == Relationship.HEAD
        and r.decision == Decision.SAME
    }
    known = dict(
        Beneficiary.objects.in_center(center)
        .filter(pk__in=[pk for pk in heads.values() if pk], household__isnull=False)
        .values_list("pk", "household")
    )
    households = {}
    for key in keys:
        household_id = known.get(heads.get(key))
        households[key] = (
            Household.objects.get(pk=household_id)
            if household_id
            else Household(center=center, created_by=by)
        )
    return households


def _import_batch(*, job: PeopleImport, by, rows: list[ImportRow]) -> None:
    center = job.center
    with transaction.atomic():
        # Rows settled by an earlier delivery of this task are skipped: the lock makes two workers take turns.
        locked = set(
            ImportRow.objects.select_for_update()
            .filter(pk__in=[r.pk for r in rows], done=False)
            .values_list("pk", flat=True)
        )
        rows = [r for r in rows if r.pk in locked]
        held = set(
            ImportedRow.objects.in_center(center)
            .filter(fingerprint__in=[r.fingerprint for r in rows])
            .values_list("fingerprint", flat=True)
        )
        heads = {}
        households = {}
        create, settled = [], []
        for row in rows:
            if row.fingerprint in held:
                row.decision = Decision.SKIP
            elif (
                row.decision == Decision.NEW
                and row.household_key
                and row.person.get("relationship_to_head") == Relationship.HEAD
            ):
                heads[row.household_key] = row
        for key, head in heads.items():
            households[key] = Household(
                center=center, created_by=by, **{f: head.person.get(f, "") for f in HOUSEHOLD_FIELDS}
            )
        households.update(_households_of_known_heads(center=center, by=by, rows=rows, new=set(heads)))
        Household.objects.bulk_create([h for h in households.values() if h.pk is None])
        numbers = iter(
            registration_numbers_next(
                center=center,
                year=timezone.localdate().year,
                count=sum(row.decision == Decision.NEW for row in rows),
            )
        )
        for row in rows:
            if row.decision == Decision.NEW:
                household = households.get(row.household_key) if row.household_key else None
                person = _person(
                    center=center, by=by, data=row.person, number=next(numbers), household=household
                )
                create.append((row, person))
            elif row.decision == Decision.SAME and row.candidates:
                row.beneficiary_id = row.candidates[0]["pk"]
            settled.append(row)
        bulk_create_with_history([p for _r, p in create], Beneficiary, default_user=by)
        people = {
            p.registration_number: p
            for p in Beneficiary.objects.filter(
                registration_number__in=[p.registration_number for _r, p in create]
            ).only("pk", "registration_number")
        }
        consents = []
        for row, person in create:
            row.beneficiary_id = people[person.registration_number].pk
            for scope, given in row.person.get("consents", {}).items():
                consents.append(
                    Consent(
                        beneficiary_id=row.beneficiary_id,
                        scope=scope,
                        given=given,
                        recorded_by=by,
                        given_by_head=bool(row.household_key)
                        and row.person.get("relationship_to_head") != Relationship.HEAD,
                    )
                )
        Consent.objects.bulk_create(consents)
        ImportedRow.objects.bulk_create(
            [
                ImportedRow(
                    center=center, fingerprint=r.fingerprint, job=job, beneficiary_id=r.beneficiary_id
                )
                for r in settled
                if r.fingerprint not in held
            ],
            ignore_conflicts=True,
        )
        # Three statements for the batch (a bulk_update writes a CASE per row and field, slower than the rest).
        ImportRow.objects.filter(pk__in=[r.pk for r in settled if r.fingerprint in held]).update(
            decision=Decision.SKIP
        )
        ImportRow.objects.filter(pk__in=[r.pk for r in settled]).update(done=True)
        ImportRow.objects.filter(pk__in=[r.pk for r in settled if r.beneficiary_id]).update(
            beneficiary_id=Subquery(
                ImportedRow.objects.filter(center=center, fingerprint=OuterRef("fingerprint")).values(
                    "beneficiary_id"
                )[:1]
            )
        )
