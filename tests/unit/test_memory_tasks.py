"""Prospective layer: create, list, update, complete, overdue."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from test_memory_support import assert_rejected

from athena_kernel.memory import Memory, NotFoundError, Priority, Task, TaskStatus

pytest_plugins = ("test_memory_support",)


def test_create_defaults(memory: Memory) -> None:
    task = memory.tasks.create("Rotate the API keys")
    assert isinstance(task, Task) and task.id.startswith("task_")
    assert task.status == "pending" and task.priority == "medium" and task.due is None
    assert task.completed_at is None and memory.get(task.id) == task


def test_list_orders_open_urgent_soonest_first(memory: Memory) -> None:
    now = datetime.now(timezone.utc)
    low = memory.tasks.create("low one", priority="low")
    later = memory.tasks.create("high later", priority="high", due=now + timedelta(days=3))
    sooner = memory.tasks.create("high sooner", priority=Priority.HIGH, due=now + timedelta(days=1))
    urgent = memory.tasks.create("urgent", priority="URGENT")
    done = memory.tasks.create("done already", priority="urgent")
    memory.tasks.complete(done.id)
    order = [t.id for t in memory.tasks.list()]
    assert order == [urgent.id, sooner.id, later.id, low.id, done.id]
    assert [t.id for t in memory.tasks.list(status="done")] == [done.id]
    assert [t.id for t in memory.tasks.list(status=TaskStatus.PENDING, limit=2)] == [
        urgent.id,
        sooner.id,
    ]


def test_list_filters_by_tags(memory: Memory) -> None:
    a = memory.tasks.create("a", tags=["deploy", "staging"])
    memory.tasks.create("b", tags=["deploy"])
    assert [t.id for t in memory.tasks.list(tags=["staging"])] == [a.id]
    assert len(memory.tasks.list(tags=["deploy"])) == 2


def test_update_fields_and_clear_due(memory: Memory) -> None:
    task = memory.tasks.create("Write docs", due="2030-01-01", tags=["docs"])
    updated = memory.tasks.update(task.id, title="Write the docs", status="in_progress")
    assert updated.title == "Write the docs" and updated.status == "in_progress"
    assert updated.due == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert [h.id for h in memory.recall("write the docs", layers=["tasks"])] == [task.id]
    cleared = memory.tasks.update(task.id, due=None, tags=None)
    assert cleared.due is None and cleared.tags == []
    done = memory.tasks.update(task.id, status="done")
    assert done.completed_at is not None
    reopened = memory.tasks.update(task.id, status="pending")
    assert reopened.completed_at is None


def test_complete_and_overdue(memory: Memory) -> None:
    past = memory.tasks.create("late", due=datetime.now(timezone.utc) - timedelta(hours=1))
    memory.tasks.create("future", due=datetime.now(timezone.utc) + timedelta(days=1))
    memory.tasks.create("no due date")
    assert [t.id for t in memory.tasks.overdue()] == [past.id]
    completed = memory.tasks.complete(past.id)
    assert completed.status == "done" and completed.completed_at is not None
    assert memory.tasks.complete(past.id) == completed  # completing twice changes nothing
    assert memory.tasks.overdue() == []


def test_bad_input_is_rejected(memory: Memory) -> None:
    task = memory.tasks.create("existing")
    tasks = memory.tasks
    assert_rejected(
        memory,
        lambda: tasks.create("x", priority="hgh"),
        "priority must be one of low, medium, high, urgent; got 'hgh'",
    )
    assert_rejected(memory, lambda: tasks.create(""), "title", "non-empty")
    assert_rejected(memory, lambda: tasks.create("x", due="soon"), "due", "ISO-8601")
    assert_rejected(
        memory,
        lambda: tasks.list(status="open"),
        "status must be one of pending, in_progress, done, cancelled; got 'open'",
    )
    assert_rejected(memory, lambda: tasks.update(task.id, colour="red"), "unexpected", "colour")
    assert_rejected(memory, lambda: tasks.update(task.id, status="finished"), "status", "done")
    assert_rejected(memory, lambda: tasks.update(task.id, title=None), "title")
    assert_rejected(memory, lambda: tasks.complete("mem_0123456789ab"), "task", "mem_")
    assert_rejected(
        memory,
        lambda: tasks.complete("task_0123456789ab"),
        "task_0123456789ab",
        error=NotFoundError,
    )
    with pytest.raises(NotFoundError):
        tasks.update("task_0123456789ab", title="x")
