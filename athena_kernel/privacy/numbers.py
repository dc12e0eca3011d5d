"""One pass over the digits of a text for the number-shaped entities found anywhere: card
numbers, dashed US SSNs, North-American phone numbers, IPv4 addresses and IBANs.

A single alternation runs once instead of one pattern per entity: every pattern would otherwise
try every digit of the text, and program output is full of digits. Matches are then validated
by the entity's own module (Luhn and issuer table, SSA rules, octets, mod-97).

On a long text the regex is not scanned over every digit: numpy finds the runs of digits where
a match can start (one of the shapes above needs a run of 12+ digits, or a short run, a
separator, a run of up to 6 digits and another separator; an IBAN needs two letters before its
check digits) and the regex is tried there only, giving the same matches three times faster on
digit-heavy output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from .cards import card_rule
from .entities import EntityType, Span
from .iban import iban_end
from .ip_addresses import is_ipv4
from .scan import TextView
from .ssn import is_ssn

if TYPE_CHECKING:
    import numpy as np

_EXT = rb"(?:[ \t]?(?:x|ext\.?|\#)[ \t]?\d{1,6})?"
_END = rb"(?![A-Za-z0-9_\-]|[.,]\d)"

# The first digit is consumed before any look-behind so the engine can skip from digit to digit.
_NUMBERS = re.compile(
    rb"\d(?:"
    # IBAN: two letters (not glued to a word) then the check digits; may run on into the next word
    rb"(?<=[A-Za-z]{2}\d)(?<![A-Za-z0-9][A-Za-z]{2}\d)"
    rb"(?P<iban>\d(?:[A-Za-z0-9]{11,30}|(?:\ [A-Za-z0-9]{4}){2,7}(?:\ [A-Za-z0-9]{1,4})?))"
    # everything else starts a run of digits, and within four digits of its start has a
    # separator followed by a digit or runs on for twelve digits: most numbers fail here at once
    rb"|(?<![A-Za-z0-9_.]\d)(?=\d{0,3}[ .\-]\d|\d{11})(?:"
    rb"(?P<ssn>\d\d-\d\d-\d{4})"
    + _END
    + rb"|(?P<nanp>(?:01)?[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}"
    + _EXT
    + rb"|\d\d[ .\-]\d{3}[ .\-]\d{4}"
    + _EXT
    + rb")(?![A-Za-z0-9_\-]|[.,\-]\d)"
    + rb"|(?P<card>\d{11,18}"
    rb"|\d{3}(?P<sep_a>[ \-])\d{4}(?P=sep_a)\d{4}(?P=sep_a)\d{1,4}(?:(?P=sep_a)\d{1,3})?"
    rb"|\d{3}(?P<sep_b>[ \-])\d{6}(?P=sep_b)\d{4,5})"
    + _END
    + rb"|(?P<ipv4>\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![0-9]|\.\d)"
    rb"))"
)
# "(415) 555-0100": anchored on the parenthesis
_NANP_PAREN = re.compile(rb"\((?<![A-Za-z0-9_]\()\d{3}\)[ ]?\d{3}[ .\-]\d{4}" + _EXT + _END)
_NOT_BEFORE_NUMBER = frozenset(b"+-/")
_DIGITS = frozenset(b"0123456789")
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SHORT = 4096  # below this size scanning with the regex alone is cheaper


@cache
def _byte_classes() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables (letter, alphanumeric, word-or-dot, separator), built on first use."""
    import numpy as np  # imported on the first long text: short outputs never pay for it

    def table(chars: bytes) -> np.ndarray:
        out = np.zeros(256, dtype=bool)
        out[list(chars)] = True
        return out

    digits = b"0123456789"
    return (
        table(_LETTERS),
        table(_LETTERS + digits),
        table(_LETTERS + digits + b"_."),
        table(b" .-"),
    )


