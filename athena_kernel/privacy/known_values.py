"""The vault's second pass: find the values it learnt from context wherever they appear again.

Each known value is indexed under its longest word. For a text, the set of its words (split on
ASCII punctuation and whitespace at C speed) is intersected with the index; a value stays a
candidate only if all its words occur in the text and, for a value of several words, its first
two words occur next to each other. The few candidates left are compiled into one trie-shaped
pattern (cached) and searched for. The cost is linear in the text and does not grow with the
number of values the vault holds.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress

import re2

_PUNCTUATION = "".join(ch for ch in string.punctuation if ch != "_").encode()
_TO_SPACE = bytes.maketrans(_PUNCTUATION, b" " * len(_PUNCTUATION))
_WORD_CHAR = re.compile(r"\w")
_DIRECT_CHECKS = 24  # up to this many candidates are checked with a substring search
FEW_ANCHORS = 32  # up to this many anchor words are looked for with a substring search each
_DIRECT_CHECK_BUDGET = 4_000_000  # characters that substring checks of candidates may scan


def word_list(text: str) -> list[bytes]:
    """The words of ``text`` in order, as UTF-8 byte strings (split on ASCII punctuation and
    whitespace)."""
    return text.encode("utf-8", "surrogatepass").translate(_TO_SPACE).split()


def _trie(values: Iterable[str]) -> str:
    """Regex source matching any of ``values`` (longest first), factored as a trie.

    A value that starts (ends) with a word character only matches where the text does not
    continue it on that side. The first character of every alternative is a literal, so the
    engine can skip to the positions where some value could start.
    """
    root: dict[str, dict] = {}
    for value in values:
        node = root
        for ch in value:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict], first: bool) -> str:
        alternatives = []
        for ch in sorted(k for k in node if k):
            head = re.escape(ch)
            word = _WORD_CHAR.match(ch) is not None
            if first and word:
                head += r"(?<!\w.)"  # = (?<!\w) before the character, after the literal
            child = node[ch]
            rest = build(child, False)
            if "" in child:  # a value ends here
                end = r"(?!\w)" if word else ""
                if not rest:
                    rest = end
                elif end:
                    rest = f"(?:{rest}|{end})"
                else:
                    rest = f"(?:{rest})?"
            alternatives.append(head + rest)
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")" if alternatives else ""

    return build(root, True)


@lru_cache(maxsize=128)
def _pattern(values: frozenset[str]) -> re.Pattern[str]:
    """One compiled pattern for a set of values (see :func:`_trie`)."""
    return re.compile(_trie(values))


class TextWords:
    """A text and, computed on first use, its UTF-8 bytes, words and adjacent word pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._encoded: bytes | None = None
        self._listed: list[bytes] | None = None
        self._words: set[bytes] | None = None

    @property
    def encoded(self) -> bytes:
        """The text as UTF-8."""
        if self._encoded is None:
            self._encoded = self.text.encode("utf-8", "surrogatepass")
        return self._encoded

    @property
    def listed(self) -> list[bytes]:
        """The words in order."""
        if self._listed is None:
            self._listed = self.encoded.translate(_TO_SPACE).split()
        return self._listed

    @property
    def words(self) -> set[bytes]:
        """The set of words."""
        if self._words is None:
            self._words = set(self.listed)
        return self._words

    def pairs_starting_with(self, firsts: set[bytes]) -> set[tuple[bytes, bytes]]:
        """The adjacent word pairs of the text whose first word is one of ``firsts``."""
        listed = self.listed
        # the positions of the first words, found at C speed, then a pair at each
        at = compress(range(len(listed) - 1), map(firsts.__contains__, listed))
        return {(listed[i], listed[i + 1]) for i in at}


