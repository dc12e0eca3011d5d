"""Reading the value that follows ``key=`` / ``key: `` / ``"key": `` in program output."""

from __future__ import annotations

import re

_KEY_CHAR = re.compile(r"[A-Za-z0-9_.\-]")
# unquoted value: up to whitespace, a delimiter, a bracket or "&next_key=" (a query string)
_BARE_VALUE = re.compile(r"(?:[^\s\"'`,;&(){}\[\]<>|]|&(?![A-Za-z_][\w.\-]{0,40}=)){1,1000}")
_LINE_VALUE = re.compile(r"[^\n\r]{1,300}")


def key_start(text: str, end: int, limit: int = 64) -> int:
    """Start of the key ending at ``end``: walks left over ``[A-Za-z0-9_.-]``, at most
    ``limit`` characters."""
    i = end
    lo = max(0, end - limit)
    while i > lo and _KEY_CHAR.match(text, i - 1):
        i -= 1
    return i


def quoted_value(text: str, pos: int, max_len: int = 1000) -> tuple[int, int] | None:
    """``(start, end)`` of the string inside the quotes opening at ``pos``; ``None`` if the string
    is not closed on the same line within ``max_len`` characters. Backslash escapes are skipped."""
    quote = text[pos]
    i, stop = pos + 1, min(len(text), pos + 1 + max_len)
    while i < stop:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return pos + 1, i
        if ch == "\n":
            return None
        i += 1
    return None


def bare_value(text: str, pos: int) -> tuple[int, int] | None:
    """``(start, end)`` of an unquoted value starting at ``pos`` (to whitespace or a delimiter)."""
    m = _BARE_VALUE.match(text, pos)
    return m.span() if m else None


def line_value(text: str, pos: int) -> tuple[int, int] | None:
    """``(start, end)`` of the rest of the line from ``pos``, trailing spaces and commas removed."""
    m = _LINE_VALUE.match(text, pos)
    if not m:
        return None
    start, end = m.span()
    while end > start and text[end - 1] in " \t,;":
        end -= 1
    return (start, end) if end > start else None


def skip_blanks(text: str, pos: int, limit: int = 4) -> int:
    """Position after at most ``limit`` spaces or tabs from ``pos``."""
    stop = min(len(text), pos + limit)
    while pos < stop and text[pos] in " \t":
        pos += 1
    return pos
