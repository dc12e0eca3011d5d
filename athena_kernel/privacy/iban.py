"""International bank account numbers (IBAN): country length table plus mod-97."""

from __future__ import annotations

from .checksums import IBAN_LENGTHS, iban_valid


def iban_end(text: str, start: int, candidate: str) -> int | None:
    """End of the IBAN at ``start`` if ``candidate`` (which may run on into the next word)
    begins with one: the country's length decides where it ends, that end must not be inside a
    longer run of letters and digits, and the mod-97 check must pass."""
    length = IBAN_LENGTHS.get(candidate[:2].upper())
    if length is None:
        return None
    count = 0
    for i, ch in enumerate(candidate):
        if ch != " ":
            count += 1
            if count == length:
                end = start + i + 1
                break
    else:
        return None
    if end < len(text) and text[end].isalnum():
        return None  # a longer run: a hash or an id, not an IBAN
    return end if iban_valid(text[start:end].replace(" ", "")) else None
