"""The output filter facade: settings in, one :class:`~.cell.CellOutput` per execution out.

The kernel calls :meth:`OutputFilter.begin` when an execute request starts (keyed by the
request's ``msg_id``), routes every output road through :meth:`OutputFilter.cell` for the
message's parent id, calls ``finish()`` on the cell before replying and puts
:meth:`OutputFilter.end`'s statistics into the reply metadata. See ``docs/output.md``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from .archive import OutputArchive
from .cell import CellOutput, TextTransform
from .cuts import AUTO_DETECTOR, Detector
from .options import RequestOptions, parse_request_options
from .query import OutputQuery, parse_output_args, run_query

#: Finished executions remembered, so output arriving after the reply is still filtered.
RECENT_CELLS = 64
#: Smallest default budget for printing retrieved output (``%output``).
MIN_RETRIEVAL_CHARS = 16_000


class OutputFilter:
    """Per-kernel output filter: budgets, archive of full outputs, and request options.

    ``max_output_chars`` is the default per-execution budget (0 or less = unlimited);
    ``retention_chars`` bounds the archive; ``summarize_binary`` and ``compact_tracebacks``
    are the profile's defaults; ``text_transform`` (the PII tokenizer) is applied to every
    emitted string. ``retrieval_chars`` is the default budget for ``%output`` (default: eight
    times the cell budget, at least 16,000).
    """

    def __init__(
        self,
        *,
        max_output_chars: int = 2000,
        retention_chars: int = 20_000_000,
        summarize_binary: bool = True,
        compact_tracebacks: bool = True,
        profile: str = "agent",
        text_transform: TextTransform | None = None,
        retrieval_chars: int | None = None,
        detector: Detector | None = AUTO_DETECTOR,
    ) -> None:
        self.max_output_chars = max_output_chars
        self.summarize_binary = summarize_binary
        self.compact_tracebacks = compact_tracebacks
        self.profile = profile
        self.text_transform = text_transform
        if retrieval_chars is None:
            base = max_output_chars if max_output_chars > 0 else 0
            retrieval_chars = max(8 * base, MIN_RETRIEVAL_CHARS) if base else 0
        self.retrieval_chars = retrieval_chars
        self.archive = OutputArchive(retention_chars)
        self._detector = detector
        self._active: dict[str, CellOutput] = {}
        self._recent: OrderedDict[str, CellOutput] = OrderedDict()
        self._current: CellOutput | None = None
        self._orphan: CellOutput | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Any, text_transform: TextTransform | None = None
    ) -> OutputFilter:
        """Build from :class:`~athena_kernel.config.AthenaSettings` (or any object with the
        same attributes)."""
        return cls(
            max_output_chars=int(settings.max_output_chars),
            retention_chars=int(settings.output_retention_chars),
            summarize_binary=bool(settings.summarize_binary_outputs),
            compact_tracebacks=bool(settings.compact_tracebacks),
            profile=str(settings.profile),
            text_transform=text_transform,
            retrieval_chars=getattr(settings, "output_retrieval_chars", None),
        )

    # ------------------------------------------------------------------ lifecycle
    def begin(
        self,
        key: str,
        execution_count: int | None = None,
        request_metadata: Any = None,
    ) -> CellOutput:
        """Start filtering the execution whose request ``msg_id`` is ``key``.

        ``execution_count`` keys the archived full output (``None``: not archived, e.g. silent
        requests). ``request_metadata`` may carry ``{"athena": {"max_output_chars": N,
        "binary": true}}``; invalid options become notices (sent first, and in the stats).
        """
        options = parse_request_options(request_metadata)
        cell = self._new_cell(key, execution_count, options)
        with self._lock:
            self._recent.pop(key, None)
            self._active[key] = cell
            self._current = cell
        return cell

    def _new_cell(
        self,
        key: str | None,
        execution_count: int | None,
        options: RequestOptions,
        *,
        finished: bool = False,
    ) -> CellOutput:
        budget = options.max_output_chars or self.max_output_chars
        summarize = self.summarize_binary if options.binary is None else not options.binary
        return CellOutput(
            key=key,
            execution_count=execution_count,
            budget=budget if budget > 0 else None,
            summarize_binary=summarize,
            compact_tracebacks=self.compact_tracebacks,
            text_transform=self.text_transform,
            archive=self.archive,
            notices=options.notices,
            detector=self._detector,
            finished=finished,
        )

    def get(self, key: str | None) -> CellOutput | None:
        """The execution's CellOutput (active or recently ended), or ``None``."""
        if key is None:
            return None
        with self._lock:
            return self._active.get(key) or self._recent.get(key)

    def cell(self, key: str | None) -> CellOutput:
        """Like :meth:`get`, but output with an unknown parent (e.g. from a background thread
        after its cell ended, or before any request) gets a finished CellOutput with the default
        budget, so it is filtered too."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            if key is None:  # parentless output shares one budget
                if self._orphan is None:
                    self._orphan = self._new_cell(None, None, RequestOptions(), finished=True)
                return self._orphan
            stray = self._recent.get(key)
            if stray is None:
                stray = self._new_cell(key, None, RequestOptions(), finished=True)
                self._remember(key, stray)
            return stray

    def _remember(self, key: str, cell: CellOutput) -> None:
        self._recent[key] = cell
        self._recent.move_to_end(key)
        while len(self._recent) > RECENT_CELLS:
            self._recent.popitem(last=False)

    def end(self, key: str) -> dict[str, Any]:
        """Forget the execution as active (call after ``finish()``); returns its statistics.
        Late output for it is still filtered for a while (see :meth:`cell`)."""
        with self._lock:
            cell = self._active.pop(key, None)
            if cell is None:
                cell = self._recent.get(key)
                if cell is None:
                    raise KeyError(f"no execution with key {key!r} was begun")
            self._remember(key, cell)
            if self._current is cell:
                self._current = None
        return cell.stats()

    def current(self) -> CellOutput | None:
        """The execution begun most recently and not yet ended."""
        return self._current

    def value_budget(self) -> int | None:
        """Characters a displayed value may take in the current execution (for
        :func:`~.formatter.install_summary_formatter`); the default budget between cells."""
        cell = self._current
        if cell is not None:
            return cell.value_budget()
        return self.max_output_chars if self.max_output_chars > 0 else None

    def note_value_summarized(self) -> None:
        """Count a summarised value in the current execution's statistics (``on_summary`` of
        :func:`~.formatter.install_summary_formatter`)."""
        cell = self._current
        if cell is not None:
            cell.note_value_summarized()

    # ------------------------------------------------------------------ retrieval
    def retrieve(self, query: OutputQuery | str) -> str:
        """The archived text a ``%output`` query selects (``query`` may be the magic's argument
        line), passed through the text transform. Raises ValueError for bad arguments and
        :class:`~.archive.OutputNotAvailable` when the output is not kept."""
        if isinstance(query, str):
            query = parse_output_args(query)
        text = run_query(self.archive, query)
        return self._transform(text)

    def retrieval_budget(self, query: OutputQuery | None = None) -> int | None:
        """Budget for the cell printing a retrieval: ``--max-chars`` or the default."""
        if query is not None and query.max_chars:
            return query.max_chars
        return self.retrieval_chars if self.retrieval_chars > 0 else None

    def output(self, n: int | None = None, start: int | None = None, end: int | None = None) -> str:
        """``_output(n, start, end)``: execution ``n``'s full output (the latest if ``None``),
        sliced by character offsets, tokenized like everything else shown."""
        return self._transform(self.archive.get(n, start, end))

    def _transform(self, text: str) -> str:
        if self.text_transform is None or not text:
            return text
        return self.text_transform(text)
