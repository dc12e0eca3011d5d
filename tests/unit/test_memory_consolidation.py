"""consolidate(): deterministic near-duplicate merging and recurring-event patterns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from test_memory_support import assert_rejected, dump_store

from athena_kernel.memory import ConsolidationReport, Memory, MemoryRecord

pytest_plugins = ("test_memory_support",)

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


def _duplicates(memory: Memory) -> tuple[MemoryRecord, MemoryRecord, MemoryRecord]:
    first = memory.remember(
        "The staging deploy fails when DATABASE_URL points at the read replica",
        tags=["deploy"],
        importance=0.4,
        metadata={"source": "chat"},
    )
    second = memory.remember(
        "the staging deploy fails when DATABASE_URL points at the read replica!",
        tags=["staging"],
        importance=0.9,
        metadata={"source": "ticket", "ticket": 42},
    )
    other = memory.remember("Lunch is served at noon in the cafeteria")
    return first, second, other


def test_dry_run_reports_but_changes_nothing(memory: Memory) -> None:
    first, second, _ = _duplicates(memory)
    for day in range(3):
        memory.events.record(
            "deploy",
            f"build {day} failed: disk full",
            outcome="failure",
            at=T0 + timedelta(days=day),
        )
    before = dump_store(memory)
    report = memory.consolidate(dry_run=True)
    assert isinstance(report, ConsolidationReport) and report.dry_run
    assert [(g.kept, g.removed) for g in report.merged] == [(first.id, [second.id])]
    assert len(report.patterns) == 1 and report.patterns[0].memory_id is None
    assert dump_store(memory) == before


def test_merges_near_duplicates_into_the_oldest(memory: Memory) -> None:
    first, second, other = _duplicates(memory)
    report = memory.consolidate()
    assert [(g.kept, g.removed) for g in report.merged] == [(first.id, [second.id])]
    assert report.merged[0].similarity == 1.0  # same words after case/punctuation folding
    kept = memory.get(first.id)
    assert kept.tags == ["deploy", "staging"] and kept.importance == 0.9
    assert kept.metadata == {"source": "chat", "ticket": 42}
    assert memory.forget(second.id) is False  # merged away
    assert memory.get(other.id) == other
    hits = memory.recall("staging deploy replica", tags=["staging"])
    assert [h.id for h in hits] == [first.id]  # re-indexed with the merged tags
    assert memory.consolidate().merged == []  # nothing left to merge


def test_similarity_threshold(memory: Memory) -> None:
    a = memory.remember("alpha beta gamma delta epsilon zeta eta theta iota kappa")
    b = memory.remember("alpha beta gamma delta epsilon zeta eta theta iota lambda")
    assert memory.consolidate(dry_run=True).merged == []  # Jaccard 9/11 = 0.82 < 0.85
    report = memory.consolidate(similarity=0.8)
    assert [(g.kept, g.removed) for g in report.merged] == [(a.id, [b.id])]
    assert report.merged[0].similarity == round(9 / 11, 4)


def test_older_than_limits_what_is_considered(memory: Memory) -> None:
    _duplicates(memory)
    report = memory.consolidate(older_than=timedelta(hours=1))
    assert report.merged == [] and report.memories_considered == 0
    assert report.cutoff is not None


def test_recurring_events_become_a_pattern_linked_to_its_sources(memory: Memory) -> None:
    events = [
        memory.events.record(
            "deploy",
            f"build {n} failed: disk full",
            outcome="failure",
            tags=["ci"],
            at=T0 + timedelta(hours=n),
        )
        for n in range(4)
    ]
    memory.events.record("deploy", "build 9 succeeded", outcome="success", at=T0)
    memory.events.record("deploy", "build 10 failed: disk full", outcome="success", at=T0)
    report = memory.consolidate()
    assert len(report.patterns) == 1
    info = report.patterns[0]
    assert info.created and info.occurrences == 4 and info.outcome == "failure"
    assert info.source_ids == [e.id for e in reversed(events)]
    pattern = memory.get(info.memory_id)
    assert pattern.kind == "pattern" and set(pattern.sources) == {e.id for e in events}
    assert "Recurring deploy event (failure), seen 4 times" in pattern.content
    assert pattern.tags == ["pattern", "ci"] and pattern.metadata["occurrences"] == 4
    assert all(memory.get(source).event_type == "deploy" for source in pattern.sources)
    assert [h.id for h in memory.recall("recurring deploy disk full", layers=["semantic"])] == [
        pattern.id
    ]
    # running again changes nothing; a new occurrence updates the same pattern memory
    assert memory.consolidate().patterns == []
    memory.events.record(
        "deploy", "build 77 failed: disk full", outcome="failure", at=T0 + timedelta(days=2)
    )
    again = memory.consolidate().patterns
    assert [(p.memory_id, p.created, p.occurrences) for p in again] == [(pattern.id, False, 5)]
    assert "seen 5 times" in memory.get(pattern.id).content
    assert memory.stats().counts["semantic"] == 1


def test_bad_input_is_rejected(memory: Memory) -> None:
    _duplicates(memory)
    assert_rejected(memory, lambda: memory.consolidate(older_than="last week"), "older_than")
    assert_rejected(memory, lambda: memory.consolidate(older_than=-5), "older_than", "negative")
    assert_rejected(memory, lambda: memory.consolidate(similarity=0), "similarity")
    assert_rejected(memory, lambda: memory.consolidate(min_occurrences=1), "min_occurrences")
    assert_rejected(memory, lambda: memory.consolidate(dry_run="yes"), "dry_run")


def test_many_identical_memories_merge_into_the_oldest(memory: Memory) -> None:
    from athena_kernel.memory.engine.near_duplicates import FULL_BUCKET

    ids = memory.remember_many(["the nightly backup finished"] * (FULL_BUCKET + 10))
    memory.remember("a different memory about lunch")
    report = memory.consolidate()
    assert len(report.merged) == 1
    group = report.merged[0]
    assert group.kept == min(ids)  # one batch shares created_at: the smallest id is "oldest"
    assert sorted([group.kept, *group.removed]) == sorted(ids)
    assert memory.stats().counts["semantic"] == 2
