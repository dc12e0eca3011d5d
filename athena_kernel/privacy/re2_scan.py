"""RE2 for the detector's literal-heavy scans: compiled for Latin-1 bytes (one byte per
character, as ``TextView.raw``), and an iterator over match spans that skips the Python
wrapper's per-match objects.

The wrapper's ``finditer`` builds a generator step and a ``Match`` object per hit, about 2 µs,
which on a megabyte with thousands of cue words costs more than RE2's scan itself;
:func:`match_spans` calls the binding's ``Match`` directly. It relies on the binding's
``_regexp`` attribute, so the dependency is pinned to ``google-re2`` 1.1 and a unit test
compares it with ``finditer``.
"""

from __future__ import annotations

from collections.abc import Iterator

import re2
from re2 import _re2

_UNANCHORED = _re2.RE2.Anchor.UNANCHORED


def latin1_re2(pattern: bytes) -> re2._Regexp:
    """``pattern`` compiled by RE2 for Latin-1 bytes (RE2 would otherwise read the bytes as
    UTF-8)."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    return re2.compile(pattern, options)


def match_spans(regex: re2._Regexp, data: bytes) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each match of ``regex`` in ``data``, as ``regex.finditer(data)``
    gives them (leftmost-first, non-overlapping) for a pattern that cannot match the empty
    string."""
    match = regex._regexp.Match
    pos, size = 0, len(data)
    while pos <= size:
        start, end = match(_UNANCHORED, data, pos, size)[0]
        if start < 0:
            return
        yield start, end
        pos = end if end > start else end + 1
