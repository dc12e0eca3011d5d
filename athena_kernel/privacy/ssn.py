"""US Social Security numbers."""

from __future__ import annotations

import re

from .entities import EntityType, Span
from .keywords import SSN_CUES
from .scan import TextView

_SSN_CUED = re.compile(rb"(\d{3})[ .\-]?(\d{2})[ .\-]?(\d{4})(?![A-Za-z0-9_\-]|[.,]\d)")
_CUE_WORDS = frozenset(SSN_CUES)


def ssn_parts_valid(area: str, group: str, serial: str) -> bool:
    """The SSA's structural rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def is_ssn(value: str) -> bool:
    """True for ``123-45-6789`` that follows the SSA's structural rules."""
    parts = value.split("-")
    return len(parts) == 3 and ssn_parts_valid(*parts)


def detect_cued_ssns(view: TextView) -> list[Span]:
    """``123 45 6789`` and ``123456789`` within 40 characters after ``SSN`` or ``social
    security`` (the dashed form is found anywhere by :mod:`.numbers`)."""
    raw, lower = view.raw, view.lower
    spans: list[Span] = []
    for pos, word in view.find_all(_CUE_WORDS):
        if pos and lower[pos - 1 : pos].isalpha():
            continue
        lo = pos + len(word)
        for m in _SSN_CUED.finditer(raw, lo, min(len(raw), lo + 52)):
            if m.start() and raw[m.start() - 1 : m.start()].isalnum():
                continue
            if ssn_parts_valid(*(g.decode() for g in m.groups())):
                spans.append(Span(m.start(), m.end(), EntityType.US_SSN, "us_ssn.cued"))
    return spans
