"""MIME-bundle transformations used by the output filter: measuring a bundle, replacing binary
values by descriptions, and shrinking an over-budget bundle to its (cut) plain text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .binary import describe_binary
from .cuts import Detector, head_tail_cut
from .markers import dropped_types_note
from .mime import PLAIN, best_text, is_binary_mime, text_length, value_bytes


@dataclass
class PreparedBundle:
    """A bundle after binary handling, with what the budget and the archive need to know."""

    data: dict[str, Any]
    metadata: dict[str, Any]
    chars_in: int  # text characters of the original bundle (binary values excluded)
    bytes_in: int  # bytes of every original value, binary included
    cost: int  # text characters of ``data`` (what the budget is charged)
    archive_text: str  # best text plus binary descriptions, newline-terminated
    binary_summarized: int


def bundle_cost(data: Mapping[str, Any]) -> int:
    """Characters a bundle costs: the text length of every non-binary value."""
    return sum(text_length(v) for m, v in data.items() if not is_binary_mime(m, v))


def prepare_bundle(
    data: Mapping[str, Any], metadata: Mapping[str, Any] | None, *, summarize_binary: bool
) -> PreparedBundle:
    """Measure a bundle and, if ``summarize_binary``, replace its binary values by one-line
    descriptions appended to ``text/plain`` (their metadata entries go too)."""
    data = dict(data)
    metadata = dict(metadata or {})
    bytes_in = sum(value_bytes(v) for v in data.values())
    binaries = [m for m, v in data.items() if is_binary_mime(m, v)]
    chars_in = bundle_cost(data)
    descriptions = [describe_binary(m, data[m], metadata.get(m)) for m in binaries]
    archived = best_text(data) or ""
    if descriptions:
        archived = (archived + "\n" if archived else "") + "\n".join(descriptions)
    if not archived.endswith("\n"):
        archived += "\n"
    summarized = 0
    if summarize_binary and binaries:
        for mime in binaries:
            data.pop(mime)
            metadata.pop(mime, None)
        plain = data.get(PLAIN)
        lines = "\n".join(descriptions)
        data[PLAIN] = f"{plain}\n{lines}" if isinstance(plain, str) and plain else lines
        summarized = len(binaries)
    return PreparedBundle(
        data, metadata, chars_in, bytes_in, bundle_cost(data), archived, summarized
    )


def shrink_bundle(
    data: Mapping[str, Any],
    metadata: Mapping[str, Any],
    room: int,
    marker: Callable[[int, int, int], str],
    *,
    detector: Detector | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit a bundle into ``room`` characters: drop its rich text types (saying which in the
    plain text), then keep a head and tail of ``text/plain`` around ``marker(omitted, s, e)``,
    where ``s:e`` are offsets into the plain text. Binary values kept by request stay."""
    data = dict(data)
    metadata = dict(metadata)
    plain = data.get(PLAIN)
    if not isinstance(plain, str):
        plain = best_text(data) or ""
    dropped = [m for m in data if m != PLAIN and not is_binary_mime(m, data[m])]
    dropped_chars = sum(text_length(data[m]) for m in dropped)
    for mime in dropped:
        data.pop(mime, None)
        metadata.pop(mime, None)
    note = dropped_types_note(dropped, dropped_chars) if dropped else ""
    plain = head_tail_cut(plain, max(room - len(note) - 1, 1), marker, detector=detector)
    if note:
        plain = f"{plain}\n{note}" if plain else note
    data[PLAIN] = plain
    return data, metadata
