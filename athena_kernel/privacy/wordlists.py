"""Word lists written as one block of text (easier to read and edit than a list of strings)."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())
