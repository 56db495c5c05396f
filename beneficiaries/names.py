"""Name keys that match one name across spellings and scripts, and how close two spellings are.

A receptionist may type Mohammed, Muhammad, Mehmet or محمد for the same man.
``name_key`` reduces a name to a consonant skeleton that is the same for all
of them and is stored, indexed, beside the name: the duplicate check and the
search look people up by key (the "blocking key"). A skeleton also joins
different names (Mohammed and Mahmoud are both ``mhmd``), so ``distance``
then compares the spellings with the vowels the key dropped, to rank and to
tell a strong match from a weak one.

anyascii does the transliteration (Arabic, Persian, Turkish, Kurdish…); the
tables below only fold what transliteration cannot know. Each row says why;
a new spelling habit is a new row, not a new branch of code. Changing a table
changes the stored keys: add a migration that recomputes them (see
migrations/0002_recompute_name_keys.py).
"""

import math
import re
from collections import Counter
from functools import lru_cache

from anyascii import anyascii

# ---------------------------------------------------------------- the tables

# Arabic-script letters read otherwise than anyascii reads them. Every letter of a name in Arabic script becomes
# one Latin letter, already folded as DIGRAPHS below would fold its Latin spelling: read as two letters, ز+ه or
# ت+ح would be taken for the digraphs zh and th.
SCRIPT_LETTERS = {
    "ا": "a",  # alef: anyascii drops it, yet it starts names typed without hamza (احمد) and ends Persian ones (زهرا)
    "ٱ": "a",  # alef wasla, as alef
    "ة": "a",  # ta marbuta is the feminine ending (-a, -ah, -e, -eh in Latin); anyascii reads it h, like ح
    "خ": "h",  # kh
    "غ": "k",  # gh
    "ش": "s",  # sh
    "ث": "s",  # th
    "ذ": "d",  # dh
    "ظ": "d",  # dh
    "چ": "s",  # Persian ch
    "ژ": "j",  # Persian zh
}
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

# Latin letters read before transliteration, while the diacritics still tell whose spelling it is.
LATIN_LETTERS = [
    # Turkish vowel harmony writes the final -i of Arabic names as -ü (Şükrü for Shukri, Lütfü for Lutfi).
    (re.compile(r"ü$", re.IGNORECASE), "i"),
    # French writes a final ق or ك as -c (Chafic, Rafic, Toufic, Chidiac); Turkish writes ç there (Kılıç),
    # which keeps its reading of c as ج.
    (re.compile(r"(?<=i)c$|(?<=ia)c$", re.IGNORECASE), "k"),
]

# Latin spellings of one sound, folded to one letter, in this order (after anyascii and lower-casing).
DIGRAPHS = [
    ("kh", "h"),  # خ: English kh, Turkish h (Khalid, Halit)
    ("gh", "k"),  # غ, and ق as Persian says it: English gh, Turkish g/ğ, Persian gh (Sadeghi for Sadiqi)
    ("sh", "s"),  # ش: English sh, Turkish ş (anyascii s)
    ("ch", "s"),  # ش in French transcriptions (Chadi, Hicham, Aicha, Bouchra)
    ("dj", "j"),  # ج in French transcriptions (Djamel, Djamila)
    ("zh", "j"),  # Persian ژ (Zhila, Jila)
    ("ph", "f"),  # Greek ph (Philip, Joseph)
    ("th", "s"),  # ث: English th, Turkish s (Othman, Osman)
    ("dh", "d"),  # ذ, ظ: English dh, Turkish z or d (Dhiab, Ziyab)
]

