"""The registration form's duplicate check (beneficiaries.selectors), run for a whole file at once.

The rules are the form's own: a row is probed with ``selectors._Probe`` (the same block: document, phone,
given-name key within two years), scored by ``_Probe.score`` and its names compared by
``selectors._compared``. Only the reading differs, so that 50,000 rows against a million records take
under a minute, not hours: the keys of the file are computed once, the records of many rows' blocks are
read by one query per batch of given-name keys, each family-name key is compared once with the forms that
may be like it (``Likeness``, found through their deletions), and the form's scoring sees only the rows
that can match, with their similarity already known. A large file is shared with a second process
(``beside``).
"""

import bisect
import contextlib
import functools
import gc
from collections import defaultdict, namedtuple

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from rapidfuzz import fuzz, process

from beneficiaries import names
from beneficiaries.models import Beneficiary
from beneficiaries.ranking import STRONG
from beneficiaries.selectors import (
    BIRTH_YEAR_TOLERANCE,
    FAMILY_NAME_SIMILARITY,
    MAX_CANDIDATES,
    MAX_COMPARED,
    Candidate,
    _compared,
    _family_forms,
    _Probe,
)
from centers.models import Center

from . import beside

FIELDS = (
    "pk",
    "center_id",
    "registration_number",
    "birth_year",
    "sex",
    "household_id",
    "father_name",
    "phone",
    "document_number",
    "first_name",
    "last_name",
    "first_name_original",
    "last_name_original",
    "first_name_key",
    "first_name_key_original",
    "last_name_key",
    "last_name_key_original",
)
# What _Probe.score reads from a row, plus the two comparisons the form makes in SQL.
Held = namedtuple("Held", (*FIELDS, "same_phone", "same_document"))
KEYS_PER_QUERY = 200
# Files with fewer rows to check are checked in one process: a second one would cost more than it saves.
PARALLEL_FROM = 2000
# The share of the rows this process checks against the records when a second process checks the rest; this
# one also checks the file's rows against one another (about a sixth of the work, measured on `make bench`).
PARENT_SHARE = 0.37
PROBES_PER_QUERY = 2000


def e164(phone) -> str:
    """A phone as read from the database (a PhoneNumber) or as the file gave it (E.164 text)."""
    return getattr(phone, "as_e164", None) or str(phone or "")


# Forms longer than this are not indexed by their deletions (a key of 15 letters has 4,944 of them): they
# are compared one by one, as are keys this long.
MAX_INDEXED = 12
# Fewer new forms than this since a key was last looked for are compared one by one (the file's own index
# grows a row at a time).
FEW_NEW = 1000


def deletions(key: str) -> frozenset[str]:
    """``key`` and what is left of it with up to a third of its letters deleted (at the similarity of 80).

    Two keys a and b are alike when rapidfuzz's ratio, 100 * (1 - indel / (|a| + |b|)), is at least T.
    Their longest common subsequence s leaves e_a = |a| - |s| and e_b = |b| - |s| letters out, and
    indel = e_a + e_b, so alike means e_a + e_b <= r * |s| with r = 2 (100 - T) / T; each of e_a and e_b
    is then at most |key| * r / (1 + r) = |key| * 2 (100 - T) / (200 - T): a third at T = 80. So two alike
    keys always share a string of these two sets (their s), and looking up a key's deletions finds every
    form that may be alike; rapidfuzz then says which are.

    Not cached: ``Likeness`` asks once per form and seldom per key, and a module-level cache would keep a
    file's tens of thousands of sets in the imports worker after the file is checked."""
    most = len(key) * 2 * (100 - FAMILY_NAME_SIMILARITY) // (200 - FAMILY_NAME_SIMILARITY)
    found = frontier = {key}
    for _ in range(most):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found = found | frontier
    return frozenset(found)


