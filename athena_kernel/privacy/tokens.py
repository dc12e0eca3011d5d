"""The token format: ``[EMAIL_1]``, ``[SECRET_2]``; ``[EMAIL_REDACTED]`` once the vault is full."""

from __future__ import annotations

import re

from .entities import EntityType

#: Suffix of the token that replaces new values once the vault has reached its cap.
OVERFLOW_SUFFIX = "REDACTED"

_TYPES = "|".join(t.value for t in EntityType)
#: Any token, known to a vault or not; group 1 is the type, group 2 the number or REDACTED.
TOKEN_PATTERN = re.compile(r"\[(" + _TYPES + r")_(\d{1,9}|" + OVERFLOW_SUFFIX + r")\]")


_NAMES = {t: t.value for t in EntityType}  # enum .value is a slow property lookup


def format_token(entity_type: EntityType, number: int) -> str:
    """``format_token(EntityType.EMAIL, 1)`` -> ``"[EMAIL_1]"``."""
    return f"[{_NAMES[entity_type]}_{number}]"


def overflow_token(entity_type: EntityType) -> str:
    """The token for a value that was redacted but not stored: ``"[EMAIL_REDACTED]"``."""
    return f"[{entity_type.value}_{OVERFLOW_SUFFIX}]"


def token_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token in ``text``, in order."""
    if "[" not in text:
        return []
    return [m.span() for m in TOKEN_PATTERN.finditer(text)]


# the longest token: "[" + "CREDIT_CARD" + "_" + nine digits + "]"
_LONGEST = 2 + max(len(t.value) for t in EntityType) + 1 + max(9, len(OVERFLOW_SUFFIX))


def overlaps_token(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` overlap a token? (Only tokens starting less than the longest
    token's length before ``start`` can reach it, so a small window is searched.)"""
    lo = max(0, start - _LONGEST + 1)
    return any(
        m.start() < end and start < m.end()
        for m in TOKEN_PATTERN.finditer(text, lo, min(len(text), end + _LONGEST))
    )
