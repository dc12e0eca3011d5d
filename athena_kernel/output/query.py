"""Retrieval of archived output: the arguments of ``%output`` and what they select.

    %output [N] [--range A:B] [--head K] [--tail K] [--grep TEXT] [--max-chars M]

``N`` is an execution count (default: the latest one with output). ``--range`` slices the full
output by character offsets, as given in a truncation marker. ``--grep`` keeps lines containing
TEXT (case-insensitive, literal: no regular expressions, so a pattern cannot stall the kernel),
prefixed with their line numbers; ``--head``/``--tail`` keep the first/last K lines. The result
is printed in the current cell and goes through the output filter again (tokenized, and budgeted
by ``--max-chars`` or the retrieval default).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from .archive import OutputArchive

USAGE = "usage: %output [N] [--range A:B] [--head K] [--tail K] [--grep TEXT] [--max-chars M]"


@dataclass(frozen=True)
class OutputQuery:
    """What to retrieve from the archive (see module docstring)."""

    execution_count: int | None = None
    start: int | None = None
    end: int | None = None
    head_lines: int | None = None
    tail_lines: int | None = None
    grep: str | None = None
    max_chars: int | None = None


def _int(text: str, option: str, *, minimum: int | None = None) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise ValueError(f"{option} expects a whole number, not {text!r}. {USAGE}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{option} must be at least {minimum}, not {value}. {USAGE}")
    return value


def _parse_range(text: str) -> tuple[int | None, int | None]:
    if ":" not in text:
        raise ValueError(
            f"--range expects START:END character offsets (either may be empty, negative counts "
            f"from the end), e.g. --range 2000:6000, not {text!r}. {USAGE}"
        )
    a, b = text.split(":", 1)
    start = _int(a, "--range START") if a.strip() else None
    end = _int(b, "--range END") if b.strip() else None
    return start, end


def parse_output_args(line: str) -> OutputQuery:
    """Parse the argument line of ``%output``; raises ValueError with a usage hint on bad input."""
    try:
        tokens = shlex.split(line)
    except ValueError as exc:
        raise ValueError(f"cannot parse arguments ({exc}). {USAGE}") from None
    fields: dict[str, object] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("--"):
            name, eq, inline = token.partition("=")
            if name not in ("--range", "--head", "--tail", "--grep", "--max-chars"):
                raise ValueError(f"unknown option {name!r}. {USAGE}")
            if eq:
                value = inline
            else:
                if i + 1 >= len(tokens):
                    raise ValueError(f"{name} needs a value. {USAGE}")
                i += 1
                value = tokens[i]
            if name == "--range":
                fields["start"], fields["end"] = _parse_range(value)
            elif name == "--head":
                fields["head_lines"] = _int(value, "--head", minimum=0)
            elif name == "--tail":
                fields["tail_lines"] = _int(value, "--tail", minimum=0)
            elif name == "--grep":
                if not value:
                    raise ValueError(f"--grep needs non-empty text. {USAGE}")
                fields["grep"] = value
            else:
                fields["max_chars"] = _int(value, "--max-chars", minimum=1)
        else:
            if "execution_count" in fields:
                raise ValueError(
                    f"only one execution count may be given, got {token!r} too. {USAGE}"
                )
            fields["execution_count"] = _int(token.lstrip("[").rstrip("]"), "N", minimum=0)
        i += 1
    if "head_lines" in fields and "tail_lines" in fields:
        raise ValueError(f"use --head or --tail, not both. {USAGE}")
    return OutputQuery(**fields)  # type: ignore[arg-type]


def _head_lines(text: str, k: int) -> str:
    pos = 0
    for _ in range(k):
        nl = text.find("\n", pos)
        if nl == -1:
            return text
        pos = nl + 1
    return text[:pos]


def _tail_lines(text: str, k: int) -> str:
    if k == 0:
        return ""
    end = len(text) - 1 if text.endswith("\n") else len(text)
    pos = end
    for _ in range(k):
        nl = text.rfind("\n", 0, pos)
        if nl == -1:
            return text
        pos = nl
    return text[pos + 1 :]


def _grep(text: str, needle: str) -> str:
    needle = needle.casefold()
    hits = [
        f"{number}: {line}"
        for number, line in enumerate(text.split("\n"), start=1)
        if needle in line.casefold()
    ]
    return "\n".join(hits) + ("\n" if hits else "")


def run_query(archive: OutputArchive, query: OutputQuery) -> str:
    """The archived text ``query`` selects (raw: the caller tokenizes and budgets it).

    Raises :class:`~athena_kernel.output.archive.OutputNotAvailable` if the output is not kept.
    """
    text = archive.get(query.execution_count, query.start, query.end)
    if query.grep is not None:
        text = _grep(text, query.grep)
        if not text:
            n = query.execution_count if query.execution_count is not None else "latest"
            return f"(no line of output [{n}] contains {query.grep!r})\n"
    if query.head_lines is not None:
        text = _head_lines(text, query.head_lines)
    if query.tail_lines is not None:
        text = _tail_lines(text, query.tail_lines)
    return text