# Consonants that languages write differently for one Arabic letter.
CONSONANTS = {
    "t": "d",  # Turkish writes a final d as t (Ahmet, Murat, Mehmet); ط/ت against د in other spellings
    "z": "d",  # ض, ظ, ذ are z in Turkish and Persian (Ramazan, Reza for Rida)
    "q": "k",  # ق: q, k, or gh in Persian
    "g": "k",  # غ and ق in Turkish (Garip, Kasım) and گ in Persian
    "c": "j",  # Turkish c is ج (Cemal, Cafer, Hatice)
    "p": "b",  # Turkish writes a final b as p (Eyüp, Yakup, Zeynep)
    "v": "w",  # Turkish and Persian v for و (Derviş, Merve, Mousavi)
    "x": "h",  # Kurdish (Kurmanji) x is خ (Xalid, Xelîl); x is rare in other names
}
_CONSONANT_TABLE = str.maketrans(CONSONANTS)

# The ending class keeps Ali from Alia and Samir from Samira. First match wins, on the folded Latin text.
ENDINGS = [
    # A final h is ة written -ah/-eh (Fatimah, Fatemeh), Persian feminine ه, or ح, which transliterations
    # write -ah, -eh or -ih (Salah, Saleh, Salih, Fatih, Fateh, صالح): one class, and the h is dropped.
    (re.compile(r"h+$"), "a"),
    # A final e is feminine in Turkish and Persian (Ayşe, Emine, Fateme), a mute letter in French
    # transcriptions of men's names (Amine, Yassine, Chahine): its own class, matching both.
    (re.compile(r"e$"), "e"),
    (re.compile(r"[a']$"), "a"),  # -a, alef, ta marbuta (mapped to a), hamza (Asmaa', أسماء)
    (re.compile(r"[iy]$"), "i"),  # ي: Ali, Shadi, Fady
]
# Letters at the end of a name as typed, before transliteration, whose class the Latin text would not tell.
FINAL_LETTERS = [
    # Persian ی and alef maqsura ى end names read -a (Mostafa مصطفی, Huda هدى) and names read -i (Mahdi
    # مهدی; على typed for علي): class "y", which matches both.
    (re.compile(r"[یى][\u064b-\u0652\u0640]*$"), "y"),
]
# Which ending classes a key may be spelt with elsewhere; the duplicate check looks them all up.
ENDINGS_MAY_BE = {
    "": {"", "e"},
    "a": {"a", "e", "y"},
    "e": {"e", "a", ""},
    "i": {"i", "y"},
    "y": {"y", "a", "i"},
}

# The article inside a compound name, on the consonant skeleton (sun letters fold to d, n, r, s).
ARTICLES = [
    # Abd al-Rahman, Abdurrahman, Abdussalam: the article of Abd assimilates to a sun letter and many
    # spellings leave it out; before a moon letter it stays (Abdulkadir, Abd al-Qadir).
    (re.compile(r"^bdl(?=[dnrs])"), "bd"),
    # … al-Din: Nasreddin, Nurettin, Noureddine, Shamsuddin, Selahattin write it assimilated.
    (re.compile(r"l(?=dn$)"), ""),
]
# A family name may carry the article or not (Al-Khatib, Alkhatib, Elhatip, الخطيب, Khatib): in the key it is
# always "al" (Latin Al/El and Arabic ال alike), and the family comparison tries the key without it.
FAMILY_ARTICLE = "al"

_VOWELS = set("aeiouyw")
_ONSET = set("aeiouy'`")  # a name that starts with a vowel, hamza or ayn
_NON_LETTERS = re.compile(r"[^a-z'`]+")


# ---------------------------------------------------------------- keys


def _latin(name: str) -> str:
    """A name in Latin script, in lower-case ASCII, its words apart."""
    words = []
    for word in name.split():
        for pattern, replacement in LATIN_LETTERS:
            word = pattern.sub(replacement, word)
        words.append(anyascii(word).lower())
    return " ".join(words)


def _digraphs_folded(text: str) -> str:
    for digraph, single in DIGRAPHS:
        text = text.replace(digraph, single)
    return text


def _folded(name: str) -> str:
    """The name in lower-case Latin letters, one letter per sound that the tables tell apart."""
    name = name or ""
    if _ARABIC_SCRIPT.search(name):
        return _NON_LETTERS.sub("", anyascii("".join(SCRIPT_LETTERS.get(c, c) for c in name)).lower())
    return _digraphs_folded(_NON_LETTERS.sub("", _latin(name)))