class Likeness:
    """Which family-name forms are like a probe's family-name key (rapidfuzz ratio at least
    FAMILY_NAME_SIMILARITY), kept for the whole file.

    A block is a given-name key and a year; a family name is looked for in many blocks, whose forms are
    mostly the same few thousand. So each key is compared once with the forms read so far, found through
    their deletions (``deletions``) instead of one by one, and each block takes the forms it holds from
    that answer: the same forms with the same scores as rapidfuzz's ``extract`` over the block."""

    def __init__(self):
        self.forms = []  # every form of every index that shares this, in the order added
        self._known = set()
        self._by_deletion = defaultdict(list)  # deletion -> numbers of the forms (in self.forms) with it
        self._long = []  # numbers of the forms longer than MAX_INDEXED
        self._like = {}  # family key -> ({form: score} among the first n forms, n)

    def add(self, form: str) -> None:
        if form in self._known:
            return
        self._known.add(form)
        number = len(self.forms)
        self.forms.append(form)
        if len(form) > MAX_INDEXED:
            self._long.append(number)
            return
        for deleted in deletions(form):
            self._by_deletion[deleted].append(number)

    def like(self, family: str) -> dict[str, float]:
        """Every form read so far that is like ``family``, with its score."""
        scores, since = self._like.get(family) or ({}, 0)
        if since < len(self.forms):
            if len(self.forms) - since < FEW_NEW or len(family) > MAX_INDEXED:
                maybe = self.forms[since:]
            else:
                numbers = {n for d in deletions(family) for n in self._by_deletion.get(d, ()) if n >= since}
                numbers.update(self._long[bisect.bisect_left(self._long, since) :])
                maybe = [self.forms[n] for n in numbers]
            scores.update(_like(family, maybe))
            self._like[family] = (scores, len(self.forms))
        return scores

    def among(self, family: str, forms: dict) -> list[tuple[str, float]]:
        """The forms of ``forms`` (a block's {form: rows}) like ``family``, with their scores."""
        scores = self.like(family)
        return [(form, scores[form]) for form in scores.keys() & forms.keys()]


def _like(family: str, choices: list[str]) -> list[tuple[str, float]]:
    return [
        (form, score)
        for form, score, _i in process.extract(
            family, choices, scorer=fuzz.ratio, score_cutoff=FAMILY_NAME_SIMILARITY, limit=None
        )
    ]


class Index:
    """Records by given-name key and year, then by family-name form; and by document and phone.

    ``blocks`` limits it to the (given-name key, year) blocks some row probes: a batch's query reads every
    year of its keys, and most of those records are no row's neighbours. ``contacts=False`` leaves out the
    documents and phones (read by a query of their own). Indexes that share a ``likeness`` share what they
    learnt about family names."""

    def __init__(self, blocks: set | None = None, *, contacts: bool = True, likeness: Likeness | None = None):
        self.blocks = defaultdict(dict)  # (key, year) -> {family form: {pk: row}}
        self.no_family = defaultdict(dict)  # (key, year) -> {pk: row} without a family name
        self.by_document = defaultdict(list)
        self.by_phone = defaultdict(list)
        self.likeness = likeness or Likeness()
        self._forms = {}
        self._matched = {}  # (key, year) -> {family key: [(form of the block, score)]}
        self._wanted = blocks
        self._contacts = contacts

    def add(self, row: Held) -> None:
        wanted = self._wanted
        for key in (row.first_name_key, row.first_name_key_original):
            if not key:
                continue
            block = (key, row.birth_year)
            if wanted is not None and block not in wanted:
                continue
            family = (row.last_name_key, row.last_name_key_original)
            forms = self._forms.get(family)
            if forms is None:
                forms = self._forms[family] = tuple(_family_forms(*family))
                for form in forms:
                    self.likeness.add(form)
            if not forms:
                self.no_family[block][row.pk] = row
            by_form = self.blocks[block]
            for form in forms:
                if form in by_form:
                    by_form[form][row.pk] = row
                else:
                    by_form[form] = {row.pk: row}
                    self._matched.pop(block, None)
        if self._contacts:
            if row.document_number:
                self.by_document[row.document_number].append(row)
            if row.phone:
                self.by_phone[e164(row.phone)].append(row)

    def near(self, probe: _Probe, similarity: dict | None = None) -> dict[int, Held]:
        """The rows that may score against ``probe``: a superset of what the form's check would score.

        ``similarity``, when given, is told each row's family-name similarity to the probe wherever it is
        at least FAMILY_NAME_SIMILARITY (``selectors._family_similarity``, found here without comparing
        the row's names again)."""
        found = {}
        for row in self.by_document.get(probe.document, ()) if probe.document else ():
            found[row.pk] = row
        for row in self.by_phone.get(probe.phone, ()) if probe.phone else ():
            found[row.pk] = row
        if not probe.year:
            return found
        likeness = self.likeness
        for key in probe.first_keys:
            for year in range(probe.year - BIRTH_YEAR_TOLERANCE, probe.year + BIRTH_YEAR_TOLERANCE + 1):
                block = (key, year)
                forms = self.blocks.get(block)
                if block in self.no_family:
                    found.update(self.no_family[block])
                if not forms:
                    continue
                if not probe.family_keys:  # the fathers' names or nothing decide: every row of the block
                    for rows in forms.values():
                        found.update(rows)
                    continue
                matched = self._matched.get(block)
                if matched is None:
                    matched = self._matched[block] = {}
                for family in probe.family_keys:
                    like = matched.get(family)
                    if like is None:  # rows of one file share family names: each is looked for once a block
                        like = matched[family] = likeness.among(family, forms)
                    for form, score in like:
                        rows = forms[form]
                        found.update(rows)
                        if similarity is not None:
                            for pk in rows:
                                if similarity.get(pk, 0) < score:
                                    similarity[pk] = score
        return found


