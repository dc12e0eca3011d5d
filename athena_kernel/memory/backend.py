"""The one seam between the ``memory`` facade and a store: ``backend.call(op, params)``.

Params and results are plain JSON data only (str, int, float, bool, None, list, dict; times as
ISO-8601 strings), so a backend can be wrapped (the kernel detokenizes params and tokenizes
results) or forwarded across processes. :class:`LocalBackend` runs the store in this process;
:class:`~athena_kernel.memory.remote.RemoteBackend` talks to the store's owner process.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .engine import StoreEngine
    from .search.base import Ranker


@runtime_checkable
class Backend(Protocol):
    """Runs memory operations: ``call("remember", {"content": "..."}) -> plain data``."""

    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Run operation ``op`` with JSON-compatible ``params``; return JSON-compatible data."""

    def close(self) -> None:
        """Release connections (the backend reconnects if used again)."""


class LocalBackend:
    """A store opened in this process (``":memory:"`` stores, or ``shared=False`` files).

    The database is opened on the first call, not on construction, so creating one is cheap.
    Closing saves the search snapshot and checkpoints; it also happens at interpreter exit.
    """

    def __init__(self, path: str, *, ranker_class: type[Ranker] | None = None) -> None:
        self.path = path
        self._ranker_class = ranker_class
        self._engine: StoreEngine | None = None
        self._lock = threading.Lock()
        atexit.register(_close_at_exit, weakref.ref(self))

    def _open(self) -> StoreEngine:
        with self._lock:
            if self._engine is None:
                from .engine import StoreEngine

                self._engine = StoreEngine(self.path, ranker_class=self._ranker_class)
            return self._engine

    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Run one operation in this process."""
        engine = self._engine or self._open()
        return engine.call(op, params)

    def close(self) -> None:
        """Close the database (saving the search snapshot); the next call reopens it."""
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()


def _close_at_exit(ref: weakref.ref[LocalBackend]) -> None:
    backend = ref()
    if backend is not None:
        backend.close()
