"""Plans: create, get, list, update_step and the derived plan status."""

from __future__ import annotations

from test_memory_support import assert_rejected

from athena_kernel.memory import Memory, NotFoundError, Plan

pytest_plugins = ("test_memory_support",)


def test_create_and_get(memory: Memory) -> None:
    plan = memory.plans.create(
        "Fix staging", ["find the cause", {"description": "patch config", "note": "DATABASE_URL"}]
    )
    assert isinstance(plan, Plan) and plan.id.startswith("plan_")
    assert plan.status == "pending"
    assert [(s.index, s.description, s.status) for s in plan.steps] == [
        (0, "find the cause", "pending"),
        (1, "patch config", "pending"),
    ]
    assert plan.steps[1].note == "DATABASE_URL"
    assert memory.plans.get(plan.id) == plan == memory.get(plan.id)
    assert repr(plan).endswith("steps=0/2 done)")


def test_status_follows_the_steps(memory: Memory) -> None:
    plan = memory.plans.create("Ship it", ["build", "test", "release"])
    plan = memory.plans.update_step(plan.id, 0, status="done", note="green")
    assert plan.status == "active" and plan.steps[0].note == "green"
    plan = memory.plans.update_step(plan.id, 1, "skipped")
    plan = memory.plans.update_step(plan.id, 2, status="done")
    assert plan.status == "completed"
    plan = memory.plans.update_step(plan.id, 2, status="failed")
    assert plan.status == "failed"


def test_list_filters_by_status(memory: Memory) -> None:
    a = memory.plans.create("A", ["one"])
    b = memory.plans.create("B", ["one"])
    memory.plans.update_step(b.id, 0, status="done")
    assert [p.id for p in memory.plans.list(status="completed")] == [b.id]
    assert [p.id for p in memory.plans.list(status="pending")] == [a.id]
    assert {p.id for p in memory.plans.list()} == {a.id, b.id}


def test_plans_are_searchable(memory: Memory) -> None:
    plan = memory.plans.create("Migrate billing", ["export invoices", "import into stripe"])
    hits = memory.recall("stripe invoices", layers=["plans"])
    assert [h.id for h in hits] == [plan.id] and hits[0].metadata["status"] == "pending"


def test_bad_input_is_rejected(memory: Memory) -> None:
    plan = memory.plans.create("Goal", ["one", "two"])
    plans = memory.plans
    assert_rejected(memory, lambda: plans.create("", ["x"]), "goal")
    assert_rejected(memory, lambda: plans.create("g", []), "steps", "at least one")
    assert_rejected(memory, lambda: plans.create("g", "one step"), "steps", "list")
    assert_rejected(memory, lambda: plans.create("g", [""]), "steps[0]", "description")
    assert_rejected(memory, lambda: plans.create("g", [{"status": "done"}]), "steps[0]")
    assert_rejected(
        memory,
        lambda: plans.update_step(plan.id, 2, status="done"),
        "step_index must be between 0 and 1",
    )
    assert_rejected(memory, lambda: plans.update_step(plan.id, -1, status="done"), "step_index")
    assert_rejected(
        memory,
        lambda: plans.update_step(plan.id, 0, status="finished"),
        "status must be one of pending, in_progress, done, skipped, failed; got 'finished'",
    )
    assert_rejected(memory, lambda: plans.list(status="running"), "status", "active")
    assert_rejected(
        memory, lambda: plans.get("plan_0123456789ab"), "plan_0123456789ab", error=NotFoundError
    )
    assert_rejected(memory, lambda: plans.get("task_0123456789ab"), "plan", "task")
