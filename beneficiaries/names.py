"""Name keys that match one name across spellings and scripts.

A receptionist may type Mohammed, Muhammad, Mehmet or محمد for the same man.
``name_key`` reduces a name to a consonant skeleton that is the same for all
of them and is stored, indexed, beside the name: the duplicate check and the
search look people up by key (the "blocking key"), then rank the few
candidates with rapidfuzz.

anyascii does the transliteration (Arabic, Persian, Turkish, Kurdish…); the
rules below only fold what transliteration cannot know: which consonants the
languages write differently (t/d at the end of Turkish names, q/k, kh/h…),
that vowels are not written in Arabic, and the article in Abd al-….
"""

import re

from anyascii import anyascii

_VOWELS = set("aeiouyw")
_ONSET = set("aeiouy'`")  # a name that starts with a vowel, hamza or ayn
_DIGRAPHS = [("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "j"), ("ph", "f"), ("th", "s"), ("dh", "d")]
_CONSONANTS = str.maketrans({"t": "d", "z": "d", "q": "k", "c": "j", "p": "b", "v": "w", "x": "ks"})
_NON_LETTERS = re.compile(r"[^a-z'`]+")
_ABD_ARTICLE = re.compile(r"^bdl(?=[dnrs])")  # Abd al-Rahman, Abdurrahman, Abdulsalam


def _ascii(name: str) -> str:
    return _NON_LETTERS.sub("", anyascii(name or "").lower())


def name_key(name: str, *, with_ending: bool = True) -> str:
    """The matching key of one name (given, father's or family name).

    ``with_ending=False`` leaves out the ending class, for the first letters
    of a name typed in the search box ("Huse" for Hüseyin).
    """
    text = _ascii(name)
    if not text:
        return ""
    onset = "a" if text[0] in _ONSET else ""
    # The ending tells Ali from Alia and Fatma from Fatim: a final -a, -e,
    # ta marbuta (-h after a consonant) or hamza is one class, -i/-y another.
    if text[-1] in "ae'" or (text[-1] == "h" and len(text) > 1 and text[-2] not in _VOWELS):
        ending = "a"
    elif text[-1] in "iy":
        ending = "i"
    else:
        ending = ""
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    text = text.translate(_CONSONANTS)
    skeleton = [c for c in text if c not in _VOWELS and c not in "'`"]
    if ending == "a" and skeleton and skeleton[-1] == "h":
        skeleton.pop()
    collapsed = re.sub(r"(.)\1+", r"\1", "".join(skeleton))
    collapsed = _ABD_ARTICLE.sub("bd", collapsed)
    return f"{onset}{collapsed}{ending if with_ending else ''}"


def full_name_key(*names: str) -> str:
    """Keys of several words, e.g. a compound given name such as عبد الرحمن."""
    return name_key("".join(_ascii(n) for n in names if n))


def latin_form(name: str) -> str:
    """A plain lower-case Latin form for fuzzy ranking (keeps the vowels)."""
    return " ".join(anyascii(name or "").lower().split())