def candidates_among(
    probe: _Probe, rows: dict, *, user_center_ids: set, codes: dict, same_household=None, similarity=None
):
    """The form's candidates for ``probe`` among ``rows``: scored, names compared, strong ones first.

    ``similarity``: the family-name similarities ``Index.near`` found, by row."""
    matches = {}
    similarity = similarity or {}
    contacts = bool(probe.phone or probe.document)
    for row in rows.values():
        if contacts:  # rows are read with neither flag set
            row = row._replace(
                same_phone=bool(probe.phone) and e164(row.phone) == probe.phone,
                same_document=bool(probe.document) and row.document_number == probe.document,
            )
        score, reasons = probe.score(row, same_household, similarity.get(row.pk))
        if reasons:
            matches[row.pk] = (score, reasons, row)
    # Ties broken by record, older first: the same rows are compared whatever order the rows were read in.
    best = sorted(matches, key=lambda pk: (-matches[pk][0], pk))[:MAX_COMPARED]
    found = []
    for pk in best:
        _key_score, reasons, row = matches[pk]
        score, reasons, strength = _compared(probe, _names(row), reasons)
        if reasons:
            found.append(
                Candidate(
                    pk=pk,
                    registration_number=row.registration_number,
                    center_code=codes.get(row.center_id, ""),
                    birth_year=row.birth_year,
                    name=" ".join(p for p in (row.first_name, row.last_name) if p),
                    score=score,
                    reasons=reasons,
                    full_details=row.center_id in user_center_ids,
                    strength=strength,
                )
            )
    found.sort(key=lambda c: (c.strength != STRONG, -c.score, c.registration_number))
    return found[:MAX_CANDIDATES]


def _names(row: Held) -> dict:
    """What ``selectors._compared`` reads of a record."""
    return {
        "first_name": row.first_name,
        "first_name_original": row.first_name_original,
        "last_name": row.last_name,
        "last_name_original": row.last_name_original,
        "birth_year": row.birth_year,
    }


def _batches(probes: dict[int, _Probe]):
    """Probes grouped so that one query reads the blocks of many rows: by given-name key, in key order."""
    by_key = defaultdict(list)
    for number, probe in probes.items():
        for key in probe.first_keys:
            by_key[key].append(number)
    keys, count = [], 0
    for key in sorted(by_key):
        keys.append(key)
        count += len(by_key[key])
        if len(keys) >= KEYS_PER_QUERY or count >= PROBES_PER_QUERY:
            yield keys, {n for k in keys for n in by_key[k]}
            keys, count = [], 0
    if keys:
        yield keys, {n for k in keys for n in by_key[k]}


# The phone as stored (E.164 text): read through the model field, every number would be parsed again.
_READ = tuple("phone_text" if name == "phone" else name for name in FIELDS)


def _held(condition: Q):
    rows = (
        Beneficiary.objects.active()
        .filter(condition)
        .annotate(phone_text=Cast("phone", CharField()))
        .values_list(*_READ)
    )
    return (Held(*row, False, False) for row in rows.iterator(chunk_size=5000))


