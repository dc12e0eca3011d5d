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


def _nul_for_non_latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return "\x00" * (error.end - error.start), error.end


codecs.register_error("athena_privacy_nul", _nul_for_non_latin1)

# a key: after an opener (space, quote, bracket, comma...), word characters, dots and dashes, an
# optional closing quote, then "=", ":", "=>" or ":=" (not "==", "::", "://"). The key is taken
# whole (look-ahead + back-reference = an atomic group), so a word that is not followed by a
# separator fails at once instead of being retried one character shorter at a time.
_KEY = rb"(?=([A-Za-z_][A-Za-z0-9_.\-]{0,40}))\1"
_SEP = rb"([\"']?)[ \t]{0,3}(=>|:=|=(?!=)|:(?![=:/]))"
_KEY_SEP = re.compile(rb"[\s\"'{,(\[&?;|]" + _KEY + _SEP)
_KEY_SEP_AT_START = re.compile(_KEY + _SEP)


@dataclass(frozen=True)
class Field:
    """A key that names something sensitive, and where its separator ends."""

    key_start: int
    key_end: int
    kind: FieldKind
    quote: str  #: closing quote right after the key ("" if none)
    sep: str  #: "=", ":", "=>" or ":="
    end: int  #: just after the separator


_KIND_CACHE: dict[bytes, FieldKind | None] = {}


def _kind(key: bytes) -> FieldKind | None:
    kind = _KIND_CACHE.get(key, False)
    if kind is False:
        kind = classify_field(key.decode("ascii"))
        if len(_KIND_CACHE) < 65536:
            _KIND_CACHE[key] = kind
    return kind  # type: ignore[return-value]


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
        out: list[Field] = []
        first = _KEY_SEP_AT_START.match(raw)
        matches = [first] if first else []
        matches.extend(_KEY_SEP.finditer(raw))
        for m in matches:
            kind = _kind(m.group(1))
            if kind is None:
                continue
            out.append(
                Field(m.start(1), m.end(1), kind, m.group(2).decode(), m.group(3).decode(), m.end())
            )
        return out

    @cached_property
    def keywords(self) -> list[tuple[int, bytes]]:
        """(position, word) of every cue word of :data:`.keywords.VOCABULARY` in ``lower``."""
        return [(m.start(), m.group()) for m in KEYWORD_PATTERN.finditer(self.lower)]

    def find_all(self, words: frozenset[bytes]) -> list[tuple[int, bytes]]:
        """(position, word) of the cue words among ``words`` (a subset of the vocabulary)."""
        return [hit for hit in self.keywords if hit[1] in words]
