"""``detect(text)``: every detector over one shared view of the text, then overlap resolution
and token exclusion."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import pairwise

from .credentials import PROVIDER_RULES, detect_credentials
from .emails import detect_emails
from .entities import TYPE_PRIORITY, EntityType, Span
from .ip_addresses import detect_ipv6
from .numbers import detect_numbers
from .phones import detect_phones
from .scan import TextView
from .secret_fields import detect_secret_fields
from .ssn import detect_cued_ssns
from .structured import detect_structured
from .tables import detect_tables
from .tokens import token_ranges

Detector = Callable[[TextView], list[Span]]

#: Every detector, in the order they run (the order does not affect the result).
DETECTORS: tuple[Detector, ...] = (
    detect_emails,
    detect_credentials,
    detect_numbers,
    detect_phones,
    detect_cued_ssns,
    detect_ipv6,
    detect_secret_fields,
    detect_structured,
    detect_tables,
)
_MIN_LENGTH = 6  # nothing the detectors report is shorter ("a@b.co", "::1" aside)

# identical ranges: the more specific type first, ties broken by a fixed order of the types
_ORDER = {
    t: (-TYPE_PRIORITY[t], i) for i, t in enumerate(sorted(EntityType, key=lambda t: t.value))
}

#: Rules that find their value wherever it appears, whatever surrounds it. A value found by any
#: other rule (a name in a JSON key, a password after ``password=``, a number after ``Phone:``)
#: may appear again where nothing gives it away: the vault's second pass looks for those.
CONTEXT_FREE_RULES: frozenset[str] = frozenset(
    {"email", "phone.international", "phone.nanp", "credit_card", "us_ssn", "iban", "ip.v4",
     "ip.v6", "secret.private_key"}
    | {f"secret.{name}" for name in PROVIDER_RULES}
)  # fmt: skip


def detect(text: str) -> list[Span]:
    """Sensitive values in ``text``: sorted by start, non-overlapping.

    Where candidates overlap, a span containing another wins; otherwise the more specific type
    (``SECRET`` > ``CREDIT_CARD``/``IBAN`` > ``US_SSN`` > ``EMAIL`` > ``IP_ADDRESS`` > ``PHONE``
    > ``PERSON``/``ADDRESS``), then the longer span, then the earlier one. Tokens already in the
    text (``[EMAIL_1]``) are never part of a span.
    """
    if not isinstance(text, str):
        raise TypeError(f"detect(text) needs a str, got {type(text).__name__}")
    if len(text) < _MIN_LENGTH:
        return []
    view = TextView(text)
    candidates: list[Span] = []
    for detector in DETECTORS:
        candidates += detector(view)
    if not candidates:
        return []
    spans = resolve_overlaps(candidates)
    tokens = token_ranges(text)
    return exclude_ranges(spans, tokens) if tokens else spans


def resolve_overlaps(candidates: list[Span]) -> list[Span]:
    """Non-overlapping spans sorted by start (see :func:`detect` for who wins)."""
    unique = sorted(set(candidates), key=lambda s: (s.start, -s.end, _ORDER[s.type]))
    # 1. drop spans contained in an earlier-starting or longer span
    kept: list[Span] = []
    reach = -1
    for span in unique:
        if span.end <= reach:
            continue
        kept.append(span)
        reach = span.end
    # kept now has strictly increasing starts and ends; 2. settle partial overlaps greedily
    if all(a.end <= b.start for a, b in pairwise(kept)):
        return kept
    order = sorted(kept, key=lambda s: (-TYPE_PRIORITY[s.type], -(s.end - s.start), s.start))
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping
    for span in order:
        # no kept span contains another, so only the taken ranges around span.start can overlap
        i = bisect.bisect_left(taken, (span.start, span.start))
        if any(span.start < e and s < span.end for s, e in taken[max(0, i - 1) : i + 2]):
            continue
        chosen.append(span)
        bisect.insort(taken, (span.start, span.end))
    chosen.sort(key=lambda s: s.start)
    return chosen


def exclude_ranges(spans: list[Span], ranges: list[tuple[int, int]]) -> list[Span]:
    """Spans with the given ranges (existing tokens) cut out; pieces shorter than 2
    characters are dropped."""
    out: list[Span] = []
    for span in spans:
        pieces = [(span.start, span.end)]
        i = bisect.bisect_left(ranges, (span.start, span.start))
        for rs, re_ in ranges[max(0, i - 1) :]:
            if rs >= span.end:
                break
            if re_ <= span.start:
                continue
            nxt = []
            for a, b in pieces:
                if re_ <= a or rs >= b:
                    nxt.append((a, b))
                    continue
                if a < rs:
                    nxt.append((a, rs))
                if re_ < b:
                    nxt.append((re_, b))
            pieces = nxt
        for a, b in pieces:
            if (a, b) == (span.start, span.end):
                out.append(span)
            elif b - a >= 2:
                out.append(Span(a, b, span.type, span.rule))
    return out
