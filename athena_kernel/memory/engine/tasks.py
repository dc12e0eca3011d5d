"""Prospective tasks: create, list, update, complete, overdue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from ..errors import ConflictError, NotFoundError
from ..ids import new_id
from ..models import PRIORITIES
from ..params import (
    CreateTaskParams,
    ListTasksParams,
    OverdueParams,
    TaskIdParams,
    UpdateTaskParams,
)
from ..timeutil import epoch, to_naive_utc
from .base import LayerStore
from .common import fetch_dicts, fetch_one, plain
from .search_index import DocSource

COLUMNS = (
    "id, title, description, status, priority, due, tags, created_at, updated_at, completed_at"
)
OPEN_STATUSES = ("pending", "in_progress")
#: ORDER BY for task lists: open first, most urgent, soonest due, oldest
_ORDER = (
    "CASE WHEN status IN ('pending', 'in_progress') THEN 0 ELSE 1 END, "
    "CASE priority "
    + " ".join(f"WHEN '{p}' THEN {i}" for i, p in enumerate(reversed(PRIORITIES)))
    + " END, due ASC NULLS LAST, created_at, id"
)


def task_text(title: str, description: str) -> str:
    """The searchable text of a task."""
    return f"{title} {description}".strip()


class TaskStore(LayerStore):
    """``memory.tasks``: things to do, with status, priority and due date."""

    layer = "tasks"
    table = "tasks"
    prefix = "task"
    columns = COLUMNS

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "tasks.create": self.create,
            "tasks.list": self.list,
            "tasks.update": self.update,
            "tasks.complete": self.complete,
            "tasks.overdue": self.overdue,
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: title and description."""
        sql = (
            "SELECT doc_id, trim(title || ' ' || description), tags, epoch(created_at) "
            "FROM tasks WHERE doc_id > ? ORDER BY doc_id"
        )
        return [DocSource(self.layer, self.table, self.stream_docs(sql))]

    def create(self, p: CreateTaskParams) -> dict[str, Any]:
        """Insert a pending task (a retried call with the same id returns the saved one)."""
        item_id = p.id or new_id("task")
        now = self.ctx.now()
        (doc_id,) = self.index.allocate(self.layer)
        due = to_naive_utc(p.due) if p.due is not None else None
        try:
            self.con.execute(
                f"INSERT INTO tasks (doc_id, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    *(doc_id, item_id, p.title, p.description, "pending", p.priority, due),
                    *(p.tags, now, now, None),  # tags, created_at, updated_at, completed_at
                ],
            )
        except duckdb.ConstraintException:
            existing = self.get_item(item_id)
            if existing is not None and existing["title"] == p.title:
                return existing
            raise ConflictError(f"id {item_id} is already used by another task") from None
        self.index.add([(doc_id, task_text(p.title, p.description), p.tags, epoch(now))])
        return self.require(item_id)

    def list(self, p: ListTasksParams) -> list[dict[str, Any]]:
        """Tasks, open and most urgent first; ``status`` and ``tags`` filter."""
        clauses, args = [], []
        if p.status is not None:
            clauses.append("status = ?")
            args.append(p.status)
        if p.tags:
            clauses.append("list_has_all(tags, ?)")
            args.append(p.tags)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = fetch_dicts(
            self.con,
            f"SELECT {COLUMNS} FROM tasks {where} ORDER BY {_ORDER} LIMIT ?",
            [*args, p.limit],
        )
        return [plain(row) for row in rows]

    def update(self, p: UpdateTaskParams) -> dict[str, Any]:
        """Change the given fields (``due=None`` clears the due date)."""
        changes = {name: getattr(p, name) for name in p.model_fields_set - {"id"}}
        current = fetch_one(self.con, f"SELECT doc_id, {COLUMNS} FROM tasks WHERE id = ?", [p.id])
        if current is None:
            raise NotFoundError(f"no task with id {p.id}")
        if not changes:
            return plain(current)
        now = self.ctx.now()
        merged = {**current, **changes}
        merged["tags"] = list(merged["tags"] or [])
        if merged["due"] is not None:
            merged["due"] = to_naive_utc(merged["due"])
        if "status" in changes:
            merged["completed_at"] = now if merged["status"] == "done" else None
        new_doc = None
        text = task_text(merged["title"], merged["description"])
        if (text, merged["tags"]) != (
            task_text(current["title"], current["description"]),
            list(current["tags"]),
        ):
            (doc_id,) = self.index.allocate(self.layer)
            new_doc = (doc_id, text, merged["tags"], epoch(current["created_at"]))
        self.update_row(
            "UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, due = ?, "
            "tags = ?, updated_at = ?, completed_at = ?, doc_id = ? WHERE id = ?",
            [
                merged["title"],
                merged["description"],
                merged["status"],
                merged["priority"],
                merged["due"],
                merged["tags"],
                now,
                merged["completed_at"],
                new_doc[0] if new_doc else current["doc_id"],
                p.id,
            ],
            old_doc=current["doc_id"],
            new_doc=new_doc,
        )
        return self.require(p.id)

    def complete(self, p: TaskIdParams) -> dict[str, Any]:
        """Mark a task done (completing a done task changes nothing)."""
        current = self.require(p.id)
        if current["status"] == "done":
            return current
        now = self.ctx.now()
        self.con.execute(
            "UPDATE tasks SET status = 'done', completed_at = ?, updated_at = ? WHERE id = ?",
            [now, now, p.id],
        )
        return self.require(p.id)

    def overdue(self, p: OverdueParams) -> list[dict[str, Any]]:
        """Open tasks whose due time has passed, most overdue first."""
        rows = fetch_dicts(
            self.con,
            f"SELECT {COLUMNS} FROM tasks WHERE status IN ('pending', 'in_progress') "
            "AND due IS NOT NULL AND due < ? ORDER BY due, id LIMIT ?",
            [self.ctx.now(), p.limit],
        )
        return [plain(row) for row in rows]

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields of these tasks (metadata carries status, priority and due)."""
        rows = self.rows_by_doc_ids(
            "doc_id, id, title, description, status, priority, due, created_at AS timestamp, tags",
            doc_ids,
        )
        out: dict[int, dict[str, Any]] = {}
        for row in rows:
            hit = plain(row)
            out[row["doc_id"]] = {
                "id": hit["id"],
                "text": task_text(hit["title"], hit["description"]),
                "timestamp": hit["timestamp"],
                "tags": hit["tags"],
                "metadata": {
                    "status": hit["status"],
                    "priority": hit["priority"],
                    "due": hit["due"],
                },
            }
        return out
