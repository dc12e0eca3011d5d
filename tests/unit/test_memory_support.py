"""Shared helpers of the memory tests (imported by the test_memory_* modules; no tests here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from athena_kernel.memory import InvalidArgumentError, Memory, MemoryAPIError, open_memory

TABLES = (
    "memories",
    "events",
    "tasks",
    "entities",
    "relations",
    "procedures",
    "procedure_versions",
    "procedure_runs",
    "plans",
    "search_tombstones",
)


def engine_of(memory: Memory) -> Any:
    """The in-process StoreEngine behind a LocalBackend store (tests only)."""
    backend = memory._backend
    backend.call("stats", {})  # opens it
    return backend._engine


def dump_store(memory: Memory) -> dict[str, Any]:
    """Every row of every table plus the search document count: equal dumps = same store."""
    engine = engine_of(memory)
    dump: dict[str, Any] = {
        table: sorted(map(repr, engine.con.execute(f"SELECT * FROM {table}").fetchall()))
        for table in TABLES
    }
    dump["search_documents"] = len(engine.index)
    return dump


def assert_rejected(
    memory: Memory,
    action: Callable[[], Any],
    *fragments: str,
    error: type[Exception] = InvalidArgumentError,
) -> MemoryAPIError:
    """``action`` raises ``error`` whose message contains every fragment; the store is unchanged."""
    before = dump_store(memory)
    with pytest.raises(error) as caught:
        action()
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert dump_store(memory) == before, "a rejected call changed the store"
    assert isinstance(caught.value, MemoryAPIError)
    return caught.value


@pytest.fixture
def memory() -> Memory:
    """A throwaway in-process store."""
    mem = open_memory(":memory:")
    yield mem
    mem.close()
