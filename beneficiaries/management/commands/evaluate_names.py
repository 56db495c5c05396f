"""Recall and false alarms of the duplicate check on the labelled name pairs (beneficiaries/evaluation)."""

from django.core.management.base import BaseCommand

from beneficiaries.evaluation import evaluate


class Command(BaseCommand):
    help = "Measure the duplicate check on the labelled name pairs; nothing is written."

    def add_arguments(self, parser):
        parser.add_argument("--misses", action="store_true", help="List every trial the check gets wrong.")

    def handle(self, *args, misses, **options):
        report = evaluate()
        for label, kind, trials, found in report.by_class():
            self.stdout.write(f"  {label:9} {kind:17} {found:3}/{trials:<3} found")
        if misses:
            self.stdout.write("\nWrong:")
            for t in report.misses():
                verdict = "missed" if t.pair.label == "same" else f"found ({t.strength})"
                self.stdout.write(f"  {verdict:15} {t.pair.kind:17} {_name(t.typed)}  →  {_name(t.saved)}")
        self.stdout.write("\n" + report.summary())


def _name(person: dict) -> str:
    names = " ".join(
        p
        for p in (
            person["first_name"],
            person["last_name"],
            person["first_name_original"],
            person["last_name_original"],
        )
        if p
    )
    return f"{names} ({person['sex'][0]}, {person['birth_year']})"
