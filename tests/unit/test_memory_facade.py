"""The facade's contract: cheap to import, nothing public leads to the store, documented API."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import athena_kernel.memory as memory_pkg
from athena_kernel.memory import (
    InvalidArgumentError,
    Memory,
    NotFoundError,
    StoreLockedError,
    open_memory,
)
from athena_kernel.memory.errors import error_from_wire, error_to_wire

LAYERS = ("events", "tasks", "graph", "procedures", "plans")


def _public_methods(obj: object) -> list[tuple[str, typing.Any]]:
    return [
        (name, member)
        for name, member in inspect.getmembers(type(obj), inspect.isfunction)
        if not name.startswith("_")
    ]


def test_import_and_open_are_cheap(tmp_path: Path) -> None:
    store = tmp_path / "lazy.duckdb"
    code = (
        "import sys, json\n"
        "import athena_kernel.memory as m\n"
        f"mem = m.open_memory({str(store)!r})\n"
        "local = m.open_memory(':memory:')\n"
        "print(json.dumps({'duckdb': 'duckdb' in sys.modules, 'numpy': 'numpy' in sys.modules}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(out.stdout) == {"duckdb": False, "numpy": False}
    assert not store.exists() and not list(tmp_path.iterdir())  # nothing connected or spawned


def test_nothing_public_leads_to_the_backend() -> None:
    mem = open_memory(":memory:")
    reachable = [mem, *(getattr(mem, layer) for layer in LAYERS)]
    for obj in reachable:
        for name in dir(obj):
            if name.startswith("_"):
                continue
            value = getattr(obj, name)
            if inspect.ismethod(value):
                continue
            assert obj is mem and name in LAYERS, f"unexpected public attribute {name!r}"
    assert [name for name in vars(mem) if not name.startswith("_")] == list(LAYERS)
    for layer in LAYERS:
        assert [n for n in vars(getattr(mem, layer)) if not n.startswith("_")] == []


@pytest.mark.parametrize("owner", ["memory", *LAYERS])
def test_every_public_method_is_documented_and_typed(owner: str) -> None:
    mem = open_memory(":memory:")
    obj = mem if owner == "memory" else getattr(mem, owner)
    assert type(obj).__doc__ and type(obj).__doc__.strip()
    methods = _public_methods(obj)
    assert methods
    for name, func in methods:
        doc = inspect.getdoc(func) or ""
        summary = doc.splitlines()[0] if doc else ""
        assert summary and summary.endswith("."), f"{owner}.{name}: one-line summary"
        assert "Example:" in doc, f"{owner}.{name}: Example section"
        hints = typing.get_type_hints(func)
        params = [p for p in inspect.signature(func).parameters if p != "self"]
        assert "return" in hints, f"{owner}.{name}: return annotation"
        for param in params:
            assert param in hints, f"{owner}.{name}: annotation of {param}"
        if params:
            assert "Args:" in doc, f"{owner}.{name}: Args section"
            for param in params:
                assert f"{param}:" in doc or f"**{param}:" in doc, f"{owner}.{name}: {param}"
        if hints["return"] is not type(None):
            assert "Returns:" in doc, f"{owner}.{name}: Returns section"


def test_open_memory_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATHENA_STORE", str(tmp_path / "from-env.duckdb"))
    assert repr(open_memory()) == f"<Memory store={tmp_path / 'from-env.duckdb'}>"
    assert repr(open_memory(":memory:")) == "<Memory store=:memory:>"
    with pytest.raises(InvalidArgumentError, match="directory"):
        open_memory(tmp_path)
    with pytest.raises(InvalidArgumentError, match="empty"):
        open_memory("  ")
    link = tmp_path / "link.duckdb"
    os.symlink(tmp_path / "real.duckdb", link)
    assert repr(open_memory(link)) == f"<Memory store={tmp_path / 'real.duckdb'}>"


def test_errors_keep_class_and_message_across_the_wire() -> None:
    original = NotFoundError("no task with id task_0123456789ab")
    again = error_from_wire(json.loads(json.dumps(error_to_wire(original))))
    assert type(again) is NotFoundError and str(again) == str(original)
    assert isinstance(again, KeyError) and str(again) == "no task with id task_0123456789ab"
    locked = error_from_wire(error_to_wire(StoreLockedError("busy")))
    assert type(locked) is StoreLockedError
    internal = error_from_wire(error_to_wire(ZeroDivisionError("boom")))
    assert type(internal).__name__ == "StoreInternalError" and "ZeroDivisionError" in str(internal)
    assert issubclass(InvalidArgumentError, ValueError)


def test_package_exports_what_it_documents() -> None:
    for name in memory_pkg.__all__:
        assert hasattr(memory_pkg, name), name
    assert isinstance(open_memory(":memory:"), Memory)


class JsonOnlyBackend:
    """Wraps a backend and checks that params and results are plain JSON data."""

    def __init__(self, inner: typing.Any) -> None:
        self.inner = inner
        self.ops: set[str] = set()

    def call(self, op: str, params: dict[str, typing.Any]) -> typing.Any:
        assert json.loads(json.dumps(params, allow_nan=False)) == params, op
        result = self.inner.call(op, params)
        assert json.loads(json.dumps(result, allow_nan=False)) == result, op
        self.ops.add(op)
        return result

    def close(self) -> None:
        self.inner.close()


def test_every_op_exchanges_only_plain_json() -> None:
    from athena_kernel.memory import LocalBackend
    from athena_kernel.memory.params import OPS

    backend = JsonOnlyBackend(LocalBackend(":memory:"))
    mem = Memory(backend)
    record = mem.remember("json check", tags=["t"], metadata={"k": [1, 2.5, None]})
    mem.remember_many(["one", {"content": "two"}])
    mem.recall("json", since="2000-01-01", until="2100-01-01", layers=["semantic"], tags=["t"])
    mem.get(record.id)
    mem.update(record.id, importance=0.7)
    event = mem.events.record("deploy", "shipped", at="2024-01-01T00:00:00Z")
    mem.events.recent()
    mem.events.between("2023-01-01", "2025-01-01")
    mem.events.search("shipped", session="s")
    task = mem.tasks.create("do it", due="2030-01-01")
    mem.tasks.list()
    mem.tasks.update(task.id, priority="high")
    mem.tasks.complete(task.id)
    mem.tasks.overdue()
    mem.graph.add_entity("a", "thing")
    mem.graph.add_entity("b", "thing")
    mem.graph.relate("a", "b", "knows")
    mem.graph.find("a")
    mem.graph.search("thing")
    mem.graph.neighbors("a")
    mem.graph.path("a", "b")
    mem.procedures.save("p", "x = 1\n")
    mem.procedures.save("p", "x = 2\n")
    mem.procedures.get("p")
    mem.procedures.list()
    mem.procedures.history("p")
    mem.procedures.diff("p", 1, 2)
    mem.procedures.rollback("p", 1)
    mem.procedures.search("p")
    backend.call(
        "procedures.record_run",
        {"run_id": "run-12345678", "name": "p", "ok": True, "duration_s": 1},
    )
    mem.procedures.delete("p")
    plan = mem.plans.create("goal", ["step"])
    mem.plans.get(plan.id)
    mem.plans.list()
    mem.plans.update_step(plan.id, 0, "done")
    mem.stats()
    mem.consolidate(dry_run=True)
    mem.forget(event.id)
    assert backend.ops == set(OPS)
