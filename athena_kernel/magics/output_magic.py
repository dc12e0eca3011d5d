"""``%output``: show the full (untruncated) output of an earlier cell, or part of it."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

USAGE = "%output [N] [--range A:B] [--head K] [--tail K] [--grep TEXT] [--max-chars M]"


@magics_class
class OutputMagics(Magics):
    """Retrieval of output the per-cell budget cut."""

    def __init__(self, shell: Any, services: Any) -> None:
        super().__init__(shell)
        self._services = services

    @line_magic
    def output(self, line: str) -> None:
        """Show the full output of cell N (default: the latest), or part of it.

        %output [N] [--range A:B] [--head K] [--tail K] [--grep TEXT] [--max-chars M]

        N is the cell's execution count, as named in a truncation marker; --range takes the
        character offsets the marker gives; --grep keeps matching lines (literal text, any
        case) with their line numbers; --head/--tail keep the first/last K lines. The text
        printed is tokenized like any output and budgeted by --max-chars (default: the
        output_retrieval_chars setting). From code: _output(N) returns the text as a string.
        """
        try:
            result = self._services.call("output.retrieve", {"line": line})
        except (ValueError, LookupError) as exc:
            raise UsageError(str(exc)) from None
        text = result["text"]
        print(text, end="" if text.endswith("\n") else "\n")
