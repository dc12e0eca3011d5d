"""Athena's memory: the ``memory`` API over an embedded DuckDB store.

``open_memory()`` returns a :class:`Memory`; the kernel binds one as ``memory``. Importing this
package and calling ``open_memory`` are cheap: neither imports duckdb or numpy nor touches the
store. The store is opened on the first call: in this process for ``":memory:"`` and
``shared=False``; otherwise through the store's owner process, which is started on demand so
that any number of kernels can share one store file (see docs/memory.md).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

#: public name -> submodule that defines it (loaded on first use, so that the kernel can talk
#: to a store through ``memory.remote`` without importing pydantic and the models)
_EXPORTS = {
    "Backend": "backend",
    "LocalBackend": "backend",
    "RemoteBackend": "remote",
    "shutdown_owners": "remote",
    "IN_MEMORY": "locations",
    "resolve_store_path": "locations",
    **dict.fromkeys(("Events", "Graph", "Memory", "Plans", "Procedures", "Tasks"), "facade"),
    **dict.fromkeys(
        (
            "ConflictError",
            "InvalidArgumentError",
            "MemoryAPIError",
            "NotFoundError",
            "SchemaVersionError",
            "StoreInternalError",
            "StoreLockedError",
            "StoreUnavailableError",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "ConsolidationReport",
            "Entity",
            "Event",
            "GraphPath",
            "Hit",
            "MemoryRecord",
            "MergeGroup",
            "Neighbor",
            "PatternInfo",
            "Plan",
            "PlanStatus",
            "PlanStep",
            "Priority",
            "ProcedureStats",
            "ProcedureSummary",
            "ProcedureVersion",
            "Relation",
            "StepStatus",
            "StoreStats",
            "Task",
            "TaskStatus",
        ),
        "models",
    ),
}

if TYPE_CHECKING:
    from .backend import Backend, LocalBackend
    from .errors import (
        ConflictError,
        InvalidArgumentError,
        MemoryAPIError,
        NotFoundError,
        SchemaVersionError,
        StoreInternalError,
        StoreLockedError,
        StoreUnavailableError,
    )
    from .facade import Events, Graph, Memory, Plans, Procedures, Tasks
    from .locations import IN_MEMORY, resolve_store_path
    from .models import (
        ConsolidationReport,
        Entity,
        Event,
        GraphPath,
        Hit,
        MemoryRecord,
        MergeGroup,
        Neighbor,
        PatternInfo,
        Plan,
        PlanStatus,
        PlanStep,
        Priority,
        ProcedureStats,
        ProcedureSummary,
        ProcedureVersion,
        Relation,
        StepStatus,
        StoreStats,
        Task,
        TaskStatus,
    )
    from .remote import RemoteBackend, shutdown_owners

__all__ = [
    "IN_MEMORY",
    "Backend",
    "ConflictError",
    "ConsolidationReport",
    "Entity",
    "Event",
    "Events",
    "Graph",
    "GraphPath",
    "Hit",
    "InvalidArgumentError",
    "LocalBackend",
    "Memory",
    "MemoryAPIError",
    "MemoryRecord",
    "MergeGroup",
    "Neighbor",
    "NotFoundError",
    "PatternInfo",
    "Plan",
    "PlanStatus",
    "PlanStep",
    "Plans",
    "Priority",
    "ProcedureStats",
    "ProcedureSummary",
    "ProcedureVersion",
    "Procedures",
    "Relation",
    "RemoteBackend",
    "SchemaVersionError",
    "StepStatus",
    "StoreInternalError",
    "StoreLockedError",
    "StoreStats",
    "StoreUnavailableError",
    "Task",
    "TaskStatus",
    "Tasks",
    "open_backend",
    "open_memory",
    "resolve_store_path",
    "shutdown_owners",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'athena_kernel.memory' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def open_backend(path: str | os.PathLike[str] | None = None, *, shared: bool = True) -> Any:
    """The store's backend alone (no facade, no pydantic): what the kernel talks to."""
    from .locations import IN_MEMORY, resolve_store_path

    store = resolve_store_path(path)
    if store == IN_MEMORY or not shared:
        from .backend import LocalBackend

        return LocalBackend(store)
    from .remote import RemoteBackend

    return RemoteBackend(store)


def open_memory(path: str | os.PathLike[str] | None = None, *, shared: bool = True) -> Memory:
    """Open (or create) a memory store and return its ``Memory`` facade.

    Nothing is opened until the first call on the returned object.

    Args:
        path: The store's DuckDB file. None means ``$ATHENA_STORE``, else
            ``<jupyter data dir>/athena/memory.duckdb``; ":memory:" is a throwaway store in
            this process.
        shared: True (default): go through the store's owner process, so several processes
            can use the file at once. False: open the file in this process (faster for one
            script or benchmark; fails while another process has the store open).

    Returns:
        A Memory.

    Raises:
        InvalidArgumentError: The path is empty or a directory.

    Example:
        >>> memory = open_memory("/tmp/notes.duckdb")
        >>> memory.remember("hello")
    """
    from .facade import Memory
    from .locations import resolve_store_path

    store = resolve_store_path(path)
    return Memory(open_backend(store, shared=shared), path=store)