def _ending(name: str, text: str) -> tuple[str, str]:
    """The ending class of a name and its text without a final h (which belongs to the ending)."""
    for pattern, ending in FINAL_LETTERS:
        if pattern.search((name or "").strip()):
            return ending, text
    for pattern, ending in ENDINGS:
        if pattern.search(text):
            return ending, pattern.sub("", text) if ending == "a" and text.endswith("h") else text
    return "", text


def _skeleton(text: str) -> str:
    consonants = "".join(c for c in text.translate(_CONSONANT_TABLE) if c not in _VOWELS and c not in "'`")
    skeleton = re.sub(r"(.)\1+", r"\1", consonants)
    for pattern, replacement in ARTICLES:
        skeleton = pattern.sub(replacement, skeleton)
    return re.sub(r"(.)\1+", r"\1", skeleton)


def name_key(name: str, *, with_ending: bool = True) -> str:
    """The matching key of one name (given, father's or family name).

    ``with_ending=False`` leaves out the ending class, for the first letters
    of a name typed in the search box ("Huse" for Hüseyin).
    """
    text = _folded(name)
    if not text:
        return ""
    onset = "a" if text[0] in _ONSET else ""
    ending, text = _ending(name, text)
    return f"{onset}{_skeleton(text)}{ending if with_ending else ''}"


def full_name_key(*names: str) -> str:
    """Keys of several words, e.g. a compound given name such as عبد الرحمن."""
    return name_key(" ".join(n for n in names if n))


def _split_ending(key: str) -> tuple[str, str]:
    if len(key) > 1 and key[-1] in "aeiy":
        return key[:-1], key[-1]
    return key, ""


def key_variants(key: str) -> set[str]:
    """The keys a name with this key may be stored under: the same skeleton with every ending it may be spelt with."""
    if not key:
        return set()
    stem, ending = _split_ending(key)
    return {stem + e for e in ENDINGS_MAY_BE[ending]}


def without_article(key: str) -> str:
    """A family-name key without a leading article, or the key itself (Alkhatib → Khatib, not Ali → i)."""
    rest = key[len(FAMILY_ARTICLE) :] if key.startswith(FAMILY_ARTICLE) else ""
    return rest if len(_split_ending(rest)[0]) >= 2 else key


def family_key_forms(key: str) -> set[str]:
    """A family-name key with and without its article (Al-Ahmad: alhmd, hmd and ahmd), with every ending."""
    if not key:
        return set()
    bare = without_article(key)
    forms = {key} if bare == key else {key, bare, "a" + bare}
    return set().union(*(key_variants(f) for f in forms))


def latin_form(name: str) -> str:
    """A plain lower-case Latin form for display and fuzzy ranking (keeps the vowels)."""
    return " ".join(anyascii(name or "").lower().split())


# ---------------------------------------------------------------- how close two spellings are
#
# The key keeps consonants only. ``distance`` compares two spellings of a name with the vowels too: a weighted
# edit distance over tokens. A token is a tuple whose first item says what it is:
#   ("C", letter)  a consonant, folded as in the key;
#   ("V", class, long, cost, cost against abjad)  a vowel: the class of sound it can write (A, E, I, U), whether
#       it is written long, and what leaving it out costs against a spelling with short vowels and one without;
#   ("Y",), ("W",)  the semivowels ي/y and و/w, which are also the long vowels i and u of Arabic script;
#   ("G",)  ayn or hamza, which Latin writes as a vowel, an apostrophe or nothing;
#   ("H",)  a final h that may be ح, ه or the mark of the feminine ending.
# Arabic script without vowel marks (abjad) writes long vowels only: against it a Latin short vowel costs
# nothing.

