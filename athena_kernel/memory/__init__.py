"""Athena's memory: the ``memory`` API over an embedded DuckDB store.

``open_memory()`` returns a :class:`Memory`; the kernel binds one as ``memory``. Importing this
package and calling ``open_memory`` are cheap: neither imports duckdb or numpy nor touches the
store. The store is opened on the first call: in this process for ``":memory:"`` and
``shared=False``; otherwise through the store's owner process, which is started on demand so
that any number of kernels can share one store file (see docs/memory.md).
"""

from __future__ import annotations

import os

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
    "open_memory",
    "shutdown_owners",
]


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
    store = resolve_store_path(path)
    if store == IN_MEMORY or not shared:
        return Memory(LocalBackend(store), path=store)
    return Memory(RemoteBackend(store), path=store)