class KnownValues:
    """Surface strings the vault holds, each with its token; not thread-safe on its own (the
    vault guards it with its lock)."""

    def __init__(self) -> None:
        self._token: dict[str, str] = {}
        self._words: dict[str, frozenset[bytes]] = {}
        self._pair: dict[str, tuple[bytes, bytes]] = {}  # first two words of multi-word values
        self._by_anchor: dict[bytes, set[str]] = {}

    def __len__(self) -> int:
        return len(self._token)

    def __contains__(self, value: object) -> bool:
        return value in self._token

    @property
    def anchors(self) -> int:
        """How many distinct anchor words index the values."""
        return len(self._by_anchor)

    def add(self, value: str, token: str) -> bool:
        """Remember ``value`` -> ``token``; False if it has no word to index it by."""
        if value in self._token:
            return True
        words = word_list(value)
        if not words:
            return False
        anchor = max(words, key=len)
        self._token[value] = token
        self._words[value] = frozenset(words)
        if len(words) > 1:
            self._pair[value] = (words[0], words[1])
        self._by_anchor.setdefault(anchor, set()).add(value)
        return True

    def candidates(self, text: TextWords) -> dict[str, str]:
        """Known values that occur in ``text`` (or, for many, may occur), with their tokens."""
        if not self._by_anchor:
            return {}
        if len(self._by_anchor) <= FEW_ANCHORS:  # a substring search per anchor is cheaper
            encoded = text.encoded
            present: Iterable[bytes] = [a for a in self._by_anchor if a in encoded]
        else:
            present = self._by_anchor.keys() & text.words
        values = [v for anchor in present for v in self._by_anchor[anchor]]
        if len(values) > _DIRECT_CHECKS:  # narrow down by words, then by adjacent pairs
            words = text.words
            values = [v for v in values if self._words[v] <= words]
        if len(values) > _DIRECT_CHECKS:
            pairs = text.pairs_starting_with({self._pair[v][0] for v in values if v in self._pair})
            values = [v for v in values if v not in self._pair or self._pair[v] in pairs]
        if len(values) * len(text.text) <= _DIRECT_CHECK_BUDGET:
            values = [v for v in values if v in text.text]
        return {v: self._token[v] for v in values}

    def clear(self) -> None:
        """Forget every value."""
        self._token.clear()
        self._words.clear()
        self._pair.clear()
        self._by_anchor.clear()


_RE2_MAX_VALUES = 2000  # beyond this many values RE2's automaton may outgrow its memory budget


def _is_word_char(ch: str) -> bool:
    return _WORD_CHAR.match(ch) is not None


@lru_cache(maxsize=128)
def _re2_pattern(values: frozenset[str]) -> re2._Regexp:
    """The values as one RE2 alternation, leftmost-longest. An ASCII word character at either
    end gets RE2's ASCII ``\\b``; a value may still touch a non-ASCII letter, which Python's
    ``\\w`` counts as a word character, so every hit is checked again (:func:`find_known`)."""

    def one(value: str) -> str:
        head = r"\b" if value[0].isascii() and _is_word_char(value[0]) else ""
        tail = r"\b" if value[-1].isascii() and _is_word_char(value[-1]) else ""
        return head + re2.escape(value) + tail

    options = re2.Options()
    options.longest_match = True
    return re2.compile("|".join(one(v) for v in sorted(values)), options)


def _bounded(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` not inside a longer word (Python's Unicode ``\\w``)?"""
    if start and _is_word_char(text[start]) and _is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]))


def find_known(text: str, candidates: dict[str, str]) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` of each occurrence of a candidate value in ``text`` (left to
    right, longest first, never inside a longer word).

    RE2 finds them (one automaton pass; Python's engine would try the alternation at every
    letter some value starts with). Its ASCII word boundaries let through a value touching a
    non-ASCII letter; at the first such hit the rest of the text is searched with Python's
    engine, which gives the exact answer.
    """
    if not candidates:
        return []
    values = frozenset(candidates)
    if len(values) > _RE2_MAX_VALUES:
        return _find_with_python(text, candidates, 0)
    out: list[tuple[int, int, str]] = []
    try:
        for m in _re2_pattern(values).finditer(text):
            start, end = m.span()
            if not _bounded(text, start, end):
                return out + _find_with_python(text, candidates, start)
            out.append((start, end, candidates[text[start:end]]))
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, which RE2 needs
        return _find_with_python(text, candidates, 0)
    return out


def _find_with_python(
    text: str, candidates: dict[str, str], pos: int
) -> list[tuple[int, int, str]]:
    pattern = _pattern(frozenset(candidates))
    return [(m.start(), m.end(), candidates[m.group()]) for m in pattern.finditer(text, pos)]
