"""The English (Porter2 / Snowball) stemmer, written from the published algorithm description.

Follows the Snowball 3.0 definition of the English stemmer
(https://snowballstem.org/algorithms/english/stemmer.html): regions R1/R2, steps 0-5, the
exceptional forms, and the 3.0 refinements (no undoubling after a lone ``a``/``e``/``o``,
``-ogist``, ``past``/``univers``/``later`` prefixes, ``-ing``/``-eed`` exceptions in their rules).

Input is one lower-case word of ASCII letters (and possibly apostrophes); anything else is
returned unchanged by :func:`stem` callers in :mod:`.analyzer`.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem"]

_VOWELS = frozenset("aeiouy")
_DOUBLES = frozenset(("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"))
_LI_ENDINGS = frozenset("cdeghkmnrt")
_R1_PREFIXES = ("gener", "commun", "arsen", "past", "univers", "later")

#: Whole words stemmed specially (or kept as they are) before the algorithm runs.
_EXCEPTIONS = {
    "skies": "sky",
    "idly": "idl",
    "gently": "gentl",
    "ugly": "ugli",
    "early": "earli",
    "only": "onli",
    "singly": "singl",
    "sky": "sky",
    "news": "news",
    "howe": "howe",
    "atlas": "atlas",
    "cosmos": "cosmos",
    "bias": "bias",
    "andes": "andes",
}

#: Stems before ``-ing`` that are left alone (inning, outing, canning, herring, earring, evening).
_ING_KEEP = frozenset(("inn", "out", "cann", "herr", "earr", "even"))
#: Stems before ``-eed`` that are left alone (proceed, exceed, succeed).
_EED_KEEP = frozenset(("proc", "exc", "succ"))

_STEP1B = ("eedly", "ingly", "edly", "eed", "ing", "ed")
_STEP2 = (
    ("ization", "ize"),
    ("ational", "ate"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("iveness", "ive"),
    ("tional", "tion"),
    ("biliti", "ble"),
    ("lessli", "less"),
    ("entli", "ent"),
    ("ation", "ate"),
    ("alism", "al"),
    ("aliti", "al"),
    ("ousli", "ous"),
    ("iviti", "ive"),
    ("fulli", "ful"),
    ("ogist", "og"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("abli", "able"),
    ("izer", "ize"),
    ("ator", "ate"),
    ("alli", "al"),
    ("bli", "ble"),
    ("ogi", "og"),
    ("li", ""),
)
_STEP3 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("alize", "al"),
    ("icate", "ic"),
    ("iciti", "ic"),
    ("ative", ""),
    ("ical", "ic"),
    ("ness", ""),
    ("ful", ""),
)
_STEP4 = (
    "ement",
    "ance",
    "ence",
    "able",
    "ible",
    "ment",
    "ant",
    "ent",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
    "ion",
    "al",
    "er",
    "ic",
)


def _is_vowel(ch: str) -> bool:
    return ch in _VOWELS  # a marked 'Y' is a consonant


def _region_after(word: str, start: int) -> int:
    """Index just past the first non-vowel that follows a vowel, searching from ``start``."""
    n = len(word)
    i = start
    while i < n and not _is_vowel(word[i]):
        i += 1
    while i < n and _is_vowel(word[i]):
        i += 1
    return i + 1 if i < n else n


def _ends_short_syllable(word: str, end: int) -> bool:
    """Whether ``word[:end]`` ends in a short syllable (the algorithm's ``shortv``)."""
    if end == 4 and word.startswith("past"):
        return True
    if end >= 3:
        a, b, c = word[end - 3], word[end - 2], word[end - 1]
        if not _is_vowel(a) and _is_vowel(b) and not _is_vowel(c) and c not in "wxY":
            return True
    if end == 2:
        return _is_vowel(word[0]) and not _is_vowel(word[1])
    return False


def _step1a(word: str) -> str:
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("ied", "ies")):
        return word[:-2] if len(word) > 4 else word[:-1]
    if word.endswith(("us", "ss")):
        return word
    # -s: delete if the part before the letter preceding the s contains a vowel
    if word.endswith("s") and any(_is_vowel(ch) for ch in word[:-2]):
        return word[:-1]
    return word


