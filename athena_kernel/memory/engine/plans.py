"""Plans: a goal with ordered steps; the plan's status follows from its steps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from ..errors import ConflictError, InvalidArgumentError
from ..ids import new_id
from ..params import CreatePlanParams, ListPlansParams, PlanIdParams, UpdateStepParams
from ..timeutil import epoch, iso
from .base import LayerStore
from .common import dumps, fetch_dicts, fetch_one, plain
from .search_index import DocSource

COLUMNS = "id, goal, status, steps, created_at, updated_at"


def plan_text(goal: str, steps: Sequence[dict[str, Any]]) -> str:
    """The searchable text of a plan: its goal and step descriptions."""
    return "\n".join([goal, *(step["description"] for step in steps)])


def plan_status(steps: Sequence[dict[str, Any]]) -> str:
    """``failed`` if a step failed, ``completed`` if all are done or skipped, ``pending`` if none
    has started, else ``active``."""
    statuses = [step["status"] for step in steps]
    if "failed" in statuses:
        return "failed"
    if all(status in ("done", "skipped") for status in statuses):
        return "completed"
    if all(status == "pending" for status in statuses):
        return "pending"
    return "active"


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = plain(row)
    out["steps"] = json.loads(row["steps"])
    return out


class PlanStore(LayerStore):
    """``memory.plans``: goals broken into steps."""

    layer = "plans"
    table = "plans"
    prefix = "plan"
    columns = COLUMNS

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "plans.create": self.create,
            "plans.get": self.get,
            "plans.list": self.list,
            "plans.update_step": self.update_step,
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: goal and step descriptions."""

        def rows(con: Any, after: int) -> Any:
            found = fetch_dicts(
                con,
                "SELECT doc_id, goal, steps, created_at FROM plans WHERE doc_id > ? "
                "ORDER BY doc_id",
                [after],
            )
            for row in found:
                text = plan_text(row["goal"], json.loads(row["steps"]))
                yield (row["doc_id"], text, (), epoch(row["created_at"]))

        return [DocSource(self.layer, self.table, rows)]

    def create(self, p: CreatePlanParams) -> dict[str, Any]:
        """Insert a plan (a retried call with the same id returns the saved one)."""
        item_id = p.id or new_id("plan")
        now = self.ctx.now()
        steps = [
            {
                "index": index,
                "description": step.description,
                "status": step.status,
                "note": step.note,
                "updated_at": iso(now),
            }
            for index, step in enumerate(p.steps)
        ]
        (doc_id,) = self.index.allocate(self.layer)
        try:
            self.con.execute(
                f"INSERT INTO plans (doc_id, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [doc_id, item_id, p.goal, plan_status(steps), dumps(steps), now, now],
            )
        except duckdb.ConstraintException:
            existing = self.get_item(item_id)
            if existing is not None and existing["goal"] == p.goal:
                return existing
            raise ConflictError(f"id {item_id} is already used by another plan") from None
        self.index.add([(doc_id, plan_text(p.goal, steps), (), epoch(now))])
        return self.require(item_id)

    def get(self, p: PlanIdParams) -> dict[str, Any]:
        """One plan with its steps."""
        return self.require(p.id)

    def list(self, p: ListPlansParams) -> list[dict[str, Any]]:
        """Plans, most recently updated first; ``status`` filters."""
        where, args = ("WHERE status = ?", [p.status]) if p.status else ("", [])
        rows = fetch_dicts(
            self.con,
            f"SELECT {COLUMNS} FROM plans {where} ORDER BY updated_at DESC, id LIMIT ?",
            [*args, p.limit],
        )
        return [_public(row) for row in rows]

    def update_step(self, p: UpdateStepParams) -> dict[str, Any]:
        """Set one step's status (and note); the plan's status is recomputed."""
        plan = self.require(p.plan_id)
        steps = plan["steps"]
        if p.step_index >= len(steps):
            raise InvalidArgumentError(
                f"step_index must be between 0 and {len(steps) - 1} for plan {p.plan_id} "
                f"(steps are numbered from 0); got {p.step_index}"
            )
        now = self.ctx.now()
        step = steps[p.step_index]
        step["status"] = p.status
        if p.note is not None:
            step["note"] = p.note
        step["updated_at"] = iso(now)
        self.con.execute(
            "UPDATE plans SET steps = ?, status = ?, updated_at = ? WHERE id = ?",
            [dumps(steps), plan_status(steps), now, p.plan_id],
        )
        return self.require(p.plan_id)

    def get_item(self, item_id: str) -> dict[str, Any] | None:
        """The plan as plain data, or ``None``."""
        row = fetch_one(self.con, f"SELECT {COLUMNS} FROM plans WHERE id = ?", [item_id])
        return None if row is None else _public(row)

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields of these plans (metadata carries the status)."""
        rows = self.rows_by_doc_ids("doc_id, id, goal, status, steps, created_at", doc_ids)
        return {
            row["doc_id"]: {
                "id": row["id"],
                "text": plan_text(row["goal"], json.loads(row["steps"])),
                "timestamp": iso(row["created_at"]),
                "tags": [],
                "metadata": {"status": row["status"]},
            }
            for row in rows
        }
