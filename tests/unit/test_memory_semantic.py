"""Semantic layer: remember, remember_many, get, update, forget, recall and its filters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from test_memory_support import assert_rejected, dump_store, engine_of

from athena_kernel.memory import (
    ConflictError,
    Hit,
    InvalidArgumentError,
    Memory,
    MemoryRecord,
    NotFoundError,
)

pytest_plugins = ("test_memory_support",)


def test_remember_returns_a_saved_record(memory: Memory) -> None:
    record = memory.remember(
        "The staging deploy fails when DATABASE_URL points at the read replica",
        tags=["Deploy", "staging", "deploy"],
        metadata={"source": "incident-42"},
        importance=0.9,
    )
    assert isinstance(record, MemoryRecord)
    assert record.id.startswith("mem_") and len(record.id) == len("mem_") + 12
    assert record.tags == ["deploy", "staging"]  # normalised, de-duplicated
    assert record.metadata == {"source": "incident-42"}
    assert record.importance == 0.9 and record.kind == "memory" and record.sources == []
    assert record.created_at.tzinfo is not None
    assert memory.get(record.id) == record


def test_remembered_text_is_recallable_immediately(memory: Memory) -> None:
    for i in range(50):
        memory.remember(f"filler note number {i} about lunch menus")
    record = memory.remember("The flux capacitor needs 1.21 gigawatts")
    hits = memory.recall("flux capacitor gigawatts")
    assert hits and hits[0].id == record.id
    assert isinstance(hits[0], Hit)
    assert hits[0].layer == "semantic" and hits[0].score > 0
    assert hits[0].text == record.content


def test_recall_ranks_the_best_match_first(memory: Memory) -> None:
    memory.remember("Postgres is the primary database of the orders service")
    best = memory.remember("The orders service database migrations run with alembic nightly")
    memory.remember("Lunch is served at noon")
    hits = memory.recall("orders database migrations")
    assert hits[0].id == best.id
    assert all(hit.text != "Lunch is served at noon" for hit in hits)


def test_recall_filters_by_tags(memory: Memory) -> None:
    a = memory.remember("deploy notes for staging", tags=["staging", "deploy"])
    memory.remember("deploy notes for production", tags=["production", "deploy"])
    assert [h.id for h in memory.recall("deploy notes", tags=["staging"])] == [a.id]
    assert len(memory.recall("deploy notes", tags=["deploy"])) == 2
    assert memory.recall("deploy notes", tags=["staging", "production"]) == []


def test_recall_filters_by_time(memory: Memory) -> None:
    old = memory.remember("quarterly report draft")
    cut = datetime.now(timezone.utc)
    new = memory.remember("quarterly report final")
    assert [h.id for h in memory.recall("quarterly report", since=cut)] == [new.id]
    assert [h.id for h in memory.recall("quarterly report", until=cut)] == [old.id]
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date()
    assert len(memory.recall("quarterly report", until=tomorrow.isoformat())) == 2


def test_recall_filters_by_layer_across_layers(memory: Memory) -> None:
    m = memory.remember("the staging cluster runs out of disk")
    e = memory.events.record("alert", "staging cluster disk full", outcome="failure")
    t = memory.tasks.create("Grow the staging cluster disk")
    g = memory.graph.add_entity("staging cluster", "environment", description="disk-heavy")
    p = memory.procedures.save("clean_staging_disk", "def clean_staging_disk():\n    pass\n")
    plan = memory.plans.create("Fix staging disk", ["find big files", "delete them"])
    hits = memory.recall("staging disk", limit=20)
    assert {h.layer for h in hits} == {
        "semantic",
        "events",
        "tasks",
        "graph",
        "procedures",
        "plans",
    }
    by_layer = {h.layer: h.id for h in hits}
    assert by_layer["semantic"] == m.id and by_layer["events"] == e.id
    assert by_layer["tasks"] == t.id and by_layer["graph"] == g.id
    assert by_layer["plans"] == plan.id and by_layer["procedures"].startswith("proc_")
    assert memory.get(by_layer["procedures"]).name == p.name
    only = memory.recall("staging disk", layers=["events", "tasks"])
    assert {h.layer for h in only} == {"events", "tasks"}


def test_recall_rejects_bad_arguments(memory: Memory) -> None:
    memory.remember("something")
    assert_rejected(memory, lambda: memory.recall(""), "query", "non-empty")
    assert_rejected(memory, lambda: memory.recall("x", limit=0), "limit", "between 1 and 1000")
    assert_rejected(
        memory, lambda: memory.recall("x", layers=["semantic", "dreams"]), "layers", "dreams"
    )
    assert_rejected(memory, lambda: memory.recall("x", since="yesterday"), "since", "ISO-8601")
    assert_rejected(memory, lambda: memory.recall("x", tags=[""]), "tags")


def test_remember_rejects_bad_input_and_leaves_store_unchanged(memory: Memory) -> None:
    memory.remember("existing")
    assert_rejected(memory, lambda: memory.remember(""), "content", "non-empty")
    assert_rejected(memory, lambda: memory.remember("   "), "content", "non-empty")
    assert_rejected(memory, lambda: memory.remember(42), "content", "string")  # type: ignore[arg-type]
    assert_rejected(memory, lambda: memory.remember("x", importance=1.5), "importance", "0 and 1")
    assert_rejected(
        memory,
        lambda: memory.remember("x", importance="high"),  # type: ignore[arg-type]
        "importance",
    )
    assert_rejected(memory, lambda: memory.remember("x", tags="a\nb"), "tags", "control")
    assert_rejected(memory, lambda: memory.remember("x", tags=[3]), "tags")  # type: ignore[list-item]
    assert_rejected(
        memory,
        lambda: memory.remember("x", metadata={"when": datetime.now()}),
        "metadata",
        "JSON",
    )
    assert_rejected(memory, lambda: memory.remember("x", metadata=[1]), "metadata", "dict")  # type: ignore[arg-type]


def test_get_and_forget(memory: Memory) -> None:
    record = memory.remember("temporary note about the build cache")
    assert memory.forget(record.id) is True
    assert memory.forget(record.id) is False
    with pytest.raises(NotFoundError, match=record.id):
        memory.get(record.id)
    assert memory.recall("temporary build cache") == []


def test_get_and_forget_reject_malformed_ids(memory: Memory) -> None:
    memory.remember("keep me")
    for bad in ("", "mem_", "mem_XYZ", "../../etc/passwd", "foo_0123456789ab"):
        assert_rejected(memory, lambda bad=bad: memory.get(bad), "id", "mem_")
        assert_rejected(memory, lambda bad=bad: memory.forget(bad), "id")
    with pytest.raises(KeyError):  # NotFoundError is also a KeyError
        memory.get("mem_0123456789ab")


def test_update_changes_fields_and_reindexes(memory: Memory) -> None:
    record = memory.remember("the cache lives in redis", tags=["infra"], importance=0.2)
    updated = memory.update(record.id, content="the cache lives in memcached", importance=0.7)
    assert updated.content == "the cache lives in memcached"
    assert updated.importance == 0.7 and updated.tags == ["infra"]
    assert updated.updated_at >= record.updated_at and updated.created_at == record.created_at
    assert memory.recall("redis") == []
    assert [h.id for h in memory.recall("memcached")] == [record.id]
    retagged = memory.update(record.id, tags=[])
    assert retagged.tags == []
    assert memory.recall("memcached", tags=["infra"]) == []
    assert memory.update(record.id, metadata={"k": 1}).metadata == {"k": 1}


def test_update_rejects_bad_input(memory: Memory) -> None:
    record = memory.remember("stable text")
    assert_rejected(memory, lambda: memory.update(record.id, content=""), "content")
    assert_rejected(memory, lambda: memory.update(record.id, importance=-1), "importance")
    assert_rejected(memory, lambda: memory.update("task_0123456789ab", content="x"), "mem_", "task")
    assert_rejected(
        memory,
        lambda: memory.update("mem_0123456789ab", content="x"),
        "mem_0123456789ab",
        error=NotFoundError,
    )


def test_remember_many_ingests_strings_and_dicts(memory: Memory) -> None:
    items = [f"bulk fact number {i}" for i in range(250)]
    items.append({"content": "a tagged bulk fact", "tags": ["Bulk"], "importance": 0.9})
    ids = memory.remember_many(items)
    assert len(ids) == len(set(ids)) == 251
    assert memory.stats().counts["semantic"] == 251
    tagged = memory.get(ids[-1])
    assert tagged.tags == ["bulk"] and tagged.importance == 0.9
    assert [h.id for h in memory.recall("tagged bulk", tags=["bulk"])] == [ids[-1]]
    assert memory.get(ids[17]).content == "bulk fact number 17"


def test_remember_many_validates_everything_before_saving(memory: Memory) -> None:
    items = ["fine", "also fine", {"content": ""}]
    assert_rejected(memory, lambda: memory.remember_many(items), "items[2]", "content")
    assert_rejected(memory, lambda: memory.remember_many("text"), "items", "list")  # type: ignore[arg-type]
    assert_rejected(memory, lambda: memory.remember_many([3]), "items[0]")  # type: ignore[list-item]


def test_retried_remember_with_the_same_id_is_idempotent(memory: Memory) -> None:
    params = {"id": "mem_00000000abcd", "content": "sent twice"}
    first = memory._backend.call("remember", params)
    second = memory._backend.call("remember", params)
    assert first["id"] == second["id"] and memory.stats().counts["semantic"] == 1
    assert len(memory.recall("sent twice")) == 1
    with pytest.raises(ConflictError, match="already used"):
        memory._backend.call("remember", {"id": "mem_00000000abcd", "content": "other"})


def test_store_rejects_unknown_ops_and_extra_params(memory: Memory) -> None:
    with pytest.raises(InvalidArgumentError, match="unknown operation"):
        memory._backend.call("drop_everything", {})
    with pytest.raises(InvalidArgumentError, match="unexpected argument 'sql'"):
        memory._backend.call("remember", {"content": "x", "sql": "DROP TABLE memories"})


def test_reprs_are_short_and_readable(memory: Memory) -> None:
    record = memory.remember("word " * 500, tags=["t"])
    text = repr(record)
    assert text.startswith("MemoryRecord(id='mem_") and len(text) < 250 and "…" in text
    hit = memory.recall("word")[0]
    assert repr(hit).startswith("Hit(layer='semantic'") and len(repr(hit)) < 250
    assert "metadata" not in repr(record)  # empty fields are left out
    assert dump_store(memory)["search_documents"] == 1


def test_group_commit_batch_falls_back_per_request(memory: Memory) -> None:
    from athena_kernel.memory.params import RememberParams

    engine = engine_of(memory)
    saved = memory._backend.call("remember", {"id": "mem_0000000000aa", "content": "first"})
    batch = [
        RememberParams(id="mem_0000000000bb", content="new one"),
        RememberParams(id="mem_0000000000aa", content="first"),  # a retry: same content
        RememberParams(id="mem_0000000000aa", content="clash"),  # a reused id: conflict
    ]
    results = engine.stores["semantic"].remember_batch(batch)
    assert results[0]["id"] == "mem_0000000000bb"
    assert results[1] == saved
    assert isinstance(results[2], ConflictError)
    assert memory.stats().counts["semantic"] == 2
    assert [h.id for h in memory.recall("new one")] == ["mem_0000000000bb"]


def test_concurrent_writers_in_one_process(memory: Memory) -> None:
    import threading

    ids: list[str] = []
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(50):
                ids.append(memory.remember(f"thread {worker} note {i}").id)
                ids.append(memory.events.record("tick", f"thread {worker} event {i}").id)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    counts = memory.stats().counts
    assert counts["semantic"] == 200 and counts["events"] == 200 and len(set(ids)) == 400
    assert memory.stats().search_documents == 400
    assert all(memory.get(item_id).id == item_id for item_id in ids[::17])
