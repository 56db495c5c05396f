"""Offline collection: the needs interview as an XLSForm (for KoboToolbox or ODK Collect) and the import
of its export.

The form is written from the same definitions as the web form (``InterviewRowForm``: labels, choices,
rules), in the four languages of the app, so the two cannot drift apart. One submission is one person
asked; the visit's questions (date, district, neighbourhood, households) are asked on each, and rows of
the same day and place become one visit when imported.

The import checks every row first and saves nothing when one is wrong, naming the row and column. Each
submission's id (KoboToolbox ``_uuid``, ODK ``instanceID``/``KEY``) is kept, so importing the same export
twice, or an export that overlaps an earlier one, adds only what is new.
"""

import io
import re
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook

from audit.recorder import acting_as
from beneficiaries.models import PopulationGroup, Sex
from centers.models import Center
from centers.selectors import active_staff
from core.imports import Progress, job_discard_file, job_refuse, job_start
from core.spreadsheets import read_table
from listening import services
from listening.forms import InterviewRowForm
from listening.models import AgeBand, InterviewImport, NeedsInterview, OutreachVisit
from services.models import Need

MAX_ROWS = 5000

# (type, name, required, extra columns). Names are the columns of the export and the fields of
# InterviewRowForm.
QUESTIONS = [
    ("date", "visit_date", True, {"constraint": ". <= today()"}),
    ("text", "district", True, {}),
    ("text", "neighbourhood", False, {}),
    ("integer", "households_visited", False, {"constraint": ". >= 0 and . <= 2000"}),
    ("select_one sex", "respondent_sex", True, {}),
    ("select_one age_band", "age_band", True, {}),
    ("select_one group", "population_group", True, {}),
    ("select_one country", "nationality", False, {"appearance": "minimal autocomplete"}),
    ("text", "registration_number", False, {}),
    ("select_one need", "need_1", True, {}),
    ("select_one need", "need_2", False, {"choice_filter": "name != ${need_1}"}),
    (
        "select_one need",
        "need_3",
        False,
        {"relevant": "${need_2} != ''", "choice_filter": "name != ${need_1} and name != ${need_2}"},
    ),
    ("text", "quote", False, {"constraint": "string-length(.) <= 500"}),
]
CHOICES = {
    "sex": Sex.choices,
    "age_band": AgeBand.choices,
    "group": PopulationGroup.choices,
    "need": Need.choices,
}
REQUIRED_COLUMNS = [name for _type, name, required, _extra in QUESTIONS if required]
# Where each tool puts the submission's id, best first.
ID_COLUMNS = ["instanceid", "_uuid", "key", "meta-instanceid"]
USER_COLUMNS = ["_submitted_by", "username"]
EXTRA = ["constraint", "relevant", "choice_filter", "appearance"]


def _languages() -> list[tuple[str, str]]:
    """(code, the XLSForm language column, e.g. "Türkçe (tr)")."""
    return [
        (code, f"{translation.get_language_info(code)['name_local']} ({code})")
        for code, _n in settings.LANGUAGES
    ]


def _in_each_language(text) -> list[str]:
    out = []
    for code, _column in _languages():
        with translation.override(code):
            out.append(str(text))
    return out


def xlsform_sheets(center: Center) -> dict[str, list[list]]:
    """The XLSForm as sheets of rows (survey, choices, settings)."""
    languages = _languages()
    labels = [f"label::{column}" for _code, column in languages]
    hints = [f"hint::{column}" for _code, column in languages]
    form = InterviewRowForm(center=center)
    survey = [["type", "name", *labels, *hints, "required", *EXTRA, "calculation"]]
    survey.append(["start", "start", *[""] * (2 * len(languages) + 1 + len(EXTRA)), ""])
    survey.append(["end", "end", *[""] * (2 * len(languages) + 1 + len(EXTRA)), ""])
    survey.append(["username", "username", *[""] * (2 * len(languages) + 1 + len(EXTRA)), ""])
    survey.append(["calculate", "center", *[""] * (2 * len(languages) + 1 + len(EXTRA)), f"'{center.code}'"])
    for kind, name, required, extra in QUESTIONS:
        field_ = form.fields[name]
        hint = _in_each_language(field_.help_text) if field_.help_text else [""] * len(languages)
        survey.append(
            [
                kind,
                name,
                *_in_each_language(field_.label),
                *hint,
                "yes" if required else "",
                *[extra.get(column, "") for column in EXTRA],
                "",
            ]
        )
    choices = [["list_name", "name", *labels]]
    for list_name, options in CHOICES.items():
        for value, label in options:
            choices.append([list_name, value, *_in_each_language(label)])
    for code, name in countries:
        choices.append(["country", code, *[name] * len(languages)])
    default_language = dict(languages)[settings.LANGUAGE_CODE.split("-")[0]]
    form_settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            f"Toplum · {_('Needs interview')} · {center.code}",
            f"toplum_needs_{center.code.lower()}",
            timezone.now().strftime("%Y%m%d%H%M"),
            default_language,
        ],
    ]
    return {"survey": survey, "choices": choices, "settings": form_settings}


