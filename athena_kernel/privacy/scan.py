"""One view of a text shared by all detectors, so the expensive passes run once per text.

``TextView.raw`` is the text as Latin-1 bytes, every other character replaced by NUL: one byte
per character, so offsets in ``raw`` are offsets in the text. All detection patterns are ASCII,
and bytes patterns scan faster; ``lower`` is the same bytes lower-cased (a cheap byte-wise
operation, where ``str.lower`` on non-ASCII text is not). ``fields`` is the list of
``key=value`` / ``key: value`` / ``"key": value`` keys that name something sensitive.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cached_property

from .field_names import FieldKind, classify_field
from .keywords import KEYWORD_PATTERN
from .re2_scan import match_spans


def _nul_for_non_latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return "\x00" * (error.end - error.start), error.end


codecs.register_error("athena_privacy_nul", _nul_for_non_latin1)

# A key: after an opener (space, quote, bracket, comma...) or at the start of the text, a letter
# or "_", then up to 40 word characters, dots and dashes (a longer run is no key at all), an
# optional closing quote, up to three blanks, then "=", ":", "=>" or ":=" (not "==", "::", "://").
#
# The pattern runs over the text reversed: it starts at the separator, which is rare, where a
# forward pattern would start at every blank. Read backwards: the separator (its look-arounds
# turned into look-behinds placed after the character), blanks, the optional quote, the key taken
# whole (possessive: a longer run fails at once), its first character a letter or "_", and an
# opener (or the start of the text) before it.
_OPENERS = rb"\s\"'{,(\[&?;|"
_KEY_SEP_REVERSED = re.compile(
    rb"(>=|=:|=(?<!==)|:(?<![=:/]:))[ \t]{0,3}([\"']?)([A-Za-z0-9_.\-]{1,41}+)(?<=[A-Za-z_])"
    rb"(?=[" + _OPENERS + rb"]|\Z)"
)


@dataclass(frozen=True)
class Field:
    """A key that names something sensitive, and where its separator ends."""

    key_start: int
    key_end: int
    kind: FieldKind
    quote: str  #: closing quote right after the key ("" if none)
    sep: str  #: "=", ":", "=>" or ":="
    end: int  #: just after the separator


_KIND_CACHE: dict[bytes, FieldKind | None] = {}  # key *reversed* -> kind


def _kind_of_reversed(key: bytes) -> FieldKind | None:
    kind = classify_field(key[::-1].decode("ascii"))
    if len(_KIND_CACHE) < 65536:
        _KIND_CACHE[key] = kind
    return kind


class TextView:
    """A text plus the byte views and passes detectors share (each computed on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def raw(self) -> bytes:
        """The text as bytes, one per character (non-Latin-1 characters become NUL)."""
        return self.text.encode("latin-1", "athena_privacy_nul")

    @cached_property
    def lower(self) -> bytes:
        """``raw`` with ASCII letters lower-cased."""
        return self.raw.lower()

    @cached_property
    def fields(self) -> list[Field]:
        """Keys of ``key=value``-like pairs whose name is sensitive, in text order."""
        raw = self.raw
        n = len(raw)
        out: list[Field] = []
        cached = _KIND_CACHE.get
        for m in _KEY_SEP_REVERSED.finditer(raw[::-1]):
            key = m.group(3)
            kind = cached(key, False)
            if kind is False:
                kind = _kind_of_reversed(key)
            if kind is None:
                continue
            key_start, key_end = m.span(3)
            sep = m.group(1)[::-1].decode()
            out.append(
                Field(n - key_end, n - key_start, kind, m.group(2).decode(), sep, n - m.start())
            )
        out.reverse()
        return out

    @cached_property
    def keywords(self) -> list[tuple[int, bytes]]:
        """(position, word) of every cue word of :data:`.keywords.VOCABULARY` in ``lower``."""
        lower = self.lower
        return [(start, lower[start:end]) for start, end in match_spans(KEYWORD_PATTERN, lower)]

    def find_all(self, words: frozenset[bytes]) -> list[tuple[int, bytes]]:
        """(position, word) of the cue words among ``words`` (a subset of the vocabulary)."""
        return [hit for hit in self.keywords if hit[1] in words]
