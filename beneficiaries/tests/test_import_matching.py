"""The import's family-name index finds exactly the forms rapidfuzz's ``extract`` finds, with the same scores."""

import os
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from beneficiaries.importing import beside, checking, matching
from beneficiaries.importing.matching import MAX_INDEXED, Likeness, deletions
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import FAMILY_NAME_SIMILARITY
from beneficiaries.tests.factories import BeneficiaryFactory
from beneficiaries.tests.test_import_people import HEADER

# Few letters, so that many keys are alike; lengths on both sides of MAX_INDEXED.
keys = st.text(alphabet="bdhklmr", min_size=1, max_size=MAX_INDEXED + 3)


def extracted(family, forms):
    return {
        form: score
        for form, score, _i in process.extract(
            family, forms, scorer=fuzz.ratio, score_cutoff=FAMILY_NAME_SIMILARITY, limit=None
        )
    }


@settings(max_examples=300, deadline=None)
@given(
    first=st.lists(keys, max_size=60),
    later=st.lists(keys, max_size=60),
    families=st.lists(keys, min_size=1, max_size=5),
    few_new=st.sampled_from([0, 10, matching.FEW_NEW]),
)
def test_the_index_finds_what_comparing_every_form_finds(first, later, families, few_new):
    """Whether new forms are found through their deletions (few_new 0) or compared one by one."""
    with mock.patch.object(matching, "FEW_NEW", few_new):
        _check(first, later, families)


def _check(first, later, families):
    likeness = Likeness()
    for form in first:
        likeness.add(form)
    for family in families:
        assert likeness.like(family) == extracted(family, list(dict.fromkeys(first)))
    for form in later:  # forms read after a key was looked for are found for it too
        likeness.add(form)
    every = list(dict.fromkeys(first + later))
    for family in families:
        assert likeness.like(family) == extracted(family, every)
        block = dict.fromkeys(every[::2], {})
        assert dict(likeness.among(family, block)) == extracted(family, list(block))


def test_the_index_is_used_past_a_few_new_forms(monkeypatch):
    """With many forms the answer comes from the deletions, not from comparing every form; still the same."""
    monkeypatch.setattr("beneficiaries.importing.matching.FEW_NEW", 0)
    forms = ["bskr", "bskrr", "bsk", "skr", "bsqr", "mhmd", "bskrmhmd", "b", "abdlrhmnxyzqq", "bskra"]
    likeness = Likeness()
    for form in forms:
        likeness.add(form)
    for family in ("bskr", "bs", "abdlrhmnxyzq", "mhmd"):
        assert likeness.like(family) == extracted(family, forms)


def test_two_alike_keys_share_a_deletion():
    """The bound the index rests on, at the edge: a ratio of exactly 80 (3 and 2 letters, one apart)."""
    assert fuzz.ratio("bkr", "bk") == 80
    assert deletions("bkr") & deletions("bk")
    assert fuzz.ratio("bkrmd", "bkrmdhl") < 85
    assert fuzz.ratio("bkrmdh", "bkrmdhlm") >= 80
    assert deletions("bkrmdh") & deletions("bkrmdhlm")


# ---------------------------------------------------------------- two processes (beside.py)


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the second process reads through its own connection
def test_the_second_process_reads_the_database_and_answers_through_the_pipe():
    BeneficiaryFactory()
    here = os.getpid()
    theirs, mine = beside.run_beside(
        lambda: (os.getpid(), Beneficiary.objects.count()), lambda: (os.getpid(), Beneficiary.objects.count())
    )
    assert theirs[0] != here and mine[0] == here
    assert theirs[1] == mine[1] == 1
    assert Beneficiary.objects.count() == 1  # this process's connection still works


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_process_that_fails_has_its_share_computed_here():
    here = os.getpid()

    def share():
        if os.getpid() != here:
            raise RuntimeError("the second process fails")
        return "computed here"

    with mock.patch.object(beside.logger, "exception"):  # the child's report of its failure
        assert beside.run_beside(share, lambda: "mine") == ("computed here", "mine")


@pytest.mark.django_db
def test_inside_a_transaction_both_shares_run_here():
    """A second connection would not see what the transaction wrote: no fork."""
    here = os.getpid()
    assert not beside.can_fork()
    assert beside.run_beside(os.getpid, os.getpid) == (here, here)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_checked_in_two_processes_gets_the_answer_of_one(world):
    """The dry run of a file past PARALLEL_FROM rows, split over two processes, classifies every row and
    names every candidate as when one process checks it all."""
    center = world.centers["ANK"]
    people = [
        ("Mohammed", "Al-Masri", 1990),
        ("Muhammad", "Masri", 1991),
        ("Fatima", "Haddad", 1985),
        ("Omar", "Khatib", 1970),
        ("Ahmad", "Al-Khatib", 1972),
        ("Zainab", "Darwish", 2001),
        ("Hussein", "Hamdan", 1960),
        ("Yusuf", "Nasser", 1999),
    ]
    for first, last, year in people:
        BeneficiaryFactory(center=center, first_name=first, last_name=last, birth_year=year)
    rows = []
    for first, last, year in people:
        rows += [
            [first, last, "", "", "male", str(year), "SY", "temporary_protection", "", "", "", "", ""],
            [first[:-1] + "a", last, "", "", "female", str(year + 1), "SY", "x", "", "", "", "", ""],
            [
                first,
                last + "i",
                "",
                "",
                "male",
                str(year - 2),
                "SY",
                "temporary_protection",
                "",
                "",
                "",
                "",
                "",
            ],
            ["Selin", last, "", "", "female", str(year), "SY", "temporary_protection", "", "", "", "", ""],
        ]
    mapping = dict(zip(HEADER, range(len(HEADER)), strict=True))

    def classified():
        checked = checking.check_rows(center=center, rows=rows, mapping=mapping)
        return [(r.number, r.kind, r.same_as_row, r.candidates, r.errors) for r in checked]

    alone = classified()
    forks = []
    real = beside.run_beside
    with (
        mock.patch.object(matching, "PARALLEL_FROM", 1),
        mock.patch.object(beside, "run_beside", lambda *shares: forks.append(1) or real(*shares)),
    ):
        together = classified()
    assert forks and beside.can_fork()
    assert together == alone
    assert {kind for _n, kind, *_rest in alone} >= {"existing", "in_file", "new"}
