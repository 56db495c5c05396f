"""python manage.py runway_scenario --open KIL:2027-03 [--open XXX:2027-06]: each funding source's runway
without and with the openings, as the scenario page computes it."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from centers.models import Center
from planning import selectors


def _opening(value: str) -> tuple[str, dt.date]:
    try:
        code, month = value.split(":")
        return code.strip().upper(), dt.datetime.strptime(month.strip(), "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--open takes CODE:YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Print each funding source's runway without and with opening planned centres."

    def add_arguments(self, parser):
        parser.add_argument("--open", action="append", required=True, metavar="CODE:YYYY-MM", dest="openings")

    def handle(self, *args, openings, **options):
        wanted = [_opening(value) for value in openings]
        centers = {c.code: c for c in Center.objects.filter(code__in=[code for code, _m in wanted])}
        chosen = []
        for code, month in wanted:
            center = centers.get(code)
            if center is None or center.status != Center.Status.PLANNED:
                raise CommandError(f"{code} is not a planned centre.")
            if not hasattr(center, "plan"):
                raise CommandError(f"{code} has no plan.")
            chosen.append((center, month))
        projection = selectors.scenario_projection(openings=chosen, today=timezone.localdate())
        what = ", ".join(f"{c.code} in {m:%B %Y}" for c, m in chosen)
        self.stdout.write(f"Opening {what}, from {projection.months[0]:%B %Y}:")
        for s in projection.sources:
            without = self._months(s.months_without, s.runs_out_without)
            with_ = self._months(s.months_with, s.runs_out_with)
            lost = f", {s.months_lost} months fewer" if s.months_lost else ""
            self.stdout.write(f"  {s.name}: without {without}; with {with_}{lost}")
        last = projection.rows[-1]
        self.stdout.write(
            f"In 24 months: {last.distinct_people:.0f} people reached, USD {last.total_cost_usd:,.2f}, "
            f"USD {last.cost_per_person or 0:,.2f} a person."
        )
        for currency in projection.missing_rates:
            self.stdout.write(f"  No exchange rate for {currency}: its costs are left out.")

    @staticmethod
    def _months(months, runs_out) -> str:
        if months is None:
            return "does not run out"
        return f"{months} months (runs out in {runs_out:%B %Y})"
