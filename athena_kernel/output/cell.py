"""Per-execution output accounting: one :class:`CellOutput` per execute request.

Output reaches a client by several roads (stream batches on the IOPub thread; displays, results
and errors on the shell thread). A ``CellOutput`` sees all of them for one execution and keeps
the total within the budget:

* **head**: output passes through unchanged while it fits the head part of the budget;
* **hold**: once something does not fit, output is held back — if the cell ends within the
  budget, everything held is released unchanged (small outputs stay byte-identical);
* **truncated**: once the held output would overflow the budget, only a rolling tail is kept;
  when the cell finishes the caller emits one marker line (how much was omitted, and the
  ``%output N --range a:b`` that returns it) followed by the tail.

Stream text is released in whole lines (an incomplete last line waits for its newline, up to a
cap), so the PII transform sees values whole; cuts fall on line boundaries or outside detected
values (see :mod:`.cuts`). The full raw text goes to the :class:`~.archive.OutputArchive`.
All public methods are thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .archive import OutputArchive
from .bundles import bundle_cost, prepare_bundle, shrink_bundle
from .cuts import AUTO_DETECTOR, CUT_WINDOW, Detector, cut_point, resolve_detector
from .markers import late_output_note, omission_marker, withheld_note
from .mime import (
    PLAIN,
    is_binary_mime,
    text_length,
    utf8_size,
    value_bytes,
)
from .tracebacks import fit_error, plain_traceback_text

TextTransform = Callable[[str], str]

#: Budget held back for the marker line (at most a fifth of the budget).
MARKER_RESERVE = 200
#: Share of the usable budget always kept for the tail of a truncated output.
TAIL_SHARE = 0.3
#: An incomplete line longer than this is released without waiting for its newline.
LINE_HOLD_CAP = 8192
#: Characters of an over-long incomplete line kept back (so a value at its end stays whole).
LINE_KEEP = 256
#: The first traceback of a cell always gets at least this many characters (or the whole
#: budget if smaller); later ones a quarter of it.
ERROR_FLOOR = 1000

HEAD, HOLD, TRUNCATED = "head", "hold", "truncated"
BUNDLE_KINDS = ("display_data", "execute_result", "update_display_data")


@dataclass(frozen=True)
class Piece:
    """One IOPub message the caller still has to send (``session.send(iopub, msg_type,
    content, parent=...)``), e.g. the truncation marker and held-back tail at ``finish()``."""

    msg_type: str
    content: dict[str, Any]


@dataclass
class _Item:
    kind: str  # "stream" or a bundle kind
    slot: str  # identity for statistics: "stream:stdout", "bundle:3"
    cost: int  # characters counted against the budget
    arch_start: int
    arch_end: int
    name: str = ""
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def split(self, at: int) -> tuple[_Item, _Item]:
        """Split a stream item at character ``at``."""
        first = replace(self, text=self.text[:at], cost=at, arch_end=self.arch_start + at)
        rest = replace(
            self, text=self.text[at:], cost=len(self.text) - at, arch_start=self.arch_start + at
        )
        return first, rest


@dataclass
class _Slot:
    chars_in: int = 0
    shown: int = 0
    cut: bool = False


def _limits(budget: int) -> tuple[int, int, int]:
    """(marker reserve, minimum tail, head limit) for a budget."""
    reserve = min(MARKER_RESERVE, budget // 5)
    usable = max(budget - reserve, 1)
    min_tail = max(int(usable * TAIL_SHARE), 1)
    return reserve, min_tail, usable - min_tail


class CellOutput:
    """Output filter state of one execution (see module docstring).

    ``budget`` is in characters of text (``None`` = unlimited). ``text_transform`` (the PII
    tokenizer) is applied to every string emitted; if it raises, the text is withheld rather
    than sent unfiltered. ``archive``/``execution_count`` say where the full output is kept.
    ``detector`` finds values a cut must not split (default: the privacy package's ``detect``;
    ``None``: cut at line boundaries and whitespace only).
    """

    def __init__(
        self,
        *,
        key: str | None = None,
        execution_count: int | None = None,
        budget: int | None = 2000,
        summarize_binary: bool = True,
        compact_tracebacks: bool = True,
        text_transform: TextTransform | None = None,
        archive: OutputArchive | None = None,
        notices: tuple[str, ...] | list[str] = (),
        detector: Detector | None = AUTO_DETECTOR,
        finished: bool = False,
    ) -> None:
        self.key = key
        self.execution_count = execution_count
        self.summarize_binary = summarize_binary
        self.compact_tracebacks = compact_tracebacks
        self._transform = text_transform
        self._archive = archive if execution_count is not None else None
        self._detector = resolve_detector(detector)
        self._lock = threading.RLock()
        self._budget: int | None = None
        self._reserve = self._min_tail = self._head_limit = 0
        self.set_budget(budget)
        self._notices = list(notices)
        self._notices_sent = False
        self._partial: dict[str, str] = {}
        self._phase = HEAD
        self._spent = 0
        self._held: list[_Item] = []
        self._held_cost = 0
        self._omit_from = 0
        self._arch_pos = 0
        self._last_char = "\n"
        self._finished = finished
        self._late_noted = False
        self._slots: dict[str, _Slot] = {}
        self._n_bundles = 0
        self._n_errors = 0
        self._stats = {
            "chars_in": 0,
            "chars_out": 0,
            "bytes_in": 0,
            "bytes_out": 0,
            "binary_summarized": 0,
            "values_summarized": 0,
            "markers": 0,
            "transform_failures": 0,
        }
        self._last_error: tuple[tuple[str, str, tuple[str, ...]], tuple[str, str, list[str]]] | None
        self._last_error = None
        if self._archive is not None and execution_count is not None:
            self._archive.open(execution_count)
            self._arch_pos = self._archive.length(execution_count)

    # ------------------------------------------------------------------ configuration
    @property
    def budget(self) -> int | None:
        """The character budget of this execution (``None`` = unlimited)."""
        return self._budget

    def set_budget(self, budget: int | None) -> None:
        """Change the budget (e.g. ``%output`` printing a retrieval with a larger one). Output
        already omitted stays omitted; later output is measured against the new budget."""
        with self._lock:
            if budget is not None and budget <= 0:
                budget = None
            self._budget = budget
            if budget is not None:
                self._reserve, self._min_tail, self._head_limit = _limits(budget)

    def value_budget(self) -> int | None:
        """Characters a displayed value may take now (for the summarising formatter)."""
        with self._lock:
            if self._budget is None:
                return None
            left = self._budget - self._reserve - self._spent - self._held_cost
            return max(self._min_tail, left)

    def note_value_summarized(self) -> None:
        """Count a displayed value whose repr was replaced by a summary (see formatter)."""
        with self._lock:
            self._stats["values_summarized"] += 1

    @property
    def finished(self) -> bool:
        """True after :meth:`finish`; later output is passed only while budget is left."""
        return self._finished

    # ------------------------------------------------------------------ helpers
    def _slot(self, name: str) -> _Slot:
        slot = self._slots.get(name)
        if slot is None:
            slot = self._slots[name] = _Slot()
        return slot

    def _t(self, text: str) -> str:
        if self._transform is None or not text:
            return text
        try:
            out = self._transform(text)
        except Exception as exc:  # never send text the PII filter could not process
            self._stats["transform_failures"] += 1
            return withheld_note(f"the privacy filter failed ({type(exc).__name__})") + "\n"
        return out if isinstance(out, str) else str(out)

    def _t_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._t(value)
        if isinstance(value, list):
            return [self._t_json(v) for v in value]
        if isinstance(value, dict):
            return {
                (self._t(k) if isinstance(k, str) else k): self._t_json(v) for k, v in value.items()
            }
        return value

    def _archive_text(self, text: str) -> tuple[int, int]:
        if self._archive is not None and self.execution_count is not None:
            start, end = self._archive.append(self.execution_count, text)
        else:
            start, end = self._arch_pos, self._arch_pos + len(text)
        self._arch_pos = end
        return start, end

    def _count_in(self, slot: str, chars: int, nbytes: int) -> None:
        self._stats["chars_in"] += chars
        self._stats["bytes_in"] += nbytes
        self._slot(slot).chars_in += chars

    # ------------------------------------------------------------------ budget machine
    def _admit(self, item: _Item) -> list[_Item]:
        """Account ``item``; return what may be emitted now (the rest is held)."""
        if self._budget is None:
            self._spent += item.cost
            return [item]
        if self._phase == HEAD:
            if self._spent + item.cost <= self._head_limit:
                self._spent += item.cost
                return [item]
            now: list[_Item] = []
            room = self._head_limit - self._spent
            if item.kind == "stream" and room > 0:
                at = self._head_cut(item.text, room)
                if 0 < at < len(item.text):
                    first, item = item.split(at)
                    self._spent += first.cost
                    now.append(first)
            self._phase = HOLD
            self._omit_from = item.arch_start
            self._hold(item)
            return now
        self._hold(item)
        return []

    def _head_cut(self, text: str, room: int) -> int:
        """Where to end the head inside ``text``: after a newline, or inside a line only when
        that line is too long to wait for (a short line is held back whole)."""
        line_start = text.rfind("\n", 0, room) + 1
        if room - line_start <= CUT_WINDOW:
            return line_start
        return cut_point(text, room, detector=self._detector)

    def _tail_cut(self, text: str, pos: int) -> int:
        """Where to start a tail inside ``text`` (at or after ``pos``): at the next line start
        when one is near, else at a safe point inside the (long) line."""
        nl = text.find("\n", max(pos - 1, 0), pos + CUT_WINDOW)
        if nl != -1:
            return nl + 1
        return cut_point(text, pos, forward=True, detector=self._detector)

    def _hold(self, item: _Item) -> None:
        self._held.append(item)
        self._held_cost += item.cost
        if self._phase == HOLD and self._spent + self._held_cost <= (self._budget or 0):
            return
        self._phase = TRUNCATED
        self._trim_tail()

    def _tail_room(self) -> int:
        budget = self._budget or 0
        # after a first marker (an error flushed mid-cell), later tails get a quarter
        floor = self._min_tail if not self._stats["markers"] else max(self._min_tail // 4, 1)
        return max(floor, budget - self._reserve - self._spent)

    def _trim_tail(self) -> None:
        room = self._tail_room()
        last = self._held[-1]
        if last.kind != "stream" and last.cost > room:
            reduced = self._reduce_bundle(last, room)
            self._held_cost += reduced.cost - last.cost
            self._held[-1] = reduced
        while self._held and self._held_cost > room:
            first = self._held[0]
            excess = self._held_cost - room
            self._slot(first.slot).cut = True
            if first.kind == "stream" and first.cost > excess:
                at = self._tail_cut(first.text, excess)
                if at < len(first.text):
                    _, rest = first.split(at)
                    self._held[0] = rest
                    self._held_cost -= at
                    continue
            self._held.pop(0)
            self._held_cost -= first.cost

    def _reduce_bundle(self, item: _Item, room: int) -> _Item:
        """Fit a bundle into ``room`` (see :func:`.bundles.shrink_bundle`)."""
        n, base = self.execution_count, item.arch_start
        data, metadata = shrink_bundle(
            item.data,
            item.metadata,
            room,
            lambda omitted, s, e: omission_marker(omitted, n, base + s, base + e),
            detector=self._detector,
        )
        self._slot(item.slot).cut = True
        return replace(item, data=data, metadata=metadata, cost=bundle_cost(data))

    # ------------------------------------------------------------------ emission
    def _emit_stream_text(self, item: _Item) -> str:
        self._slot(item.slot).shown += item.cost
        out = self._t(item.text)
        if out:
            self._last_char = out[-1]
        self._stats["chars_out"] += len(out)
        self._stats["bytes_out"] += utf8_size(out)
        return out

    def _emit_bundle(self, item: _Item) -> tuple[dict[str, Any], dict[str, Any]]:
        self._slot(item.slot).shown += item.cost
        data: dict[str, Any] = {}
        for mime, value in item.data.items():
            if is_binary_mime(mime, value):
                data[mime] = value
                self._stats["bytes_out"] += value_bytes(value)
                continue
            data[mime] = self._t(value) if isinstance(value, str) else self._t_json(value)
            self._stats["chars_out"] += text_length(data[mime])
            self._stats["bytes_out"] += value_bytes(data[mime])
        return data, item.metadata

    def _piece(self, item: _Item) -> Piece:
        if item.kind == "stream":
            text = self._emit_stream_text(item)
            return Piece("stream", {"name": item.name, "text": text})
        data, metadata = self._emit_bundle(item)
        return Piece(item.kind, {**item.extra, "data": data, "metadata": metadata})

    def _marker_piece(self, start: int, end: int) -> Piece:
        line = omission_marker(end - start, self.execution_count, start, end)
        text = ("" if self._last_char == "\n" else "\n") + line + "\n"
        self._spent += len(text)
        self._stats["markers"] += 1
        out = self._t(text)
        self._last_char = "\n"
        self._stats["chars_out"] += len(out)
        self._stats["bytes_out"] += utf8_size(out)
        return Piece("stream", {"name": "stdout", "text": out})

    def _notice_pieces(self) -> list[Piece]:
        if self._notices_sent or not self._notices:
            return []
        self._notices_sent = True
        text = "".join(f"[athena] {n}\n" for n in self._notices)
        out = self._t(text)
        self._stats["chars_out"] += len(out)
        self._stats["bytes_out"] += utf8_size(out)
        return [Piece("stream", {"name": "stderr", "text": out})]

    # ------------------------------------------------------------------ roads
    def stream(self, name: str, text: str) -> str | None:
        """Filter one batch of stream text (``name`` is ``stdout``/``stderr``).

        Returns the text to send now for this stream (``None``: send nothing now). Text held
        back comes out of :meth:`flush`/:meth:`finish`.
        """
        with self._lock:
            slot = f"stream:{name}"
            self._count_in(slot, len(text), utf8_size(text))
            if self._finished:
                return self._late_stream(name, text) or None
            buffer = self._partial.pop(name, "") + text
            end = max(buffer.rfind("\n"), buffer.rfind("\r")) + 1
            ready, rest = buffer[:end], buffer[end:]
            if len(rest) > LINE_HOLD_CAP:  # a flood without newlines still flows
                at = cut_point(rest, len(rest) - LINE_KEEP, detector=self._detector)
                if at <= 0:
                    at = len(rest) - LINE_KEEP
                ready, rest = ready + rest[:at], rest[at:]
            if rest:
                self._partial[name] = rest
            if not ready:
                return None
            out = [self._emit_stream_text(i) for i in self._admit(self._stream_item(name, ready))]
            joined = "".join(out)
            return joined or None

    def _stream_item(self, name: str, text: str) -> _Item:
        start, end = self._archive_text(text)
        return _Item("stream", f"stream:{name}", len(text), start, end, name=name, text=text)

    def _late_stream(self, name: str, text: str) -> str | None:
        self._archive_text(text)
        budget = self._budget
        if not self._late_noted and (budget is None or self._spent + len(text) <= budget):
            self._spent += len(text)
            item = _Item("stream", f"stream:{name}", len(text), 0, 0, name=name, text=text)
            return self._emit_stream_text(item)
        self._slot(f"stream:{name}").cut = True
        if self._late_noted:
            return None
        self._late_noted = True
        note = late_output_note(self.execution_count) + "\n"
        out = self._t(note)
        self._stats["chars_out"] += len(out)
        self._stats["bytes_out"] += utf8_size(out)
        return out

    def bundle(
        self,
        kind: str,
        data: Mapping[str, Any],
        metadata: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Filter a MIME bundle (``kind``: display_data, execute_result, update_display_data).

        Returns ``(data, metadata)`` to send now, or ``None`` when the bundle is held back (it
        then comes out of :meth:`flush`/:meth:`finish` as a :class:`Piece` whose content also
        carries ``extra``: the message's other content keys such as ``execution_count`` or
        ``transient``).
        """
        if kind not in BUNDLE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(BUNDLE_KINDS)}, not {kind!r}")
        if not isinstance(data, Mapping):
            raise TypeError(f"data must be a MIME bundle (a mapping), not {type(data).__name__}")
        with self._lock:
            self._n_bundles += 1
            slot = f"bundle:{self._n_bundles}"
            prepared = prepare_bundle(data, metadata, summarize_binary=self.summarize_binary)
            self._count_in(slot, prepared.chars_in, prepared.bytes_in)
            self._stats["binary_summarized"] += prepared.binary_summarized
            start, end = self._archive_text(prepared.archive_text)
            item = _Item(
                kind,
                slot,
                prepared.cost,
                start,
                end,
                data=prepared.data,
                metadata=prepared.metadata,
                extra=dict(extra or {}),
            )
            if self._finished:
                return self._late_bundle(item)
            now = self._admit(item)
            if not now:
                return None
            return self._emit_bundle(now[0])

    def _late_bundle(self, item: _Item) -> tuple[dict[str, Any], dict[str, Any]] | None:
        budget = self._budget
        if not self._late_noted and (budget is None or self._spent + item.cost <= budget):
            self._spent += item.cost
            return self._emit_bundle(item)
        self._slot(item.slot).cut = True
        if self._late_noted:
            return None
        self._late_noted = True
        note = self._t(late_output_note(self.execution_count))
        self._stats["chars_out"] += len(note)
        self._stats["bytes_out"] += utf8_size(note)
        return {PLAIN: note}, {}

    def error(self, ename: str, evalue: str, traceback: list[str]) -> tuple[str, str, list[str]]:
        """Filter an error: returns ``(ename, evalue, traceback)`` to send (always sent now).

        The traceback is compacted in the agent profile (or cut to the budget in any profile);
        the final ``ename: evalue`` line is always kept. Call :meth:`flush` first and send its
        pieces, so output held back appears before the error.
        """
        with self._lock:
            self._n_errors += 1
            slot = f"error:{self._n_errors}"
            full_text = plain_traceback_text(traceback)
            self._count_in(slot, len(full_text), utf8_size(full_text) + utf8_size(evalue))
            self._archive_text(full_text + "\n")
            room = self._error_room()
            result, truncated = fit_error(
                ename, evalue, traceback, room, compact=self.compact_tracebacks
            )
            cost = sum(len(line) for line in result[2])
            self._spent += cost
            slot_state = self._slot(slot)
            slot_state.shown += min(cost, len(full_text))
            slot_state.cut = truncated
            out = (
                self._t(result[0]),
                self._t(result[1]),
                [self._t(line) for line in result[2]],
            )
            for text in (out[1], *out[2]):
                self._stats["chars_out"] += len(text)
                self._stats["bytes_out"] += utf8_size(text)
            self._last_error = ((ename, evalue, tuple(traceback)), out)
            return out

    def _error_room(self) -> int:
        if self._budget is None:
            return 1_000_000_000
        left = self._budget - self._spent - self._held_cost
        floor = ERROR_FLOOR if self._n_errors == 1 else ERROR_FLOOR // 4  # later errors: less
        return max(min(floor, self._budget), left)

    def _fit_error(
        self, ename: str, evalue: str, traceback: list[str], room: int
    ) -> tuple[tuple[str, str, list[str]], bool]:
        return fit_error(ename, evalue, traceback, room, compact=self.compact_tracebacks)

    def reply_error(
        self, ename: str, evalue: str, traceback: list[str]
    ) -> tuple[str, str, list[str]]:
        """The same filtering for the execute_reply's error fields, without counting it again:
        returns exactly what :meth:`error` sent when given the same error."""
        with self._lock:
            key = (ename, evalue, tuple(traceback))
            if self._last_error is not None and self._last_error[0] == key:
                return self._last_error[1]
            room = self._budget if self._budget is not None else 1_000_000_000
            room = max(min(ERROR_FLOOR, room), room // 2)
            (e, v, tb), _ = fit_error(
                ename, evalue, traceback, room, compact=self.compact_tracebacks
            )
            return self._t(e), self._t(v), [self._t(line) for line in tb]

    # ------------------------------------------------------------------ flushing
    def release_partial(self) -> list[Piece]:
        """Release incomplete stream lines (e.g. before a display or an input prompt, to keep
        order). They pass the budget like any output; what may be sent now is returned."""
        with self._lock:
            pieces = self._notice_pieces()
            for name in list(self._partial):
                text = self._partial.pop(name)
                for item in self._admit(self._stream_item(name, text)):
                    pieces.append(self._piece(item))
            return pieces

    def flush(self) -> list[Piece]:
        """Everything that may be sent now, in order: notices, incomplete lines, held output
        (or, if it overflowed, the marker line and the tail). Call before an error is sent."""
        with self._lock:
            pieces = self.release_partial()
            if not self._held:
                self._phase = HEAD
                return pieces
            budget = self._budget or 0
            if self._phase == HOLD and self._spent + self._held_cost > budget:
                self._phase = TRUNCATED
                self._trim_tail()
            if self._phase == TRUNCATED:
                end = self._held[0].arch_start if self._held else self._arch_pos
                if end > self._omit_from:
                    pieces.append(self._marker_piece(self._omit_from, end))
            self._spent += self._held_cost
            pieces.extend(self._piece(item) for item in self._held)
            self._held = []
            self._held_cost = 0
            self._phase = HEAD
            return pieces

    def finish(self) -> list[Piece]:
        """End of the cell: the pieces still to send (see :meth:`flush`), before the reply.
        Output arriving later passes while budget is left; from the first piece that does not
        fit, later output is dropped (archived) and a single note says so."""
        with self._lock:
            pieces = self.flush()
            self._finished = True
            return pieces

    # ------------------------------------------------------------------ statistics
    def stats(self) -> dict[str, Any]:
        """What the filter did, for the execute_reply metadata (see docs/output.md)."""
        with self._lock:
            truncated = dropped = omitted = 0
            for slot in self._slots.values():
                if not slot.cut:
                    continue
                omitted += max(0, slot.chars_in - slot.shown)
                if slot.shown == 0 and slot.chars_in > 0:
                    dropped += 1
                else:
                    truncated += 1
            any_cut = bool(truncated or dropped)
            retrievable = any_cut and self._archive is not None
            return {
                "execution_count": self.execution_count,
                "budget_chars": self._budget,
                "chars_in": self._stats["chars_in"],
                "chars_out": self._stats["chars_out"],
                "bytes_in": self._stats["bytes_in"],
                "bytes_out": self._stats["bytes_out"],
                "items_in": len(self._slots),
                "items_truncated": truncated,
                "items_dropped": dropped,
                "chars_omitted": omitted,
                "binary_summarized": self._stats["binary_summarized"],
                "values_summarized": self._stats["values_summarized"],
                "truncated": any_cut,
                "retrieve": f"%output {self.execution_count}" if retrievable else None,
                "notices": list(self._notices),
                "transform_failures": self._stats["transform_failures"],
            }