def xlsform_xlsx(center: Center) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in xlsform_sheets(center).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- import


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    already: int = 0  # imported before, or twice in this file
    visits: int = 0  # new visits
    errors: list = field(default_factory=list)


def _choice_lookup() -> dict[str, dict[str, str]]:
    """For each choice column: what an export may hold (the code, or a label in any language) → the code."""
    lookup = {}
    for list_name, options in CHOICES.items():
        names = {}
        for value, label in options:
            names[value.lower()] = value
            for text in _in_each_language(label):
                names[text.strip().lower()] = value
        lookup[list_name] = names
    return lookup


def _cell(value: str) -> str:
    """A cell as the form expects it: spreadsheets write whole numbers as 3.0."""
    value = value.strip()
    return value[:-2] if re.fullmatch(r"\d+\.0", value) else value


def _column_key(header: str) -> str:
    """A column name without the group path a tool may add (``meta/instanceID``, ``group-need_1``)."""
    key = header.strip().split("/")[-1].lower()
    return "meta-instanceid" if key == "meta-instanceid" else key


def _submission_id(value: str) -> str:
    value = value.strip()
    return value[5:] if value.lower().startswith("uuid:") else value


def _parse(rows: list[list[str]], center: Center, progress=lambda done: None) -> tuple[list, list, int]:
    """(valid rows as (row number, submission id, username, form), errors, rows repeated in the file)."""
    columns = {_column_key(h): i for i, h in enumerate(rows[0]) if h.strip()}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    id_column = next((columns[c] for c in ID_COLUMNS if c in columns), None)
    if id_column is None:
        missing.append("_uuid / instanceID")
    if missing:
        raise ValidationError(
            _("This is not an export of the needs interview: missing columns %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    lookup = _choice_lookup()
    choice_list = {
        name: kind.split()[1] for kind, name, _r, _e in QUESTIONS if kind.startswith("select_one ")
    }
    user_column = next((columns[c] for c in USER_COLUMNS if c in columns), None)
    valid, errors, seen, repeated = [], [], set(), 0
    for number, row in enumerate(rows[1:], start=2):
        progress(number)
        row = [*row, *[""] * (len(rows[0]) - len(row))]
        submission = _submission_id(row[id_column])
        if not submission or len(submission) > 64:
            errors.append(RowError(number, rows[0][id_column], _("Every row needs its submission id.")))
            continue
        if submission in seen:
            repeated += 1
            continue
        seen.add(submission)
        if "center" in columns and row[columns["center"]].strip().upper() not in ("", center.code):
            errors.append(
                RowError(
                    number,
                    "center",
                    _("This interview was collected for centre %(code)s.")
                    % {"code": row[columns["center"]].strip()},
                )
            )
            continue
        data = {}
        for _kind, name, _required, _extra in QUESTIONS:
            value = _cell(row[columns[name]]) if name in columns else ""
            if name in choice_list and value:
                if choice_list[name] == "country":
                    value = value.upper() if value.upper() in countries else countries.by_name(value) or value
                else:
                    value = lookup[choice_list[name]].get(value.lower(), value)
            data[name] = value
        form = InterviewRowForm(data, center=center)
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = name if name != "__all__" else ""
                errors.extend(RowError(number, column, message) for message in messages)
            continue
        username = row[user_column].strip() if user_column is not None else ""
        valid.append((number, submission, username, form))
    return valid, errors, repeated


def interviews_import(
    *, center: Center, by, upload, progress: Progress | None = None, before_commit=None
) -> ImportResult:
    """Import an export of the offline form: all of it, or nothing when a row is wrong.

    ``progress`` (a job's) is moved as rows are read and checked; ``before_commit(result)`` runs inside the
    transaction that saves the interviews, so a job is marked done with them or not at all."""
    reading = progress.part(5, 30, MAX_ROWS) if progress else lambda done: None
    rows = read_table(upload, max_rows=MAX_ROWS, progress=reading)
    if not rows:
        raise ValidationError(_("The file is empty."))
    checking = progress.part(30, 70, len(rows)) if progress else lambda done: None
    valid, errors, repeated = _parse(rows, center, checking)
    result = ImportResult(already=repeated, errors=errors)
    if errors:
        return result
    known = set(
        NeedsInterview.objects.filter(submission_id__in=[s for _n, s, _u, _f in valid]).values_list(
            "submission_id", flat=True
        )
    )
    new = [row for row in valid if row[1] not in known]
    result.already += len(valid) - len(new)
    staff = {u.username.lower(): u for u in active_staff(center=center)}
    try:
        with transaction.atomic():
            visits = {}
            for _number, submission, username, form in new:
                data = form.cleaned_data
                key = (data["visit_date"], data["district"].strip(), data["neighbourhood"].strip())
                visit = visits.get(key)
                if visit is None:
                    visit = (
                        OutreachVisit.objects.in_center(center)
                        .filter(date=key[0], district__iexact=key[1], neighbourhood__iexact=key[2])
                        .first()
                    )
                    if visit is None:
                        visit = OutreachVisit.objects.create(
                            center=center,
                            date=key[0],
                            district=key[1],
                            neighbourhood=key[2],
                            source=OutreachVisit.Source.IMPORT,
                            created_by=by,
                        )
                        result.visits += 1
                    visit.staff.add(by)
                    visits[key] = visit
                if data["households_visited"] and data["households_visited"] > visit.households_visited:
                    visit.households_visited = data["households_visited"]
                    visit.save(update_fields=["households_visited"])
                if username.lower() in staff:
                    visit.staff.add(staff[username.lower()])
                services.interview_save(visit=visit, by=by, submission_id=submission, **form.interview_data())
                result.created += 1
            if before_commit is not None:
                before_commit(result)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Someone imported the same interviews at the same moment. Import the file again: what is already saved is skipped."
            )
        ) from exc
    return result


