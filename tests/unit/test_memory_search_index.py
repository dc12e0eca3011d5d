"""The store's search index on a file: snapshot save/restore, replay, tombstones, rebuilds."""

from __future__ import annotations

from pathlib import Path

from test_memory_support import engine_of

from athena_kernel.memory import Memory, open_memory


def _fill(memory: Memory) -> list[str]:
    ids = memory.remember_many([f"harbour log entry {i} about boats and tides" for i in range(40)])
    memory.events.record("storm", "a storm flooded the harbour boats")
    memory.tasks.create("Repair the harbour crane")
    memory.graph.add_entity("harbour", "place", description="boats and tides")
    return ids


def _results(memory: Memory) -> list[tuple[str, str]]:
    return [(h.layer, h.id) for h in memory.recall("harbour boats tides", limit=100)]


def _crash(memory: Memory) -> None:
    """Drop the engine without saving a snapshot (what kill -9 would leave behind)."""
    backend = memory._backend
    engine, backend._engine = backend._engine, None
    engine._closed = True
    engine.con.close()


def test_snapshot_is_saved_at_close_and_restored(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    _fill(memory)
    expected = _results(memory)
    memory.close()
    snapshots = list(tmp_path.glob("m.duckdb.*.search"))
    assert len(snapshots) == 1
    assert not (tmp_path / "m.duckdb.wal").exists()  # checkpointed at close
    reopened = open_memory(path, shared=False)
    assert _results(reopened) == expected
    assert engine_of(reopened).index.restored_from_snapshot
    reopened.close()


def test_changes_after_the_snapshot_are_replayed(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    ids = _fill(memory)
    engine_of(memory).save_snapshot()
    memory.forget(ids[0])
    memory.update(ids[1], content="a note about lighthouses now")
    new = memory.remember("harbour boats tides, remembered after the snapshot")
    task = memory.tasks.list()[0]
    memory.tasks.update(task.id, title="Repair the lighthouse crane")
    expected = _results(memory)
    assert (("semantic", new.id) in expected) and ("semantic", ids[0]) not in expected
    _crash(memory)
    reopened = open_memory(path, shared=False)
    assert _results(reopened) == expected
    index = engine_of(reopened).index
    assert index.restored_from_snapshot and len(index) == reopened.stats().search_documents
    assert [h.id for h in reopened.recall("lighthouses", layers=["semantic"])] == [ids[1]]
    assert [h.id for h in reopened.recall("lighthouse crane", layers=["tasks"])] == [task.id]
    reopened.close()


def test_corrupt_snapshot_is_rebuilt_from_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    _fill(memory)
    expected = _results(memory)
    memory.close()
    (snapshot,) = tmp_path.glob("m.duckdb.*.search")
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    reopened = open_memory(path, shared=False)
    assert _results(reopened) == expected
    assert not engine_of(reopened).index.restored_from_snapshot
    reopened.close()


def test_snapshot_that_disagrees_with_the_tables_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    ids = _fill(memory)
    engine_of(memory).save_snapshot()
    memory.forget(ids[5])
    engine_of(memory).con.execute("DELETE FROM search_tombstones")  # lose the tombstone
    _crash(memory)
    reopened = open_memory(path, shared=False)
    assert ("semantic", ids[5]) not in _results(reopened)
    assert not engine_of(reopened).index.restored_from_snapshot  # count mismatch: rebuilt
    reopened.close()


def test_doc_ids_are_not_reused_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    ids = _fill(memory)
    engine_of(memory).save_snapshot()
    last = memory.remember("the newest memory")
    memory.forget(last.id)
    _crash(memory)
    reopened = open_memory(path, shared=False)
    fresh = reopened.remember("another newest memory")
    assert [h.id for h in reopened.recall("newest memory")] == [fresh.id]
    assert len(reopened.recall("harbour", limit=100)) == len(ids) + 3
    reopened.close()


def test_snapshots_of_an_earlier_database_at_the_same_path_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    memory = open_memory(path, shared=False)
    _fill(memory)
    memory.close()
    (old,) = tmp_path.glob("m.duckdb.*.search")
    path.unlink()  # a new database at the same path gets a new store uid
    memory = open_memory(path, shared=False)
    memory.remember("a fresh store")
    memory.close()
    (new,) = tmp_path.glob("m.duckdb.*.search")
    assert new != old and not old.exists()
    (tmp_path / "m.duckdb.notes.search").write_text("not ours")
    memory = open_memory(path, shared=False)
    memory.remember("again")
    memory.close()
    assert (tmp_path / "m.duckdb.notes.search").exists()
