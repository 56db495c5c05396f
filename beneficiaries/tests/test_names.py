import csv
from pathlib import Path

import pytest

from beneficiaries import names
from beneficiaries.names import distance, key_variants, name_key, prefix_distance
from beneficiaries.ranking import NAME_MAX_DISTANCE, STRONG_DISTANCE

SAME_NAME = [
    ["Mohammed", "Muhammad", "Mohamad", "Mehmet", "محمد", "Mohammad", "مُحَمَّد"],
    ["Hussein", "Hüseyin", "حسين", "Husein", "حسین"],
    ["Abdulrahman", "Abd al-Rahman", "عبد الرحمن", "Abdurrahman", "Abdelrahman", "عبدالرحمن"],
    ["Ahmad", "Ahmed", "Ahmet", "أحمد", "احمد"],
    ["Khalid", "Halit", "خالد", "Xalid"],
    ["Zeynep", "Zainab", "زینب"],
    ["Ömer", "Omar", "عمر"],
    # An assimilated compound: -ed-din, -ettin, -uddin, al-Din.
    ["Nasreddin", "Nasr al-Din", "نصر الدين", "Nasrettin", "Nasruddin"],
    ["Nureddin", "Nur al-Din", "نور الدين", "Nurettin", "Noureddine", "Nour Eddine"],
    ["Abdussalam", "Abd al-Salam", "Abdul Salam", "عبد السلام", "Abdulselam"],
    ["Abdullah", "Abdallah", "عبد الله", "عبدالله", "Abdellah"],
    # Feminine and long-vowel endings: -a, -ah, -e, -eh, ta marbuta, final alef, hamza.
    ["Fatima", "Fatma", "Fatimah", "فاطمة", "Fatemeh", "فاطمه"],
    ["Aisha", "Ayşe", "عائشة", "Aicha", "Aysha"],
    ["Asmaa", "Asma", "Esma", "أسماء"],
    ["Zahra", "Zehra", "زهرا", "زهراء"],
    ["Huda", "Hoda", "هدى"],
    # French transcriptions: ch for ش, ou for و, dj for ج.
    ["Chadi", "Shadi", "شادي", "Şadi"],
    ["Youssef", "Yusuf", "يوسف", "Yousef"],
    ["Mourad", "Murat", "Murad", "مراد"],
    ["Djamel", "Jamal", "Cemal", "جمال"],
    # Persian in Arabic script: final ی against ي or ى, gh for ق.
    ["Mahdi", "Mehdi", "مهدی", "مهدي"],
    ["Mostafa", "Mustafa", "Moustafa", "مصطفی", "مصطفى"],
    ["Sadeghi", "Sadiki", "صادقی", "صادقي"],
    # A final ح, which transliteration writes like a feminine ending.
    ["Saleh", "Salih", "صالح"],
    ["Fatih", "Fateh", "فاتح"],
]

# Keys drop short vowels, so names that differ only in them (Mohammed and
# Mahmoud, Hasan and Hussein) share a block; the spelling distance, family
# name, birth year and sex then keep them apart.
DIFFERENT_NAMES = [
    ("Ahmad", "Hamad"),
    ("Ali", "Alia"),
    ("علي", "علياء"),
    ("Yusuf", "Yasin"),
    ("Fatma", "Fatih"),
    ("Samir", "Samira"),
    ("Saad", "Saadeh"),
]

# Different names with the same consonants: never as close as one name's spellings.
SAME_SKELETON_DIFFERENT_NAMES = [
    ("Mohammed", "Mahmoud"),
    ("Muhammad", "Mahmut"),
    ("Mehmet", "Mahmoud"),
    ("محمد", "Mahmoud"),
    ("محمد", "محمود"),
    ("Mohammed", "محمود"),
    ("Hasan", "Hussein"),
    ("حسن", "Hussein"),
    ("حسين", "Hasan"),
    ("Omar", "Ammar"),
    ("Jamal", "Jamil"),
    ("Lina", "Lana"),
    ("Zaid", "Ziad"),
    ("Rana", "Rania"),
    ("Ayman", "Amin"),
    ("Jaber", "Jabbour"),
]


def _spellings(group):
    return [pytest.param(group[0], other, id=f"{group[0]}-{other}") for other in group[1:]]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[0])