# ---------------------------------------------------------------- the import job


def interview_import_request(*, center: Center, by, upload, ip_address: str | None = None) -> InterviewImport:
    """Keep the upload (privately, until its import ends) and queue the import: the page follows the job.

    ``upload`` has passed ``core.spreadsheets.upload_check`` (the form's ``SpreadsheetField``)."""
    from listening.tasks import import_interviews

    job = InterviewImport(
        center=center,
        requested_by=by,
        ip_address=ip_address,
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
    transaction.on_commit(lambda: import_interviews.delay(job.pk))
    return job


def interview_import_run(*, job: InterviewImport) -> InterviewImport:
    """Read, check and save a queued import, as the person who sent it (the visits' staff, the audit trail)."""
    if not job_start(job):
        return job

    def done(result: ImportResult) -> None:
        InterviewImport.objects.filter(pk=job.pk).update(
            status=InterviewImport.Status.DONE,
            progress=100,
            created=result.created,
            already=result.already,
            visits=result.visits,
            finished_at=timezone.now(),
        )

    with translation.override(job.language), acting_as(job.requested_by, ip_address=job.ip_address):
        try:
            with job.file.open("rb") as upload:
                result = interviews_import(
                    center=job.center,
                    by=job.requested_by,
                    upload=upload,
                    progress=Progress(job),
                    before_commit=done,
                )
        except ValidationError as exc:
            job_refuse(job, [{"row": None, "column": "", "message": m} for m in exc.messages])
            return job
    if result.errors:
        job_refuse(job, [asdict(error) for error in result.errors])
        return job
    job_discard_file(job)
    job.refresh_from_db()
    return job
