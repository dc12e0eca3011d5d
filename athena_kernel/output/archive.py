"""The full text of each execution's output, kept in the kernel for ``%output`` / ``_output()``.

Entries are keyed by execution count and hold the raw (untokenized, untruncated) text in the
order the filter saw it. The archive is bounded by a total character cap: the oldest executions
are dropped first, and a single execution larger than the cap keeps its first and last halves
(the middle is reported as not kept). Offsets always refer to the execution's full output, so a
marker's ``--range a:b`` stays valid even when part of the text is gone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field

#: How many dropped execution numbers are remembered for "no longer kept" messages.
REMEMBER_DROPPED = 100_000


class OutputNotAvailable(LookupError):
    """The requested execution's output is not in the archive (never recorded, or dropped)."""


@dataclass
class _Entry:
    head: list[str] = field(default_factory=list)
    head_len: int = 0
    tail: deque[str] = field(default_factory=deque)
    tail_len: int = 0
    total: int = 0  # every character ever appended, kept or not

    @property
    def retained(self) -> int:
        return self.head_len + self.tail_len

    @property
    def gap(self) -> tuple[int, int]:
        return self.head_len, self.total - self.tail_len


class OutputArchive:
    """Full outputs of recent executions, bounded by ``max_chars`` characters in total.

    Thread-safe: stream text arrives on the IOPub thread while displays arrive on the shell
    thread.
    """

    def __init__(self, max_chars: int = 20_000_000, *, max_entries: int = 10_000) -> None:
        if max_chars < 0:
            raise ValueError(f"max_chars must be >= 0 (0 keeps nothing), not {max_chars}")
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, not {max_entries}")
        self.max_chars = max_chars
        self.max_entries = max_entries
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._dropped: OrderedDict[int, None] = OrderedDict()
        self._retained = 0
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ writing
    def open(self, n: int) -> None:
        """Start (or continue) the entry of execution ``n``; an empty entry costs nothing."""
        with self._lock:
            if n not in self._entries:
                self._entries[n] = _Entry()
                self._dropped.pop(n, None)
                while len(self._entries) > self.max_entries:
                    self._drop_oldest()

    def append(self, n: int, text: str) -> tuple[int, int]:
        """Append ``text`` to execution ``n``'s output; returns its ``(start, end)`` offsets."""
        with self._lock:
            self.open(n)
            entry = self._entries[n]
            start = entry.total
            entry.total += len(text)
            if not text:
                return start, start
            head_cap = self.max_chars // 2
            tail_cap = self.max_chars - head_cap
            if entry.tail_len == 0 and entry.head_len + len(text) <= head_cap:
                entry.head.append(text)
                entry.head_len += len(text)
                self._retained += len(text)
            else:
                if entry.tail_len == 0 and entry.head_len < head_cap:  # fill the head first
                    room = head_cap - entry.head_len
                    entry.head.append(text[:room])
                    entry.head_len += room
                    self._retained += room
                    text = text[room:]
                self._retained += self._append_tail(entry, text, tail_cap)
            self._evict(keep=n)
            return start, entry.total

    def _append_tail(self, entry: _Entry, text: str, tail_cap: int) -> int:
        before = entry.tail_len
        if len(text) >= tail_cap:
            entry.tail.clear()
            text = text[len(text) - tail_cap :] if tail_cap else ""
            entry.tail_len = 0
        if text:
            entry.tail.append(text)
            entry.tail_len += len(text)
        while entry.tail_len > tail_cap and entry.tail:
            excess = entry.tail_len - tail_cap
            first = entry.tail[0]
            if len(first) <= excess:
                entry.tail.popleft()
                entry.tail_len -= len(first)
            else:
                entry.tail[0] = first[excess:]
                entry.tail_len -= excess
        return entry.tail_len - before

    def _evict(self, keep: int) -> None:
        while self._retained > self.max_chars:
            oldest = next(iter(self._entries))
            if oldest == keep:
                break
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        n, entry = self._entries.popitem(last=False)
        self._retained -= entry.retained
        self._dropped[n] = None
        while len(self._dropped) > REMEMBER_DROPPED:
            self._dropped.popitem(last=False)

    def clear(self) -> None:
        """Forget every output."""
        with self._lock:
            self._entries.clear()
            self._dropped.clear()
            self._retained = 0

    # ------------------------------------------------------------------ reading
    @property
    def retained_chars(self) -> int:
        """Characters currently kept across all executions."""
        return self._retained

    def executions(self) -> list[int]:
        """Execution counts whose output is kept, oldest first."""
        with self._lock:
            return list(self._entries)

    def length(self, n: int | None = None) -> int:
        """Total characters execution ``n`` produced (including any part no longer kept)."""
        with self._lock:
            return self._entry(n)[1].total

    def get(self, n: int | None = None, start: int | None = None, end: int | None = None) -> str:
        """Text of execution ``n``'s output (the latest with output if ``n`` is None), sliced like
        ``text[start:end]`` (negative offsets count from the end). A part that is no longer kept
        is replaced by a one-line note saying so. Raises :class:`OutputNotAvailable` with an
        explanation when the execution's output is not kept."""
        with self._lock:
            n, entry = self._entry(n)
            lo, hi, _ = slice(start, end).indices(entry.total)
            if hi <= lo:
                return ""
            gap_lo, gap_hi = entry.gap
            parts: list[str] = []
            if lo < gap_lo:
                parts.append(self._head_text(entry)[lo : min(hi, gap_lo)])
            if gap_lo < gap_hi and lo < gap_hi and hi > gap_lo:
                a, b = max(lo, gap_lo), min(hi, gap_hi)
                parts.append(
                    f"\n[… chars {a:,}–{b:,} of output [{n}] were not kept: one execution keeps "
                    f"at most {self.max_chars:,} chars (its start and its end) …]\n"
                )
            if hi > gap_hi:
                tail = self._tail_text(entry)
                parts.append(tail[max(lo, gap_hi) - gap_hi : hi - gap_hi])
            return "".join(parts)

    def _head_text(self, entry: _Entry) -> str:
        if len(entry.head) > 1:
            entry.head[:] = ["".join(entry.head)]
        return entry.head[0] if entry.head else ""

    def _tail_text(self, entry: _Entry) -> str:
        if len(entry.tail) > 1:
            joined = "".join(entry.tail)
            entry.tail.clear()
            entry.tail.append(joined)
        return entry.tail[0] if entry.tail else ""

    def _entry(self, n: int | None) -> tuple[int, _Entry]:
        if n is None:
            # the latest execution that produced output (not the empty one asking for it)
            n = next((k for k in reversed(self._entries) if self._entries[k].total), None)
            if n is None:
                raise OutputNotAvailable("No output has been recorded yet.")
        entry = self._entries.get(n)
        if entry is not None:
            return n, entry
        kept = self._kept_range()
        if n in self._dropped:
            raise OutputNotAvailable(
                f"The output of execution [{n}] is no longer kept: outputs are kept up to "
                f"{self.max_chars:,} chars in total and the oldest are dropped first. {kept}"
            )
        raise OutputNotAvailable(f"No output is recorded for execution [{n}]. {kept}")

    def _kept_range(self) -> str:
        if not self._entries:
            return "No outputs are kept at the moment."
        first, last = next(iter(self._entries)), next(reversed(self._entries))
        if first == last:
            return f"Kept: [{first}]."
        return f"Kept: [{first}] to [{last}]."
