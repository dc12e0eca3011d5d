"""Procedural layer: versioned save, get, list, history, diff, rollback, delete, search, runs."""

from __future__ import annotations

import pytest
from test_memory_support import assert_rejected

from athena_kernel.memory import (
    InvalidArgumentError,
    Memory,
    NotFoundError,
    ProcedureSummary,
    ProcedureVersion,
)

pytest_plugins = ("test_memory_support",)

V1 = '''def greet(name):
    """Say hello to someone."""
    return "hello " + name
'''
V2 = '''def greet(name, punctuation="!"):
    """Say hello to someone."""
    return "hello " + name + punctuation
'''


def test_save_versions_and_get(memory: Memory) -> None:
    first = memory.procedures.save("greet", V1, message="first")
    assert isinstance(first, ProcedureVersion)
    assert (first.name, first.version, first.message) == ("greet", 1, "first")
    assert first.description == "Say hello to someone."  # from the docstring
    assert len(first.code_hash) == 16
    second = memory.procedures.save("greet", V2, description="Greets politely")
    assert second.version == 2 and second.description == "Greets politely"
    third = memory.procedures.save("greet", V1)
    assert third.version == 3 and third.description == "Greets politely"  # kept
    assert memory.procedures.get("greet") == third
    assert memory.procedures.get("greet", version=2).code == V2


def test_identical_code_is_not_a_new_version(memory: Memory) -> None:
    first = memory.procedures.save("greet", V1)
    same = memory.procedures.save("greet", V1.replace("\n", "   \n") + "\n\n")
    assert same == first
    assert [v.version for v in memory.procedures.history("greet")] == [1]


def test_history_diff_and_rollback(memory: Memory) -> None:
    memory.procedures.save("greet", V1)
    memory.procedures.save("greet", V2, message="punctuation")
    diff = memory.procedures.diff("greet", 1, 2)
    assert diff.startswith("--- greet v1\n+++ greet v2\n")
    assert '-    return "hello " + name\n' in diff and '+def greet(name, punctuation="!"):' in diff
    assert memory.procedures.diff("greet", 2, 2) == ""
    rolled = memory.procedures.rollback("greet", 1)
    assert rolled.version == 3 and rolled.code == V1 and rolled.message == "rollback to v1"
    assert memory.procedures.rollback("greet", 1) == rolled  # already current: no new version
    history = memory.procedures.history("greet")
    assert [(v.version, v.code == V1) for v in history] == [(1, True), (2, False), (3, True)]


def test_list_get_by_id_and_run_stats(memory: Memory) -> None:
    memory.procedures.save("greet", V1)
    memory.procedures.save("cleanup", "def cleanup():\n    return 0\n", description="Tidy up")
    summaries = memory.procedures.list()
    assert [s.name for s in summaries] == ["cleanup", "greet"]
    assert all(isinstance(s, ProcedureSummary) for s in summaries)
    assert summaries[0].stats.run_count == 0 and summaries[0].stats.avg_duration_s is None
    backend = memory._backend  # the kernel records runs through a non-facade op
    for run_id, ok, seconds, error in [
        ("run-00000001", True, 0.5, None),
        ("run-00000002", False, 1.5, "ZeroDivisionError: division by zero"),
        ("run-00000003", True, 1.0, None),
        ("run-00000003", True, 1.0, None),  # a retried report counts once
    ]:
        stats = backend.call(
            "procedures.record_run",
            {"run_id": run_id, "name": "greet", "ok": ok, "duration_s": seconds, "error": error},
        )
    assert stats["run_count"] == 3 and stats["successes"] == 2 and stats["failures"] == 1
    greet = next(s for s in memory.procedures.list() if s.name == "greet")
    assert greet.stats.total_duration_s == pytest.approx(3.0)
    assert greet.stats.avg_duration_s == pytest.approx(1.0)
    assert greet.stats.last_error == "ZeroDivisionError: division by zero"
    assert greet.stats.last_run_at is not None
    assert memory.get(greet.id) == greet and "runs=3" in repr(greet)
    with pytest.raises(NotFoundError):
        backend.call(
            "procedures.record_run",
            {"run_id": "run-00000009", "name": "nope", "ok": True, "duration_s": 1},
        )


def test_search_and_delete(memory: Memory) -> None:
    memory.procedures.save(
        "deploy_checklist",
        "def deploy_checklist():\n    return []\n",
        description="Open tasks tagged deploy",
    )
    memory.procedures.save("greet", V1)
    hits = memory.procedures.search("deploy checklist")
    assert hits[0].metadata["name"] == "deploy_checklist" and hits[0].layer == "procedures"
    assert memory.procedures.delete("deploy_checklist") is True
    assert memory.procedures.delete("deploy_checklist") is False
    assert memory.procedures.search("deploy checklist") == []
    with pytest.raises(NotFoundError, match="no procedure named 'deploy_checklist'"):
        memory.procedures.get("deploy_checklist")
    again = memory.procedures.save("deploy_checklist", "x = 1\n")
    assert again.version == 1  # a fresh history after delete


def test_bad_input_is_rejected(memory: Memory) -> None:
    memory.procedures.save("greet", V1)
    p = memory.procedures
    for name in ("../evil", "a/b", "x.y", "C:\\tmp", "with space", "1abc", "", "class"):
        assert_rejected(memory, lambda name=name: p.save(name, V1), "name")
    assert_rejected(memory, lambda: p.save("a" * 65, V1), "name", "64")
    error = assert_rejected(memory, lambda: p.save("broken", "def f(:\n    pass\n"), "line 1")
    assert "syntax error" in str(error)
    assert_rejected(memory, lambda: p.save("broken", "x = 1\ny = (\n"), "syntax error", "line")
    assert_rejected(memory, lambda: p.save("greet", ""), "code", "non-empty")
    assert_rejected(
        memory,
        lambda: p.get("greet", version=7),
        "has no version 7; versions are 1 to 1",
        error=NotFoundError,
    )
    assert_rejected(memory, lambda: p.get("greet", version=0), "version")
    assert_rejected(memory, lambda: p.diff("greet", 1, 9), "no version 9", error=NotFoundError)
    assert_rejected(memory, lambda: p.rollback("greet", 5), "no version 5", error=NotFoundError)
    assert_rejected(memory, lambda: p.history("missing"), "missing", error=NotFoundError)
    with pytest.raises(InvalidArgumentError, match="run_id"):
        memory._backend.call(
            "procedures.record_run", {"run_id": "x", "name": "greet", "ok": True, "duration_s": 1}
        )
