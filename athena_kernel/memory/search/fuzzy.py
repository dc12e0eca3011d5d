"""Typo tolerance: the words one edit (delete, swap, replace, insert) away from a query word.

Used only for query words whose term the index has never seen, so a correctly spelled query is
never changed; the corrected term then counts at a reduced weight.
"""

from __future__ import annotations

__all__ = ["single_edits"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def single_edits(word: str) -> set[str]:
    """All lower-case ASCII strings at Damerau-Levenshtein distance 1 from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out: set[str] = set()
    for left, right in splits:
        if right:
            out.add(left + right[1:])  # delete
            for ch in _LETTERS:
                if ch != right[0]:
                    out.add(left + ch + right[1:])  # replace
        if len(right) > 1:
            out.add(left + right[1] + right[0] + right[2:])  # swap neighbours
        for ch in _LETTERS:
            out.add(left + ch + right)  # insert
    out.discard(word)
    return out
