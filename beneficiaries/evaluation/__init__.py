"""How well the duplicate check finds people: a labelled set of name pairs and the figures it gives.

``name_pairs.csv`` holds pairs of records written the way centres meet them: the same person in another
spelling or script (an article glued to the family name, an assimilated compound, a feminine or long-vowel
ending, a French or Turkish transcription, a Persian name in Arabic script, a final ح read as a feminine
ending, a birth year one or two off), and different people with similar names (Mohammed and Mahmoud,
Hasan and Hussein, siblings, namesakes of another family).

Each pair is tried in both directions through the real :func:`beneficiaries.selectors.duplicate_candidates`:
one record is saved (so its name keys are computed as in production), the other is typed at the desk, and
the pair counts as found when the saved record is among the candidates, whatever their strength. Nothing is
kept: every trial runs in a savepoint that is rolled back.

    python manage.py evaluate_names          # the figures, per class
    python manage.py evaluate_names --misses # and every pair it gets wrong
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from beneficiaries.models import Beneficiary, PopulationGroup, Sex
from beneficiaries.selectors import duplicate_candidates
from centers.models import Center

PAIRS_FILE = Path(__file__).with_name("name_pairs.csv")
SEXES = {"m": Sex.MALE, "f": Sex.FEMALE, "u": Sex.UNKNOWN}


@dataclass(frozen=True)
class Pair:
    label: str  # "same" or "different"
    kind: str  # the class of spelling difference, or of similar names
    a: dict
    b: dict
    comment: str


@dataclass
class Trial:
    pair: Pair
    typed: dict
    saved: dict
    found: bool
    strength: str  # the strength of the saved record among the candidates, "" when not found


@dataclass
class Report:
    trials: list[Trial] = field(default_factory=list)

    def _rate(self, label: str, *, strong_only: bool = False) -> float:
        trials = [t for t in self.trials if t.pair.label == label]
        hits = [t for t in trials if t.found and (t.strength == "strong" or not strong_only)]
        return len(hits) / len(trials) if trials else 0.0

    @property
    def recall(self) -> float:
        """Share of same-person trials where the other record was a candidate."""
        return self._rate("same")

    @property
    def false_alarm_rate(self) -> float:
        """Share of different-person trials where the other record was a candidate."""
        return self._rate("different")

    @property
    def strong_recall(self) -> float:
        return self._rate("same", strong_only=True)

    @property
    def strong_false_alarm_rate(self) -> float:
        return self._rate("different", strong_only=True)

    def misses(self) -> list[Trial]:
        """Same-person trials not found, and different-person trials found."""
        return [t for t in self.trials if t.found != (t.pair.label == "same")]

    def by_class(self) -> list[tuple[str, str, int, int]]:
        """(label, class, trials, found) per class, in file order."""
        totals, found = Counter(), Counter()
        for t in self.trials:
            totals[t.pair.label, t.pair.kind] += 1
            found[t.pair.label, t.pair.kind] += t.found
        return [(label, kind, n, found[label, kind]) for (label, kind), n in totals.items()]

    def summary(self) -> str:
        same = sum(t.pair.label == "same" for t in self.trials)
        different = len(self.trials) - same
        return (
            f"recall {self.recall:.1%} of {same} same-person trials "
            f"(strong {self.strong_recall:.1%}); "
            f"false alarms {self.false_alarm_rate:.1%} of {different} different-person trials "
            f"(strong {self.strong_false_alarm_rate:.1%})"
        )


def _record(row: dict, side: str) -> dict:
    return {
        "first_name": row[f"{side}_given"],
        "last_name": row[f"{side}_family"],
        "first_name_original": row[f"{side}_given_original"],
        "last_name_original": row[f"{side}_family_original"],
        "sex": SEXES[row[f"{side}_sex"]],
        "birth_year": int(row[f"{side}_birth_year"]),
    }


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Pair(row["label"], row["class"], _record(row, "a"), _record(row, "b"), row["comment"])
            for row in csv.DictReader(f)
        ]


def _trial(pair: Pair, *, typed: dict, saved: dict, center: Center, user, number: str) -> Trial:
    with transaction.atomic():
        record = Beneficiary(
            registration_number=number,
            center=center,
            registered_by=user,
            nationality="SY",
            population_group=PopulationGroup.TEMPORARY_PROTECTION,
            **saved,
        )
        record.save()
        candidates = duplicate_candidates(person=typed, user_center_ids={center.pk})
        transaction.set_rollback(True)
    match = next((c for c in candidates if c.pk == record.pk), None)
    strength = getattr(match, "strength", "strong") if match else ""
    return Trial(pair=pair, typed=typed, saved=saved, found=match is not None, strength=strength)


def evaluate(pairs: list[Pair] | None = None) -> Report:
    """Try every pair in both directions against a database holding only the other record.

    Runs in a transaction that is rolled back: safe on a database with people in it, though their records
    may then also be candidates (they never count: only the pair's own record does).
    """
    pairs = load_pairs() if pairs is None else pairs
    report = Report()
    with transaction.atomic():
        center = Center.objects.create(code="EVALNAME", name="Evaluation", city="-")
        user = get_user_model().objects.create(username="name-evaluation")
        for n, pair in enumerate(pairs):
            for i, (typed, saved) in enumerate([(pair.a, pair.b), (pair.b, pair.a)]):
                number = f"EVAL-{n:05d}-{i}"
                report.trials.append(
                    _trial(pair, typed=typed, saved=saved, center=center, user=user, number=number)
                )
        transaction.set_rollback(True)
    return report
