"""``StoreEngine``: one open store (DuckDB + search index) answering ``call(op, params)``.

This is what runs inside the store's owner process (or in-process for ``":memory:"`` and
``shared=False`` stores). Every call validates its params with the op's request model, runs
under one lock (DuckDB and the index see one writer at a time) and returns plain JSON data.
Writes are committed before the call returns.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import (
    InvalidArgumentError,
    MemoryAPIError,
    NotFoundError,
    StoreInternalError,
    StoreUnavailableError,
)
from ..ids import id_prefix
from ..params import OPS, ConsolidateParams, ItemParams, RecallParams
from ..search.base import Ranker
from ..validation import parse_params
from .base import LayerStore, StoreContext
from .connection import connect
from .consolidation import Consolidator
from .events import EventStore
from .graph import GraphStore
from .migrations import SCHEMA_VERSION, migrate, store_uid
from .plans import PlanStore
from .procedures import ProcedureStore
from .recall import ranked_hits
from .search_index import SearchIndex
from .semantic import SemanticStore
from .tasks import TaskStore

log = logging.getLogger(__name__)

LAYER_STORES: tuple[type[LayerStore], ...] = (
    SemanticStore,
    EventStore,
    TaskStore,
    GraphStore,
    ProcedureStore,
    PlanStore,
)


class _Slot:
    """One queued request of a group commit and, once run, its result (or exception)."""

    __slots__ = ("done", "request", "result")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.done = False
        self.result: Any = None

    def finish(self, result: Any) -> None:
        self.result = result
        self.done = True


def _public_error(op: str, exc: Exception) -> MemoryAPIError:
    """The error a caller sees: API errors as they are, anything else as an internal error."""
    if isinstance(exc, MemoryAPIError):
        return exc
    log.error("op %s failed", op, exc_info=exc)
    return StoreInternalError(f"{op} failed inside the store: {exc}")


def default_ranker_class() -> type[Ranker]:
    """The shipped ranker: BM25 over an in-memory inverted index."""
    from ..search import BM25Ranker

    return BM25Ranker


def snapshot_path_for(store_path: str, uid: str) -> Path:
    """``<store>.<uid>.search``: the search snapshot of this database."""
    return Path(f"{store_path}.{uid}.search")


class StoreEngine:
    """An open memory store: ``call(op, params) -> plain data``; ``close()`` when done."""

    def __init__(self, path: str, *, ranker_class: type[Ranker] | None = None) -> None:
        self.path = path if path == ":memory:" else os.path.abspath(path)
        self._lock = threading.RLock()
        self.con = connect(self.path)
        try:
            migrate(self.con, path=self.path)
            uid = store_uid(self.con)
            snapshot = None if self.path == ":memory:" else snapshot_path_for(self.path, uid)
            self.index = SearchIndex(
                self.con,
                ranker_class=ranker_class or default_ranker_class(),
                snapshot_path=snapshot,
            )
            ctx = StoreContext(self.con, self.index)
            self.stores: dict[str, LayerStore] = {cls.layer: cls(ctx) for cls in LAYER_STORES}
            self.index.open([src for s in self.stores.values() for src in s.doc_sources()])
        except BaseException:
            self.con.close()
            raise
        self._items = {
            prefix: handlers
            for store in self.stores.values()
            for prefix, handlers in store.item_handlers().items()
        }
        self._handlers: dict[str, Any] = {
            "recall": self.recall,
            "get": self.get,
            "forget": self.forget,
            "stats": self.stats,
            "consolidate": self.consolidate,
        }
        for store in self.stores.values():
            self._handlers.update(store.ops())
        missing = set(OPS) - set(self._handlers)
        assert not missing, f"ops without a handler: {sorted(missing)}"
        semantic, events = self.stores["semantic"], self.stores["events"]
        assert isinstance(semantic, SemanticStore) and isinstance(events, EventStore)
        self._batched = {"remember": semantic.remember_batch, "events.record": events.record_batch}
        self._queues: dict[str, list[_Slot]] = {op: [] for op in self._batched}
        self._queue_lock = threading.Lock()
        self._closed = False

    # ------------------------------------------------------------------------------ dispatch
    def call(self, op: str, params: dict[str, Any] | None = None) -> Any:
        """Run one operation; raises :class:`MemoryAPIError` subclasses on bad input."""
        model = OPS.get(op) if isinstance(op, str) else None
        if model is None:
            raise InvalidArgumentError(f"unknown operation {op!r}; known: {', '.join(sorted(OPS))}")
        request = parse_params(model, params or {})
        if op in self._batched:
            return self._call_batched(op, request)
        with self._lock:
            self._check_open()
            try:
                return self._handlers[op](request)
            except MemoryAPIError:
                raise
            except Exception as exc:
                raise _public_error(op, exc) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailableError(f"the store {self.path} is closed")

    def _call_batched(self, op: str, request: Any) -> Any:
        """Group commit: requests that arrive while a write runs are committed together.

        Each caller queues its request and takes the engine lock; whoever gets it first runs
        every queued request of the same op in one transaction, so concurrent writers share
        one WAL fsync instead of paying one each.
        """
        slot = _Slot(request)
        with self._queue_lock:
            self._queues[op].append(slot)
        with self._lock:
            if not slot.done:
                self._check_open()
                with self._queue_lock:
                    batch, self._queues[op] = self._queues[op], []
                try:
                    results = self._batched[op]([s.request for s in batch])
                except Exception as exc:  # pragma: no cover - run_batch reports per request
                    results = [exc] * len(batch)
                for waiting, result in zip(batch, results):
                    waiting.finish(result)
        if isinstance(slot.result, Exception):
            raise _public_error(op, slot.result)
        return slot.result

    # ------------------------------------------------------------------------------ core ops
    def recall(self, p: RecallParams) -> list[dict[str, Any]]:
        """Ranked search across layers with filters."""
        return ranked_hits(
            self.index,
            self.stores,
            p.query,
            limit=p.limit,
            layers=p.layers,
            tags=p.tags,
            since=p.since,
            until=p.until,
        )

    def _item(self, params: ItemParams) -> tuple[str, Any, Any]:
        prefix = id_prefix(params.id)
        getter, forgetter = self._items[prefix]
        return params.id.strip(), getter, forgetter

    def get(self, p: ItemParams) -> dict[str, Any]:
        """Any item by typed id."""
        item_id, getter, _ = self._item(p)
        item = getter(item_id)
        if item is None:
            raise NotFoundError(f"no item with id {item_id}")
        return item

    def forget(self, p: ItemParams) -> bool:
        """Delete any item by typed id; ``False`` if it did not exist."""
        item_id, _, forgetter = self._item(p)
        return bool(forgetter(item_id))

    def stats(self, p: Any = None) -> dict[str, Any]:
        """Counts per layer, store size, schema version."""
        counts = {}
        for layer, store in self.stores.items():
            (counts[layer],) = self.con.execute(f"SELECT count(*) FROM {store.table}").fetchone()
        (counts["relations"],) = self.con.execute("SELECT count(*) FROM relations").fetchone()
        size = 0
        if self.path != ":memory:":
            for suffix in ("", ".wal"):
                try:
                    size += os.path.getsize(self.path + suffix)
                except OSError:
                    pass
        return {
            "path": self.path,
            "schema_version": SCHEMA_VERSION,
            "counts": counts,
            "search_documents": len(self.index),
            "store_bytes": size,
        }

    def consolidate(self, p: ConsolidateParams) -> dict[str, Any]:
        """Merge near-duplicate memories; derive pattern memories from recurring events."""
        semantic = self.stores["semantic"]
        assert isinstance(semantic, SemanticStore)
        return Consolidator(semantic).run(p)

    # ------------------------------------------------------------------------------ lifecycle
    def save_snapshot(self) -> bool:
        """Write the search snapshot if documents changed since the last one."""
        with self._lock:
            if self._closed:
                return False
            try:
                return self.index.save_snapshot()
            except Exception:
                log.exception("saving the search snapshot failed")
                return False

    def close(self) -> None:
        """Save the search snapshot, checkpoint and close the database (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self.path != ":memory:":
                    self.index.save_snapshot()
                    self.con.execute("CHECKPOINT")
            except Exception:
                log.exception("closing %s: snapshot/checkpoint failed", self.path)
            finally:
                self.con.close()
