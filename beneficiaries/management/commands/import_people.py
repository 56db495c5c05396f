"""Import people and households from a file, as the import page does, without a browser.

    python manage.py import_people people.xlsx --center ANK --dry-run
    python manage.py import_people people.xlsx --center ANK --possible skip

The columns are those remembered for the file's header row, else those its headers name; possible
duplicates are skipped (or imported as new with ``--possible new``): on the page a manager decides each.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from beneficiaries.importing import services
from beneficiaries.importing.models import ImportRow
from centers.models import Center, Membership, Role
from core.spreadsheets import upload_check

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Import people and households from a CSV, XLSX or KoboToolbox/ODK export (dry run first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--center", required=True, help="The centre's code, e.g. ANK.")
        parser.add_argument("--dry-run", action="store_true", help="Classify the rows; save nothing.")
        parser.add_argument(
            "--by", help="Username recorded as registering (default: a manager of the centre)."
        )
        parser.add_argument("--possible", choices=["skip", "new"], default="skip")

    def handle(self, *args, file, center, dry_run, by, possible, **options):
        center = Center.objects.filter(code=center.upper()).first()
        if center is None:
            raise CommandError("No centre with this code.")
        user = self._user(center, by)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                kind = upload_check(upload)
                job = services.people_import_start(center=center, by=user, upload=upload, kind=kind)
                job = services.people_import_map(job=job, mapping=job.mapping, queue=False)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        job = services.people_import_check_run(job=job)
        if job.status != job.Status.CHECKED:
            raise CommandError(" ".join(job.problems) or job.error or job.status)
        self._report_dry_run(job)
        if dry_run:
            self.stdout.write("Dry run: nothing saved.")
            return
        rows = ImportRow.objects.filter(job=job, kind=ImportRow.Kind.POSSIBLE)
        services.people_import_decide(
            job=job, decisions=dict.fromkeys(rows.values_list("pk", flat=True), possible)
        )
        services.people_import_request(job=job, queue=False)
        job = services.people_import_run(job=job)
        counts = job.counts
        self.stdout.write(
            f"Imported: {counts['created']} registered in {counts['households']} new households, "
            f"{counts['same_as_existing']} already registered, {counts['skipped']} skipped, "
            f"{counts['errors']} with errors, {counts['imported_before']} imported before."
        )

    def _user(self, center, username):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username}.")
            return user
        member = (
            Membership.objects.filter(center=center, role=Role.CENTER_MANAGER).select_related("user").first()
        )
        user = member.user if member else users.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("Say who imports with --by USERNAME.")
        return user

    def _report_dry_run(self, job):
        for kind, label in ImportRow.Kind.choices:
            self.stdout.write(f"  {label}: {job.counts.get(kind, 0)}")
        if job.counts.get(ImportRow.Kind.BEFORE) == sum(job.counts.values()):
            self.stdout.write("This file was imported before: nothing new.")
        for row in ImportRow.objects.filter(job=job, kind=ImportRow.Kind.ERROR)[:ERRORS_SHOWN]:
            self.stdout.write(f"  row {row.number}: " + " ".join(row.errors))
