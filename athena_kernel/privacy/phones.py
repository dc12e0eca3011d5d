"""Phone numbers: international (``+``), North-American, and national formats near a phone cue.

International numbers written with ``+`` are found here; North-American ones (``(415)
555-0100``, ``415-555-0100``, ``415.555.0100``, ``001-415-555-0100``) by :mod:`.numbers`. Any
other national format (``0490 75 40 81``, ``(08) 8747 6301``, ``5403926876``) is recognised only
near a cue — a phone field (``"phone": ...``, ``Tel:``), a word such as ``phone``, ``mobile``,
``fax``, ``call``, or ``office``/``fax`` right after the number — because digit groups alone
are too common in program output (tables, arrays, ids) to tag blindly. Weak cues (``message``,
``contact``, ``reach``, ``answer``) need 7+ digits in 2+ groups; a 6-digit number needs a
label (``Phone: 92 34 70``).
"""

from __future__ import annotations

import bisect
import re

from .entities import EntityType, Span
from .field_names import FieldKind
from .keywords import PHONE_CUES
from .scan import TextView

_EXT = rb"(?:[ \t]?(?:x|ext\.?|\#)[ \t]?\d{1,6})?"
# Between digit groups: one space, a dot/dash/slash (spaces around allowed), a "(0)" trunk
# marker, or nothing next to a parenthesis. Every group after the first needs a separator, so a
# run of digits splits one way only and a failed match cannot backtrack combinatorially.
_SEP = rb"(?:[ \t]?[.\-/][ \t]?|[ \t]|[ \t]?\(0\)[ \t]?|(?<=\))|(?=\())"
_GROUP = rb"\(?\d{1,14}\)?"

_INTERNATIONAL = re.compile(
    rb"\+(?<![A-Za-z0-9_+]\+)[ \t]?\d{1,15}(?:"
    + _SEP
    + _GROUP
    + rb"){0,7}"
    + _EXT
    + rb"(?![A-Za-z0-9_])"
)
# "+", "(" or a digit first (consumed before the branch that depends on it), so the engine skips
# to such characters instead of trying every position of a window
_NATIONAL = re.compile(
    rb"[+(0-9](?:(?<=\+)[ \t]?\(?\d{1,15}|(?<=\()\d{1,15}|(?<=\d)\d{0,14})\)?(?:"
    + _SEP
    + _GROUP
    + rb"){0,6}"
    + _EXT
    + rb"(?![A-Za-z0-9_\-]\d|[.,]\d|[A-Za-z0-9_])"
)
_NOT_BEFORE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-./:")

#: cue word -> strength: 2 any phone word, 1 weak (needs 7+ digits in 2+ groups)
_CUES: dict[bytes, int] = {
    **dict.fromkeys(
        (b"phone", b"tel", b"telephone", b"mobile", b"cell", b"cellphone", b"fax", b"call",
         b"called", b"calling", b"dial", b"sms", b"whatsapp", b"landline", b"text me",
         b"texted me"),
        2,
    ),
    **dict.fromkeys((b"message", b"messages", b"contact", b"reach", b"reached", b"answer",
                     b"answering"), 1),
}  # fmt: skip
#: these count before a number only as a label ("Office: ..."); after a number always
_LABEL_ONLY = frozenset((b"office", b"desk", b"home", b"work"))
_CUE_WORDS = frozenset(PHONE_CUES)
assert set(_CUES) | _LABEL_ONLY == _CUE_WORDS
_AFTER = re.compile(rb"[ \t\-,(]{0,3}(?:office|fax|mobile|cell|desk|landline)(?![a-z])", re.I)
_LABEL_AFTER_CUE = re.compile(rb"[ \t]{0,2}[:=][ \t\n\"']{0,4}")
_DATE_LIKE = re.compile(
    r"(?:(?:19|20)\d\d[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:19|20)?\d\d"
    r"|(?:0?[1-9]|1[0-2])[-/. ](?:0?[1-9]|[12]\d|3[01])[-/. ](?:19|20)?\d\d"
    r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)
_IPV4_LIKE = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_DIGIT_GROUPS = re.compile(r"\d+")
_EXTENSION_START = re.compile(r"[xX#]|[eE][xX][tT]")
_WINDOW_AFTER = 48
_WINDOW_BEFORE = 24