@contextlib.contextmanager
def names_compared_once():
    """While a file is checked, each pair of spellings is compared once (``names.distance_within`` is pure,
    and a file of 50,000 rows asks for the same pairs of common names thousands of times)."""
    original = names.distance_within
    names.distance_within = functools.lru_cache(maxsize=500_000)(original)
    try:
        yield
    finally:
        names.distance_within = original


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection while a file is checked.

    The check holds millions of small dicts and tuples (a million records in blocks); each time the cycle
    collector runs its oldest generation it walks them all, which took a fifth of a 50,000-row dry run. They
    form no cycles, so reference counting frees them; anything cyclic left meanwhile is collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def existing_candidates(
    probes: dict[int, _Probe], *, user_center_ids: set, progress=lambda done: None, meanwhile=lambda: None
) -> dict[int, list[Candidate]]:
    """Row number -> the records of every centre that may be that row's person, as the form finds them.

    A large file is shared with a second process (``beside``): this one runs ``meanwhile`` (the check of
    the file's own rows) and PARENT_SHARE of the rows, the other the rest."""
    if len(probes) < PARALLEL_FROM or not beside.can_fork():
        meanwhile()
        return _existing(probes, user_center_ids=user_center_ids, progress=progress)
    numbers = sorted(probes, key=lambda n: (min(probes[n].first_keys, default=""), n))
    cut = round(len(numbers) * PARENT_SHARE)
    mine = {n: probes[n] for n in numbers[:cut]}
    theirs = {n: probes[n] for n in numbers[cut:]}

    def my_share():
        meanwhile()
        return _existing(
            mine,
            user_center_ids=user_center_ids,
            progress=lambda done: progress(done * len(probes) // len(mine)),
        )

    found_there, found_here = beside.run_beside(
        lambda: _existing(theirs, user_center_ids=user_center_ids), my_share
    )
    return {**found_there, **found_here}


def _existing(
    probes: dict[int, _Probe], *, user_center_ids: set, progress=lambda done: None
) -> dict[int, list[Candidate]]:
    codes = dict(Center.objects.values_list("pk", "code"))
    near: dict[int, dict] = defaultdict(dict)
    similar: dict[int, dict] = defaultdict(dict)
    likeness = Likeness()
    done = 0
    for keys, numbers in _batches(probes):
        years = [probes[n].year for n in numbers if probes[n].year]
        if not years:
            continue
        span = (min(years) - BIRTH_YEAR_TOLERANCE, max(years) + BIRTH_YEAR_TOLERANCE)
        wanted = {
            (key, year)
            for n in numbers
            if probes[n].year
            for key in probes[n].first_keys
            for year in range(
                probes[n].year - BIRTH_YEAR_TOLERANCE, probes[n].year + BIRTH_YEAR_TOLERANCE + 1
            )
        }
        index = Index(wanted, contacts=False, likeness=likeness)  # documents and phones: the query below
        for row in _held(
            (Q(first_name_key__in=keys) | Q(first_name_key_original__in=keys)) & Q(birth_year__range=span)
        ):
            index.add(row)
        for number in numbers:
            near[number].update(index.near(probes[number], similar[number]))
        done += len(numbers)
        progress(done)
    numbers = sorted(probes)
    for start in range(0, len(numbers), PROBES_PER_QUERY):
        chunk = [probes[n] for n in numbers[start : start + PROBES_PER_QUERY]]
        documents = {p.document for p in chunk if p.document}
        phones = {p.phone for p in chunk if p.phone}
        if not documents and not phones:
            continue
        index = Index()
        for row in _held(Q(document_number__in=documents) | Q(phone__in=phones)):
            index.add(row)
        for number in numbers[start : start + PROBES_PER_QUERY]:
            probe = probes[number]
            for row in index.by_document.get(probe.document, ()) if probe.document else ():
                near[number][row.pk] = row
            for row in index.by_phone.get(probe.phone, ()) if probe.phone else ():
                near[number][row.pk] = row
    return {
        number: candidates_among(
            probe,
            near.get(number, {}),
            user_center_ids=user_center_ids,
            codes=codes,
            similarity=similar.get(number),
        )
        for number, probe in probes.items()
    }
