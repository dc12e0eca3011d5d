"""Episodic layer: record, recent, between, search."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from test_memory_support import assert_rejected

from athena_kernel.memory import Event, Memory

pytest_plugins = ("test_memory_support",)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_record_and_read_back(memory: Memory) -> None:
    event = memory.events.record(
        "deploy",
        "staging deploy failed: read-only transaction",
        outcome="failure",
        session="s1",
        tags=["staging"],
        metadata={"build": 7},
        at="2024-05-01T12:00:00Z",
    )
    assert isinstance(event, Event) and event.id.startswith("evt_")
    assert event.at == T0 and event.outcome == "failure" and event.session == "s1"
    assert memory.get(event.id) == event


def test_naive_and_date_times_are_utc(memory: Memory) -> None:
    naive = memory.events.record("x", "naive time", at=datetime(2024, 5, 1, 12, 0))
    day = memory.events.record("x", "a date", at=date(2024, 5, 2))
    assert naive.at == T0
    assert day.at == datetime(2024, 5, 2, tzinfo=timezone.utc)


def test_recent_is_newest_first_with_filters(memory: Memory) -> None:
    for i in range(5):
        memory.events.record(
            "tool_call" if i % 2 else "deploy",
            f"event {i}",
            session="a" if i < 3 else "b",
            at=T0 + timedelta(minutes=i),
        )
    assert [e.content for e in memory.events.recent(3)] == ["event 4", "event 3", "event 2"]
    assert [e.content for e in memory.events.recent(session="a")] == [
        "event 2",
        "event 1",
        "event 0",
    ]
    assert [e.content for e in memory.events.recent(event_type="tool_call")] == [
        "event 3",
        "event 1",
    ]


def test_between_is_half_open_and_ordered(memory: Memory) -> None:
    for i in range(6):
        memory.events.record("tick", f"tick {i}", at=T0 + timedelta(hours=i))
    window = memory.events.between(T0 + timedelta(hours=1), T0 + timedelta(hours=4))
    assert [e.content for e in window] == ["tick 1", "tick 2", "tick 3"]
    assert memory.events.between(T0, T0 + timedelta(days=1), event_type="other") == []
    assert len(memory.events.between(T0, T0 + timedelta(days=1), limit=2)) == 2


def test_search_with_exact_filters_beyond_the_best_hits(memory: Memory) -> None:
    # many strong matches in session "noise", one weak match in session "needle"
    for i in range(60):
        memory.events.record("deploy", f"deploy failed deploy failed again {i}", session="noise")
    target = memory.events.record("deploy", "deploy failed once", session="needle")
    memory.remember("deploy failed in the semantic layer")
    hits = memory.events.search("deploy failed", session="needle", limit=5)
    assert [h.id for h in hits] == [target.id]
    assert all(h.layer == "events" for h in memory.events.search("deploy failed", limit=50))
    assert len(memory.events.search("deploy failed", event_type="deploy", limit=100)) == 61
    assert memory.events.search("deploy failed", event_type="nothing") == []


def test_search_time_and_tag_filters(memory: Memory) -> None:
    a = memory.events.record("alert", "disk full on db-1", tags=["db"], at=T0)
    b = memory.events.record("alert", "disk full on web-1", at=T0 + timedelta(days=1))
    assert [h.id for h in memory.events.search("disk full", tags=["db"])] == [a.id]
    assert [h.id for h in memory.events.search("disk full", since=T0 + timedelta(hours=1))] == [
        b.id
    ]
    assert [h.id for h in memory.events.search("disk full", until=T0 + timedelta(hours=1))] == [
        a.id
    ]


def test_bad_input_is_rejected(memory: Memory) -> None:
    memory.events.record("deploy", "ok")
    ev = memory.events
    assert_rejected(memory, lambda: ev.record("", "x"), "event_type", "non-empty")
    assert_rejected(memory, lambda: ev.record("deploy", ""), "content", "non-empty")
    assert_rejected(memory, lambda: ev.record("deploy", "x", at="noon"), "at", "ISO-8601")
    assert_rejected(memory, lambda: ev.record("deploy", "x", at=12), "at")  # type: ignore[arg-type]
    assert_rejected(memory, lambda: ev.recent(0), "limit")
    assert_rejected(memory, lambda: ev.between(T0, T0), "end must be after start")
    assert_rejected(memory, lambda: ev.between("x", T0), "start")
    assert_rejected(memory, lambda: ev.between(None, T0), "start")  # type: ignore[arg-type]
    assert_rejected(memory, lambda: ev.search(""), "query")
    assert_rejected(memory, lambda: ev.search("x", limit=5000), "limit")
