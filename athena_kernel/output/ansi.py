"""ANSI escape sequences: strip colour and cursor codes from terminal-formatted text."""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-character escapes (ESC x).
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other 7-bit C1 escapes
)


def strip_ansi(text: str) -> str:
    """Return ``text`` without ANSI escape sequences (colours, cursor moves, OSC links)."""
    if "\x1b" not in text:
        return text
    return _ANSI.sub("", text)