# The article inside compound names, taken out before spellings are compared (the key drops it too, see
# ARTICLES): Abd al-Rahman, Abdulrahman, Abdurrahman and عبد الرحمن all become Abd-Rahman.
LATIN_COMPOUNDS = [
    # assimilated before Din: Nasreddin, Nurettin, Shamsuddin
    (re.compile(r"[aeiou](?=(?:dd|tt)[iy]ne?$)"), ""),
    # a separate article before a sun letter, which glued spellings assimilate: Nasr al-Din, Abd al-Salam
    (re.compile(r"(?<=[a-z])[\s-]+[aeu]l[\s-]+(?=[dnrstz]|sh|th|dh)"), ""),
    # before a moon letter glued spellings keep the l, not always the vowel: Zain al-Abidin, Zainulabidin
    (re.compile(r"(?<=[a-z])[\s-]+[aeu]l[\s-]+"), "l"),
    # assimilated and separate: Nour Eddine, Abd ar-Rahman
    (re.compile(r"(?<=[a-z])[\s-]+[aeu]([dnrstz])[\s-]*(?=\1)"), ""),
    # glued to Abd: Abdulrahman, Abdelsalam, Abdul Salam
    (re.compile(r"(?<=bd)[aeiu]l[\s-]*(?=[dnrstz])"), ""),
    # assimilated after Abd: Abdurrahman, Abdussalam
    (re.compile(r"(?<=bd)[aeiu](?=([dnrstz])\1)"), ""),
    # Abdullah, Abdallah, Abdelkrim, Abdulkerim: after Abd the vowel is the article's
    (re.compile(r"(?<=bd)[aeiu](?=l)"), ""),
]
_SUN_LETTERS = "تثدذرزسشصضطظلن"
ARABIC_COMPOUNDS = [
    # the article before a sun letter, which Latin spellings assimilate: عبد الرحمن, نصر الدين, عبدالرحمن, نورالدين
    (re.compile(rf"(?<=\S)\s+ال(?=[{_SUN_LETTERS}])|(?<=^عبد)ال(?=[{_SUN_LETTERS}])|(?<=\S)ال(?=دين$)"), " "),
    # before a moon letter they keep its l: عبد القادر (Abdulkadir), زين العابدين
    (re.compile(r"(?<=\S)\s+ال|(?<=^عبد)ال"), " ل"),
]
# Names that Turkish made its own beyond any spelling rule, compared as the name they render (their keys
# agree already).
NAME_FORMS = {
    "mehmet": "muhammed",  # Mehmet is Muhammad, but its vowels are Mahmoud's
    "mehmed": "muhammed",
}
# Latin vowel letters and pairs, and the vowel class each writes.
LATIN_VOWELS = {
    "ou": ("U", True),  # long u in English and French spelling (Mahmoud, Youssef), Dari oo (Noori)
    "oo": ("U", True),
    "uu": ("U", True),
    "ee": ("I", True),  # long i (Kareem, Saeed)
    "ii": ("I", True),
    "a": ("A", False),  # fatha or alef; aa is a vowel around ayn more often than a long a (Saad, Jomaa)
    "e": ("E", False),  # Turkish and French e writes fatha, kasra, even damma (Mehmet, Ahmet, Youssef)
    "i": ("I", False),  # ı and i; an i beside another vowel is the glide y (Rania, Hussein, Nadia)
    "o": ("U", False),  # damma (Omar, Osman)
    "u": ("U", False),
}
_LATIN_VOWEL_UNITS = re.compile("|".join(sorted(LATIN_VOWELS, key=len, reverse=True)))
# Vowel classes that may write the same vowel (cost 0); E and a short U come close (cost 0.5: Youssef, Mehmet).
VOWELS_MAY_BE = {"A": {"A", "E"}, "E": {"A", "E", "I"}, "I": {"I", "E"}, "U": {"U"}}
# What a token may match besides itself: Y an i or e (Sayed, Seyit), W a u, ayn or hamza any vowel.
SEMIVOWELS = {"Y": {"I", "E"}, "W": {"U"}, "G": {"A", "E", "I", "U"}}
_HARAKAT = re.compile(r"[\u064b-\u0652\u0640]")  # short-vowel marks and tatweel


