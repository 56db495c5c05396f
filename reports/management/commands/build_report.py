import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from centers.models import Center
from reports import exports, render
from reports.services import report_content

FORMATS = ["csv", "hxl", "pdf", "xlsx"]


class Command(BaseCommand):
    help = "Build a report from the command line with the same code as the web page and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["monthly_reach"])
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--center", help="Centre code; omit for the national report.")
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the PDF and XLSX (CSV and HXL have fixed columns).",
        )
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, kind, month, center, format, language, output, **options):
        try:
            start = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError as exc:
            raise CommandError("--month must look like 2026-10.") from exc
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        centre = None
        if center:
            centre = Center.objects.filter(code=center.upper()).first()
            if centre is None:
                raise CommandError(f"Unknown centre {center}.")
        tables, data = report_content(center=centre, start=start, end=end)
        if format in ("pdf", "xlsx"):
            content = {"pdf": render.to_pdf, "xlsx": render.to_xlsx}[format](data, language)
        else:
            content = exports.RENDERERS[format][0](tables)
        with open(output, "wb") as out:
            out.write(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content)} bytes)."))