def _digit_groups(value: str) -> list[str]:
    cut = _EXTENSION_START.search(value)
    return _DIGIT_GROUPS.findall(value, 0, cut.start() if cut else len(value))


def _plausible_international(value: str) -> bool:
    groups = _digit_groups(value)
    if not 8 <= sum(map(len, groups)) <= 15:
        return False
    # "+1.5" or "+12.34" is a signed decimal, not a number
    return not ("." in value and (len(groups) < 3 or min(len(g) for g in groups) < 2))


def plausible_national(value: str) -> bool:
    """True if ``value`` is written like a national phone number: 6-15 digits, not a date, an
    IPv4 address or a decimal."""
    value = value.strip()
    digits = sum(map(len, _digit_groups(value)))
    if not 6 <= digits <= 15:
        return False
    if _DATE_LIKE.fullmatch(value) or _IPV4_LIKE.fullmatch(value):
        return False
    return not (value.count(".") == 1 and re.search(r"\d\.\d{1,2}$", value))


def plausible_phone_cell(value: str) -> bool:
    """True if ``value`` (a whole table cell or field value) is written like a phone number."""
    value = value.strip()
    return _NATIONAL.fullmatch(value.encode("latin-1", "replace")) is not None and (
        plausible_national(value)
    )


def _cues(view: TextView) -> list[tuple[int, int, int]]:
    """(start, end, strength) of each cue: 3 a label ("Phone:", a phone field), 2 a phone word,
    1 a weak cue, 0 a word that only marks the number before it ("... 416 60 039 office")."""
    lower = view.lower
    out: list[tuple[int, int, int]] = []
    for pos, word in view.find_all(_CUE_WORDS):
        end = pos + len(word)
        if (pos and lower[pos - 1 : pos].isalpha()) or lower[end : end + 1].isalpha():
            continue
        if lower[pos - 1 : pos] == b"_" or lower[end : end + 1] == b"_":
            continue  # call_count, cell_id: identifiers, not words
        label = _LABEL_AFTER_CUE.match(lower, end)
        if word in _LABEL_ONLY:
            out.append((pos, label.end(), 3) if label else (pos, end, 0))
            continue
        out.append((pos, label.end() if label else end, 3 if label else _CUES[word]))
    for field in view.fields:
        if field.kind is FieldKind.PHONE:
            out.append((field.key_start, field.end, 3))
    out.sort()
    return out


def _cued(cues: list[tuple[int, int, int]], start: int, value: str) -> bool:
    """Is there a cue strong enough for ``value`` within 48 characters before ``start``?"""
    best = 0
    first = bisect.bisect_left(cues, (start - _WINDOW_AFTER - 64, 0, 0))
    for cue_start, cue_end, strength in cues[first:]:
        if cue_start >= start:
            break
        near = cue_end <= start and start - cue_end <= _WINDOW_AFTER
        if near and (strength != 1 or start - cue_end <= 32):
            best = max(best, strength)
    groups = _digit_groups(value)
    digits = sum(map(len, groups))
    if digits < 7:
        return best == 3
    return best >= 2 or (best == 1 and len(groups) >= 2)


def detect_phones(view: TextView) -> list[Span]:
    """International numbers anywhere; national formats near a cue (see the module docstring)."""
    raw, text = view.raw, view.text
    spans: list[Span] = []
    if b"+" in raw:
        for m in _INTERNATIONAL.finditer(raw):
            if _plausible_international(text[m.start() : m.end()]):
                spans.append(Span(m.start(), m.end(), EntityType.PHONE, "phone.international"))
    cues = _cues(view)
    if not cues:
        return spans
    done = -1
    for cue_start, cue_end, _ in cues:
        lo = max(done, cue_start - _WINDOW_BEFORE)
        hi = min(len(raw), cue_end + _WINDOW_AFTER)
        newline = raw.find(b"\n", hi, hi + 64)
        hi = newline if newline >= 0 else min(len(raw), hi + 64)  # never cut a number in two
        if lo >= hi:
            continue
        for m in _NATIONAL.finditer(raw, lo, hi):
            start, end = m.span()
            if start and raw[start - 1] in _NOT_BEFORE:
                continue
            value = text[start:end]
            if not plausible_national(value):
                continue
            if _AFTER.match(raw, end, end + 16) or _cued(cues, start, value):
                spans.append(Span(start, end, EntityType.PHONE, "phone.national"))
        done = hi
    return spans