def test_spellings_and_scripts_of_one_name_share_a_key(spellings):
    keys = {s: name_key(s) for s in spellings}
    # Endings that a spelling does not tell (a French mute e, a Persian final ye) match through key_variants.
    for a in spellings:
        for b in spellings:
            assert keys[b] in key_variants(keys[a]), keys


@pytest.mark.parametrize(("a", "b"), [p for group in SAME_NAME for p in _spellings(group)])
def test_spellings_and_scripts_of_one_name_are_close_in_both_directions(a, b):
    assert distance(a, b) <= STRONG_DISTANCE and distance(b, a) <= STRONG_DISTANCE


@pytest.mark.parametrize(("a", "b"), DIFFERENT_NAMES)
def test_different_names_have_different_keys(a, b):
    assert name_key(b) not in key_variants(name_key(a))


@pytest.mark.parametrize(("a", "b"), SAME_SKELETON_DIFFERENT_NAMES)
def test_different_names_with_the_same_consonants_are_told_apart_by_their_vowels(a, b):
    assert distance(a, b) > NAME_MAX_DISTANCE and distance(b, a) > NAME_MAX_DISTANCE


@pytest.mark.parametrize(
    "spellings",
    [
        ["Al-Khatib", "Alkhatib", "El Khatib", "Elhatip", "الخطيب", "Khatib", "خطيب"],
        ["Al-Masri", "Almasri", "Elmasri", "المصري", "Masri"],
        ["Al-Ahmad", "Alahmad", "الأحمد", "الاحمد", "Ahmad"],
    ],
    ids=lambda s: s[0],
)
def test_a_family_name_matches_with_its_article_glued_separate_or_left_out(spellings):
    forms = [names.family_key_forms(name_key(s)) for s in spellings]
    assert all(a & b for a in forms for b in forms)
    assert all(
        min(distance(x, y) for x in names.family_forms(a) for y in names.family_forms(b)) == 0
        for a in spellings
        for b in spellings
    )


def test_the_article_is_not_taken_from_a_name_that_only_starts_like_it():
    assert names.without_article(name_key("Ali")) == name_key("Ali")
    assert names.family_forms("Ali") == {"Ali"}


def test_typed_beginnings_are_close_to_the_whole_name():
    assert prefix_distance("Huse", "Hüseyin") == 0
    assert prefix_distance("moh", "Mohammed") == 0
    assert prefix_distance("moh", "Mahmoud") >= 1


def test_empty_and_punctuation_only_names_have_no_key():
    assert name_key("") == "" and name_key(" - ") == ""
    assert distance("", "Ali") == 99


def _evaluation_names() -> list[str]:
    path = Path(names.__file__).parent / "evaluation" / "name_pairs.csv"
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    fields = ("given", "family", "given_original", "family_original")
    found = {row[f"{side}_{field}"] for row in rows for side in "ab" for field in fields}
    found |= {name for group in SAME_NAME for name in group}
    return sorted(found - {""})


@pytest.mark.parametrize("limit", [0.0, 0.5, NAME_MAX_DISTANCE, 2.0])
def test_a_bounded_distance_is_the_distance_within_its_limit_and_past_it_otherwise(limit):
    """The duplicate check stops comparing two names once they are farther apart than it cares about; that
    shortcut must never change a distance within the limit, nor bring a farther pair within it."""
    spellings = _evaluation_names()
    assert len(spellings) > 300
    compared = 0
    for a in spellings:
        for b in spellings[::7]:
            exact, bounded = distance(a, b), names.distance_within(a, b, limit)
            if exact <= limit:
                assert bounded == exact, (a, b)
            else:
                assert bounded > limit, (a, b)
            compared += 1
    assert compared > 10_000


def test_the_consonants_apart_never_exceed_the_distance():
    """The duplicate check skips the table of two names whose consonants differ (``consonants_apart``): that
    count must be a lower bound of the distance, or it would drop a pair the table finds within the limit."""
    spellings = _evaluation_names()
    skipped = 0
    for a in spellings:
        for b in spellings[::5]:
            apart = names.consonants_apart(a, b)
            assert apart <= distance(a, b), (a, b, apart)
            skipped += apart > NAME_MAX_DISTANCE
    assert skipped > 10_000  # and it is what spares most tables