def _vowel(cls: str, *, long: bool, position: str = "inner") -> tuple:
    """A Latin vowel token: its class, and what leaving it out costs against a spelling with short vowels and
    against one without (Arabic script).

    Against Arabic script a short vowel costs nothing. A long one (ou, ee) inside a name costs a little:
    French writes ou for a short u as often as for a long one (Mourad, Bouchra, Moustafa: مراد, بشرى,
    مصطفى). In the last syllable it is the long vowel of the patterns that Arabic writes with و or ي
    (Mahmoud, Masoud, Kareem: محمود, مسعود, كريم), and the abjad spelling must have it. The last vowel
    tells names apart (Samir, Samira; Saad, Saadeh), but a final e may be French and mute (Amine for Amin).
    Before a final h it is the vowel of ح or of the ending ة, which Arabic writes apart.
    """
    costs = {
        "inner": (0.75, 0.5) if long else (0.5, 0.0),
        "last syllable": (0.75, 1.0) if long else (0.5, 0.0),
        "before h": (1.0, 0.0),
        "end": (0.5 if cls == "E" else 1.0, 0.5),
    }[position]
    return ("V", cls, long, *costs)


def _merged(tokens: list, *, latin: bool) -> tuple:
    """Tokens with y beside an i as one y (Nadiyah, رضایی); in Latin, the last vowel marked.

    Consonants stay as they are: Arabic script writes a doubled consonant once (with shadda), so two letters
    there are two consonants with a vowel between them that Arabic does not write (ممدوح, Mamdouh).
    """
    out = []
    for token in tokens:
        last = out[-1] if out else None
        if last == token and token[0] in "YW":
            continue
        if last and {last[0], token[0]} == {"Y", "V"} and (last[1:2] == ("I",) or token[1:2] == ("I",)):
            out[-1] = ("Y",)
            continue
        out.append(token)
    vowels = [i for i, t in enumerate(out) if t[0] == "V"]
    if latin and vowels:
        i = vowels[-1]
        rest = {t[0] for t in out[i + 1 :]}
        position = "end" if not rest else "before h" if rest == {"H"} else "last syllable"
        out[i] = _vowel(out[i][1], long=out[i][2], position=position)
    return tuple(out)


def _latin_tokens(name: str) -> tuple:
    text = " ".join(NAME_FORMS.get(word, word) for word in _latin(name).split())
    for pattern, replacement in LATIN_COMPOUNDS:
        text = pattern.sub(replacement, text)
    # A doubled letter is one consonant (Mohammed); two letters that fold alike are two (Öztürk: z, t).
    text = re.sub(
        r"([^aeiou])\1+",
        r"\1",
        _digraphs_folded(_NON_LETTERS.sub("", text)).replace("'", "").replace("`", ""),
    )
    text = text.translate(_CONSONANT_TABLE)
    tokens = []
    for i, match in enumerate(re.finditer(r"[aeiou]+|[^aeiou]", text)):
        part = match.group()
        if part[0] not in "aeiou":
            final_h = (
                part == "h" and match.end() == len(text) and i > 0 and text[match.start() - 1] in "aeiou"
            )
            tokens.append(
                ("H",) if final_h else ("Y",) if part == "y" else ("W",) if part == "w" else ("C", part)
            )
            continue
        units = _LATIN_VOWEL_UNITS.findall(part)
        for unit in units:
            if unit == "i" and len(units) > 1:
                tokens.append(("Y",))
            else:
                cls, long = LATIN_VOWELS[unit]
                tokens.append(_vowel(cls, long=long))
    return _merged(tokens, latin=True)


