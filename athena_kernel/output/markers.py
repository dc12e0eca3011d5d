"""The one-line notices the filter puts into output: what was omitted and how to get it back."""

from __future__ import annotations

#: Every marker starts with this prefix, so an agent (or a test) can recognise it.
MARKER_PREFIX = "[… "


def _retrieval_hint(execution_count: int | None, start: int, end: int) -> str:
    if execution_count is None:
        return "not kept: this execution has no execution count"
    return (
        f"see them with %output {execution_count} --range {start}:{end}"
        f" (or _output({execution_count}) for all of it)"
    )


def omission_marker(omitted_chars: int, execution_count: int | None, start: int, end: int) -> str:
    """Marker line for ``omitted_chars`` characters of output, kept as ``[start:end]`` of the
    execution's archived output (``%output N --range start:end``)."""
    lines = "char" if omitted_chars == 1 else "chars"
    return (
        f"{MARKER_PREFIX}{omitted_chars:,} {lines} of output omitted — "
        f"{_retrieval_hint(execution_count, start, end)} …]"
    )


def dropped_types_note(mimes: list[str], chars: int) -> str:
    """Note appended to a bundle's text/plain when its rich representations were left out."""
    return (
        f"{MARKER_PREFIX}{', '.join(mimes)} not shown ({chars:,} chars): over the output "
        'budget; raise it with {"athena": {"max_output_chars": N}} …]'
    )


def late_output_note(execution_count: int | None) -> str:
    """Notice shown once when output that arrives after its cell finished is over budget."""
    where = (
        f"%output {execution_count} has it"
        if execution_count is not None
        else "it was not kept (no execution count)"
    )
    return f"{MARKER_PREFIX}further output after the cell finished is over budget: {where} …]"


def withheld_note(reason: str) -> str:
    """Replacement for text that could not be made safe to show (e.g. the PII filter failed)."""
    return f"{MARKER_PREFIX}output withheld: {reason} …]"
