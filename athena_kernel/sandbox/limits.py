"""Per-cell resource limits enforced from outside the cell's code: memory and recursion.

**Memory.** ``'a' * 10**10`` is a single ``malloc`` of 10 GB followed by a ``memset``; with
overcommit the kernel gets OOM-killed half-way, and no tracker that looks *after* an allocation
(``tracemalloc``, an RSS watchdog) can stop it. While a cell runs, :class:`MemoryLimit` lowers the
process's ``RLIMIT_AS`` to "address space at cell start + ``memory_limit_mb``", so the oversized
allocation fails up front with ``MemoryError`` and the kernel survives; the limit is lifted when the
cell ends. Cost: one ``/proc/self/statm`` read and two ``setrlimit`` calls per cell (~50 µs).
The limit is per cell (growth), process-wide while the cell runs (the kernel's own threads share
it), and only where ``RLIMIT_AS`` is enforced (Linux); :attr:`MemoryLimit.supported` says so.

**Recursion.** :class:`RecursionLimit` sets the interpreter's recursion limit to the current stack
depth plus ``max_recursion_depth`` (and a margin for the sandbox's own frames) while a cell runs.
"""

from __future__ import annotations

import os
import sys

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]

#: Frames between the pre-execute hook and the cell's own code, plus guard frames.
RECURSION_MARGIN = 60


def address_space_bytes() -> int | None:
    """The process's current virtual address space in bytes (Linux), else ``None``."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


class MemoryLimit:
    """Caps the address space a cell can add (re-entrant: nested cells keep the outer cap)."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.supported = resource is not None and address_space_bytes() is not None
        self._depth = 0
        self._saved: tuple[int, int] | None = None
        self.active = False

    def enter(self) -> None:
        """Start of a cell: cap the address space at current + limit."""
        self._depth += 1
        if self._depth > 1 or not self.supported:
            return
        current = address_space_bytes()
        if current is None:
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = current + self.limit_bytes
        if soft != resource.RLIM_INFINITY:
            cap = min(cap, soft)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        self._saved = (soft, hard)  # first: an interrupt right after setrlimit must not lose it
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):
            self._saved = None
            self.supported = False
            return
        self.active = True

    def exit(self) -> None:
        """End of a cell: restore the previous limit."""
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._saved is not None:
            try:
                resource.setrlimit(resource.RLIMIT_AS, self._saved)
            finally:
                self._saved = None
                self.active = False


def stack_depth() -> int:
    """Number of Python frames on the current thread's stack."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


class RecursionLimit:
    """Allows ``max_depth`` nested calls on top of the depth at cell start (re-entrant)."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self._depth = 0
        self._saved: int | None = None
        self.effective_limit: int | None = None

    def enter(self) -> None:
        """Start of a cell: lower (or raise) the recursion limit for the cell."""
        self._depth += 1
        if self._depth > 1:
            return
        self._saved = sys.getrecursionlimit()
        limit = stack_depth() + RECURSION_MARGIN + self.max_depth
        sys.setrecursionlimit(limit)
        self.effective_limit = limit

    def exit(self) -> None:
        """End of a cell: restore the previous limit."""
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._saved is not None:
            sys.setrecursionlimit(self._saved)
            self._saved = None
            self.effective_limit = None