def _arabic_tokens(name: str) -> tuple:
    name = _HARAKAT.sub("", name).strip()
    for pattern, replacement in ARABIC_COMPOUNDS:
        name = pattern.sub(replacement, name)
    tokens = []
    words = name.split()
    for w, word in enumerate(words):
        for i, char in enumerate(word):
            final = i == len(word) - 1 and w == len(words) - 1
            if char in "أإءعؤئ" or char in "اآٱ" and i == 0:
                # ayn and hamza: Latin writes a vowel, an apostrophe or nothing; ئ and ؤ carry i and u
                tokens.append(("Y",) if char == "ئ" else ("W",) if char == "ؤ" else ("G",))
            elif char in "اآٱ":
                # alef: a long a, which Latin writes as a short one; at the end it makes the name (Rana, رنا)
                tokens.append(("V", "A", True, 1.0 if final else 0.75, 1.0))
            elif char == "ة" or char in "ىی" and final:
                # ta marbuta reads a; alef maqsura and a final Persian ye read a or i (Mostafa, Mahdi)
                tokens.append(("V", "A" if char == "ة" else "E", True, 1.0, 1.0))
            elif char == "ه" and final:
                tokens.append(("H",))
            elif char == "و":
                tokens.append(("W",))
            elif char in "يی":
                tokens.append(("Y",))
            else:
                for letter in _NON_LETTERS.sub("", anyascii(SCRIPT_LETTERS.get(char, char)).lower()):
                    tokens.append(("C", letter.translate(_CONSONANT_TABLE)))
    tokens = list(_merged(tokens, latin=False))
    # the second ye of Persian -ایی, -وی is the final i the Latin spelling writes once (Rezaei, Mousavi)
    if len(tokens) > 1 and tokens[-1][:2] == ("V", "E") and tokens[-2] == ("Y",):
        tokens.pop()
    return tuple(tokens)


@lru_cache(maxsize=20_000)
def spelling(name: str) -> tuple[tuple, bool]:
    """The tokens of a name, and whether it is written without short vowels (Arabic script without marks)."""
    if _ARABIC_SCRIPT.search(name) and not re.search(r"[\u064b-\u0650]", name):
        return _arabic_tokens(name), True
    return _latin_tokens(name), False


@lru_cache(maxsize=4096)
def _substitution(a: tuple, b: tuple) -> float:
    if a[:2] == b[:2]:
        return 0.0
    if a[0] == "V" and b[0] == "V":
        if b[1] in VOWELS_MAY_BE[a[1]]:
            return 0.0
        short_u = (a[1] == "U" and not a[2]) or (b[1] == "U" and not b[2])
        return 0.5 if {a[1], b[1]} == {"E", "U"} and short_u else 1.0
    for x, y in ((a, b), (b, a)):
        if x[0] in SEMIVOWELS and y[0] == "V" and y[1] in SEMIVOWELS[x[0]]:
            return 0.0
        if x[0] == "G" and y[0] in "YW":
            return 0.5
        if x[0] == "H" and (y == ("C", "h") or y[:2] in (("V", "A"), ("V", "E"))):
            return 0.0  # a final h is ح or ه, or the feminine ending: Persian فاطمه for فاطمة
    return 1.0


def _indel(token: tuple, *, against_abjad: bool) -> float:
    kind = token[0]
    if kind in "HG":
        return 0.0  # a final h or an ayn written or not: Fatimah, Fatima; Saad, سعد
    if kind == "V":
        return token[4] if against_abjad else token[3]
    return 1.0


def _last_row(a: str, b: str, limit: float = math.inf) -> list[float]:
    """The last row of the edit-distance table of ``a`` (all of it) against every prefix of ``b``; or, as soon
    as a row's every cell is past ``limit``, that row's lowest cell alone (costs are never negative, so the
    distance can only be larger)."""
    (ta, abjad_a), (tb, abjad_b) = spelling(a or ""), spelling(b or "")
    if not ta or not tb:
        return [99.0]
    drop_a = [_indel(x, against_abjad=abjad_b) for x in ta]
    drop_b = [_indel(y, against_abjad=abjad_a) for y in tb]
    previous = [0.0]
    for cost in drop_b:
        previous.append(previous[-1] + cost)
    for x, drop_x in zip(ta, drop_a, strict=True):
        left = previous[0] + drop_x
        current = [left]
        lowest = left
        for j, y in enumerate(tb, start=1):
            # min() of three is the table's hot spot: compared inline it costs a third
            cell = previous[j - 1] + _substitution(x, y)
            other = previous[j] + drop_x
            if other < cell:
                cell = other
            other = left + drop_b[j - 1]
            if other < cell:
                cell = other
            current.append(cell)
            left = cell
            if cell < lowest:
                lowest = cell
        if lowest > limit:
            return [lowest]
        previous = current
    return previous


