"""Output filter: per-cell budgets, head+tail truncation with a retrieval marker, an archive of
full outputs, structure-aware summaries, binary descriptions and compact tracebacks.

Kernel-independent: nothing here imports ipykernel (IPython only lazily, in ``formatter``).
See ``docs/output.md``.
"""

from __future__ import annotations

from .ansi import strip_ansi
from .archive import OutputArchive, OutputNotAvailable
from .binary import describe_binary, image_dimensions
from .cell import CellOutput, Piece
from .cuts import cut_point, head_tail_cut
from .formatter import install_summary_formatter
from .iopub_hooks import IOPubHooks
from .options import RequestOptions, parse_request_options
from .output_filter import OutputFilter
from .query import OutputQuery, parse_output_args, run_query
from .reprs import brief_repr
from .summaries import summarize
from .tracebacks import compact_traceback

__all__ = [
    "CellOutput",
    "IOPubHooks",
    "OutputArchive",
    "OutputFilter",
    "OutputNotAvailable",
    "OutputQuery",
    "Piece",
    "RequestOptions",
    "brief_repr",
    "compact_traceback",
    "cut_point",
    "describe_binary",
    "head_tail_cut",
    "image_dimensions",
    "install_summary_formatter",
    "parse_output_args",
    "parse_request_options",
    "run_query",
    "strip_ansi",
    "summarize",
]