def match_starts(raw: bytes) -> np.ndarray:
    """Sorted positions in ``raw`` where :data:`_NUMBERS` can match: every start of a match is
    among them (most digit runs are not)."""
    import numpy as np

    is_letter, is_alnum, is_word_or_dot, is_separator = _byte_classes()
    size = len(raw)
    codes = np.frombuffer(raw, dtype=np.uint8)
    padded = np.zeros(size + 2, dtype=bool)
    padded[1:-1] = (codes - 48) < 10  # "0".."9" (other bytes wrap around above 9)
    digit = padded[1:-1]
    starts = np.flatnonzero(digit & ~padded[:-2])
    ends = np.flatnonzero(digit & ~padded[2:]) + 1  # run k is raw[starts[k]:ends[k]]
    if not len(starts):
        return starts
    length = ends - starts
    # a separator right after run k, with run k + 1 starting just after it
    next_start = np.append(starts[1:], -1)
    sep_after = (ends < size) & is_separator[codes[np.minimum(ends, size - 1)]]
    sep_after &= next_start == ends + 1
    next_length = np.append(length[1:], 0)
    next_sep_after = np.append(sep_after[1:], False)
    before = codes[np.maximum(starts - 1, 0)]
    # not after a letter, digit, "_" or "." (the look-behind), then the look-ahead's shapes
    plain = ((starts == 0) | ~is_word_or_dot[before]) & (
        (length >= 12) | ((length <= 4) & sep_after & (next_length <= 6) & next_sep_after)
    )
    # IBAN: two letters, not part of a longer word, then two or more digits
    iban = (
        (starts >= 2)
        & (length >= 2)
        & is_letter[before]
        & is_letter[codes[np.maximum(starts - 2, 0)]]
        & ((starts == 2) | ~is_alnum[codes[np.maximum(starts - 3, 0)]])
    )
    return starts[plain | iban]


def number_matches(raw: bytes) -> Iterator[re.Match[bytes]]:
    """The matches of :data:`_NUMBERS` in ``raw``, as ``finditer`` gives them (tried only at
    :func:`match_starts` on a long text)."""
    if len(raw) < _SHORT:
        yield from _NUMBERS.finditer(raw)
        return
    match = _NUMBERS.match
    done = 0
    for pos in match_starts(raw).tolist():
        if pos < done:
            continue  # inside the previous match: finditer resumes after it
        m = match(raw, pos)
        if m is not None:
            yield m
            done = m.end()


def _inside_sequence(raw: bytes, start: int, end: int, value: str) -> bool:
    """Is a space- or dash-grouped number only a slice of a longer sequence of digit groups
    (``[4405 3059 3128 2053 8841]``, a numpy array)?"""
    if " " not in value and "-" not in value:
        return False
    sep = b" " if " " in value else b"-"
    before = start >= 2 and raw[start - 1 : start] == sep and raw[start - 2] in _DIGITS
    after = end + 1 < len(raw) and raw[end : end + 1] == sep and raw[end + 1] in _DIGITS
    return before or after


def detect_numbers(view: TextView) -> list[Span]:
    """Cards, dashed SSNs, North-American phones, IPv4 addresses and IBANs (see the module
    docstring)."""
    raw, text = view.raw, view.text
    spans: list[Span] = []
    for m in number_matches(raw):
        kind = m.lastgroup
        start, end = m.start(), m.end()
        if kind == "iban":
            start -= 2
            got = iban_end(text, start, text[start:end])
            if got is not None:
                spans.append(Span(start, got, EntityType.IBAN, "iban"))
            continue
        if kind == "ipv4":
            if is_ipv4(text, start, text[start:end]):
                spans.append(Span(start, end, EntityType.IP_ADDRESS, "ip.v4"))
            continue
        if start and raw[start - 1] in _NOT_BEFORE_NUMBER:
            continue  # "-123-45-6789", "+1 ...", "/2024-..." belong to something else
        value = text[start:end]
        if _inside_sequence(raw, start, end, value):
            continue
        if kind == "ssn":
            if is_ssn(value):
                spans.append(Span(start, end, EntityType.US_SSN, "us_ssn"))
        elif kind == "nanp":
            if value[0] == "1" or value.startswith("001") or value[3] in " .-":
                spans.append(Span(start, end, EntityType.PHONE, "phone.nanp"))
        elif kind == "card":
            rule = card_rule(text, start, value)
            if rule is not None:
                spans.append(Span(start, end, EntityType.CREDIT_CARD, rule))
    if b"(" in raw:
        for m in _NANP_PAREN.finditer(raw):
            spans.append(Span(m.start(), m.end(), EntityType.PHONE, "phone.nanp"))
    return spans