def _step1b(word: str, p1: int) -> str:
    for suffix in _STEP1B:
        if not word.endswith(suffix):
            continue
        base = word[: -len(suffix)]
        if suffix in ("eed", "eedly"):
            if base in _EED_KEEP:
                return word
            return base + "ee" if len(base) >= p1 else word
        if suffix == "ing":
            if len(base) == 2 and not _is_vowel(base[0]) and base[1] == "y":
                return base[0] + "ie"  # dying -> die, lying -> lie
            if base in _ING_KEEP:
                return word
        if not any(_is_vowel(ch) for ch in base):
            return word
        if base.endswith(("at", "bl", "iz")):
            return base + "e"
        if base[-2:] in _DOUBLES:
            if len(base) == 3 and base[0] in "aeo":
                return base  # add, egg, off
            return base[:-1]
        if p1 == len(base) and _ends_short_syllable(base, len(base)):
            return base + "e"
        return base
    return word


def _step1c(word: str) -> str:
    if len(word) > 2 and word[-1] in "yY" and not _is_vowel(word[-2]):
        return word[:-1] + "i"
    return word


def _by_length(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[int, dict[str, str]], ...]:
    """Suffix table grouped by length, longest first (for longest-match lookups)."""
    groups: dict[int, dict[str, str]] = {}
    for suffix, repl in pairs:
        groups.setdefault(len(suffix), {})[suffix] = repl
    return tuple(sorted(groups.items(), reverse=True))


_STEP2_BY_LEN = _by_length(_STEP2)
_STEP3_BY_LEN = _by_length(_STEP3)
_STEP4_BY_LEN = _by_length(tuple((suffix, "") for suffix in _STEP4))


def _longest(word: str, table: tuple[tuple[int, dict[str, str]], ...]) -> tuple[str, str] | None:
    """The longest suffix of ``word`` in ``table`` and its replacement."""
    n = len(word)
    for length, group in table:
        if length <= n:
            suffix = word[n - length :]
            repl = group.get(suffix)
            if repl is not None:
                return suffix, repl
    return None


def _step2(word: str, p1: int) -> str:
    found = _longest(word, _STEP2_BY_LEN)
    if found is None:
        return word
    suffix, repl = found
    start = len(word) - len(suffix)
    if start < p1:
        return word
    if suffix == "ogi":
        return word[:start] + repl if start > 0 and word[start - 1] == "l" else word
    if suffix == "li":
        return word[:start] if start > 0 and word[start - 1] in _LI_ENDINGS else word
    return word[:start] + repl


def _step3(word: str, p1: int, p2: int) -> str:
    found = _longest(word, _STEP3_BY_LEN)
    if found is None:
        return word
    suffix, repl = found
    start = len(word) - len(suffix)
    if start < p1 or (suffix == "ative" and start < p2):
        return word
    return word[:start] + repl


def _step4(word: str, p2: int) -> str:
    found = _longest(word, _STEP4_BY_LEN)
    if found is None:
        return word
    suffix = found[0]
    start = len(word) - len(suffix)
    if start < p2:
        return word
    if suffix == "ion":
        return word[:start] if start > 0 and word[start - 1] in "st" else word
    return word[:start]


def _step5(word: str, p1: int, p2: int) -> str:
    start = len(word) - 1
    if word.endswith("e"):
        if start >= p2 or (start >= p1 and not _ends_short_syllable(word, start)):
            return word[:start]
    elif word.endswith("l") and start >= p2 and start > 0 and word[start - 1] == "l":
        return word[:start]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter2 (Snowball English) stem of a lower-case ASCII word: ``stem("running") == "run"``."""
    special = _EXCEPTIONS.get(word)
    if special is not None:
        return special
    if len(word) < 3:
        return word
    if word[0] == "'":
        word = word[1:]
    # mark consonant-y: initial y, and y after a vowel
    if "y" in word:
        chars = list(word)
        if chars[0] == "y":
            chars[0] = "Y"
        for i in range(1, len(chars)):
            if chars[i] == "y" and chars[i - 1] in _VOWELS:
                chars[i] = "Y"
        word = "".join(chars)
    for prefix in _R1_PREFIXES:
        if word.startswith(prefix):
            p1 = len(prefix)
            break
    else:
        p1 = _region_after(word, 0)
    p2 = _region_after(word, p1)

    # step 0: possessive apostrophes
    for suffix in ("'s'", "'s", "'"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    word = _step1a(word)
    word = _step1b(word, p1)
    word = _step1c(word)
    word = _step2(word, p1)
    word = _step3(word, p1, p2)
    word = _step4(word, p2)
    word = _step5(word, p1, p2)
    return word.replace("Y", "y")