@lru_cache(maxsize=50_000)
def distances(typed: str, name: str) -> tuple[float, float]:
    """``distance`` and ``prefix_distance`` at once (one table gives both)."""
    row = _last_row(typed, name)
    return row[-1], min(row)


def distance(a: str, b: str) -> float:
    """How far two spellings of one name are: 0 for the same name however spelt, about 1 per letter or vowel
    that tells them apart (Mohammed–Muhammad 0, Omar–Ammar 1, Mohammed–Mahmoud 2.5). 99 when either is empty."""
    return distances(a, b)[0]


def distance_within(a: str, b: str, limit: float) -> float:
    """``distance`` where it is at most ``limit``; otherwise some value above ``limit``.

    The duplicate check only asks whether two names are within a limit, and most names it compares are
    other people's: most have consonants the other lacks (``consonants_apart``), and the table of the rest
    stops at the first row past the limit, often two or three letters in."""
    apart = consonants_apart(a, b)
    if apart > limit:
        return float(apart)
    return _last_row(a, b, limit)[-1]


@lru_cache(maxsize=50_000)
def _consonants(name: str) -> Counter:
    """The consonants of a name's spelling other than h, counted (empty when the name has no tokens)."""
    tokens, _abjad = spelling(name or "")
    if not tokens:
        return Counter()
    return Counter(t[1] for t in tokens if t[0] == "C" and t[1] != "h")


def consonants_apart(a: str, b: str) -> int:
    """A lower bound of ``distance(a, b)``, 0 when either name has no tokens.

    A consonant other than h costs 1 to leave out and 1 to replace by anything but itself (``_indel``,
    ``_substitution``: only a final h stands for another letter, the consonant h); each step of the table
    moves at most one letter of each name. So every consonant of one name that the other has fewer of costs
    at least 1."""
    ca, cb = _consonants(a), _consonants(b)
    if not ca and not cb:
        return 0
    if not spelling(a or "")[0] or not spelling(b or "")[0]:
        return 0
    return max(_more(ca, cb), _more(cb, ca))


def _more(ca: Counter, cb: Counter) -> int:
    """How many letters ``ca`` has more of than ``cb`` (``sum((ca - cb).values())``, without a Counter)."""
    return sum(n - cb[letter] for letter, n in ca.items() if n > cb[letter])


def prefix_distance(typed: str, name: str) -> float:
    """``distance`` of what was typed to the closest beginning of a name ("Huse" to Hüseyin: 0)."""
    return distances(typed, name)[1]


# The article of a family name as written: Al-, El-, Al , or glued before three letters or more (Alkhatib,
# not Ali), and Arabic ال.
_LATIN_ARTICLE = re.compile(r"^(?:al|el)(?:[\s'-]+|(?=[^\s'-]{3}))", re.IGNORECASE)
_ARABIC_ARTICLE = re.compile(r"^ال(?=\S{2})")


@lru_cache(maxsize=50_000)
def family_forms(name: str) -> frozenset[str]:
    """A family name as written and without its article (Al-Khatib, Alkhatib, الخطيب: also Khatib, خطيب)."""
    name = (name or "").strip()
    if not name:
        return frozenset()
    bare = _ARABIC_ARTICLE.sub("", _LATIN_ARTICLE.sub("", name))
    return frozenset((name, bare))
