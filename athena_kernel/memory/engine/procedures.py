"""Procedures: versioned code by name, unified diffs, rollback, and run statistics.

Versions are numbered 1..N and never rewritten: saving identical code (after normalising
trailing whitespace) returns the latest version, and a rollback appends a copy of an old one.
Running procedures is the kernel's job; it reports each run through ``procedures.record_run``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Sequence
from typing import Any

import duckdb

from ..codehash import code_hash, normalise_code
from ..errors import InvalidArgumentError, NotFoundError
from ..ids import new_id
from ..params import (
    DiffProcedureParams,
    GetProcedureParams,
    ProcedureNameParams,
    RecordRunParams,
    RollbackProcedureParams,
    SaveProcedureParams,
    SearchParams,
)
from ..timeutil import epoch, iso, to_naive_utc
from .base import LayerStore
from .common import fetch_dicts, fetch_one, plain, transaction
from .recall import ranked_hits
from .search_index import DocSource

VERSION_COLUMNS = "name, version, code, description, message, code_hash, created_at"
_STATS_SQL = (
    "SELECT count(*) AS run_count, count(*) FILTER (WHERE ok) AS successes, "
    "count(*) FILTER (WHERE NOT ok) AS failures, coalesce(sum(duration_s), 0) AS total, "
    "max(ran_at) AS last_run_at, arg_max(error, ran_at) FILTER (WHERE NOT ok) AS last_failure "
    "FROM procedure_runs WHERE name = ?"
)


def procedure_text(name: str, description: str, code: str) -> str:
    """The searchable text of a procedure: its name, description and code."""
    return "\n".join(part for part in (name.replace("_", " "), description, code) if part)


def _docstring(code: str) -> str:
    """The module's or first function's/class's docstring (first paragraph), or ``""``."""
    tree = ast.parse(code)
    text = ast.get_docstring(tree)
    if not text:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                text = ast.get_docstring(node)
                break
    return (text or "").split("\n\n")[0].strip()


def check_syntax(code: str) -> None:
    """Raise :class:`InvalidArgumentError` with the line number if ``code`` does not parse."""
    try:
        ast.parse(code)
    except SyntaxError as exc:
        line = (exc.text or "").rstrip()
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        raise InvalidArgumentError(
            f"code has a syntax error at {where}: {exc.msg}" + (f"\n    {line}" if line else "")
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InvalidArgumentError(f"code cannot be parsed: {exc}") from None


class ProcedureStore(LayerStore):
    """``memory.procedures``: the versioned store behind ``%procedure``."""

    layer = "procedures"
    table = "procedures"
    prefix = "proc"
    columns = "id, name, created_at, updated_at"

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "procedures.save": self.save,
            "procedures.get": self.get,
            "procedures.list": self.list,
            "procedures.history": self.history,
            "procedures.diff": self.diff,
            "procedures.rollback": self.rollback,
            "procedures.delete": self.delete,
            "procedures.search": self.search,
            "procedures.record_run": self.record_run,
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: name, description and code of the latest version."""

        def rows(con: Any, after: int) -> Any:
            found = fetch_dicts(
                con,
                "SELECT p.doc_id, p.name, v.description, v.code, p.updated_at FROM procedures p "
                "JOIN procedure_versions v ON v.name = p.name AND v.version = "
                "(SELECT max(version) FROM procedure_versions WHERE name = p.name) "
                "WHERE p.doc_id > ? ORDER BY p.doc_id",
                [after],
            )
            for row in found:
                text = procedure_text(row["name"], row["description"], row["code"])
                yield (row["doc_id"], text, (), epoch(row["updated_at"]))

        return [DocSource(self.layer, self.table, rows)]

    # ----------------------------------------------------------------------------- writing
    def save(self, p: SaveProcedureParams) -> dict[str, Any]:
        """Save code as the next version (identical code returns the latest version)."""
        check_syntax(p.code)
        code = normalise_code(p.code)
        digest = code_hash(code)
        head = self._head(p.name)
        if head is not None and head["code_hash"] == digest:
            return plain(head)
        if p.description is not None:
            description = p.description.strip()
        elif head is not None and head["description"]:
            description = head["description"]
        else:
            description = _docstring(code)
        return self._append(p.name, code, description, p.message, head, new_proc_id=p.id)

    def _append(
        self,
        name: str,
        code: str,
        description: str,
        message: str | None,
        head: dict[str, Any] | None,
        *,
        new_proc_id: str | None = None,
    ) -> dict[str, Any]:
        now = self.ctx.now()
        version = 1 if head is None else head["version"] + 1
        (doc_id,) = self.index.allocate(self.layer)
        old = fetch_one(self.con, "SELECT id, doc_id FROM procedures WHERE name = ?", [name])
        with transaction(self.con):
            if old is None:
                self.con.execute(
                    "INSERT INTO procedures VALUES (?, ?, ?, ?, ?)",
                    [new_proc_id or new_id("proc"), doc_id, name, now, now],
                )
            else:
                self.con.execute(
                    "UPDATE procedures SET doc_id = ?, updated_at = ? WHERE name = ?",
                    [doc_id, now, name],
                )
                self.index.tombstone(self.con, [old["doc_id"]])
            self.con.execute(
                f"INSERT INTO procedure_versions ({VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, version, code, description, message, code_hash(code), now],
            )
        if old is not None:
            self.index.remove([old["doc_id"]])
        self.index.add([(doc_id, procedure_text(name, description, code), (), epoch(now))])
        return self._version(name, version)

    def rollback(self, p: RollbackProcedureParams) -> dict[str, Any]:
        """Append a new version whose code equals version ``p.version`` (no-op if it already is)."""
        target = self._version(p.name, p.version)
        head = self._head(p.name)
        assert head is not None
        if head["code_hash"] == target["code_hash"]:
            return plain(head)
        message = f"rollback to v{p.version}"
        return self._append(p.name, target["code"], target["description"], message, head)

    def delete(self, p: ProcedureNameParams) -> bool:
        """Delete a procedure with all its versions and runs; ``False`` if there was none."""
        row = fetch_one(self.con, "SELECT id FROM procedures WHERE name = ?", [p.name])
        return False if row is None else self.forget_item(row["id"])

    def delete_dependents(self, item_id: str) -> None:
        """A procedure's versions and runs go with it."""
        (name,) = self.con.execute("SELECT name FROM procedures WHERE id = ?", [item_id]).fetchone()
        self.con.execute("DELETE FROM procedure_versions WHERE name = ?", [name])
        self.con.execute("DELETE FROM procedure_runs WHERE name = ?", [name])

    def record_run(self, p: RecordRunParams) -> dict[str, Any]:
        """Record one run (kernel only); a repeated ``run_id`` is recorded once."""
        head = self._head(p.name)
        if head is None:
            raise NotFoundError(f"no procedure named {p.name!r}")
        at = to_naive_utc(p.at) if p.at is not None else self.ctx.now()
        try:
            self.con.execute(
                "INSERT INTO procedure_runs VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [p.run_id, p.name, p.version or head["version"], p.ok, p.duration_s, p.error, at],
            )
        except duckdb.ConstraintException:  # pragma: no cover - ON CONFLICT covers it
            pass
        return self._stats(p.name)

    # ----------------------------------------------------------------------------- reading
    def _head(self, name: str) -> dict[str, Any] | None:
        return fetch_one(
            self.con,
            f"SELECT {VERSION_COLUMNS} FROM procedure_versions WHERE name = ? "
            "ORDER BY version DESC LIMIT 1",
            [name],
        )

    def _version(self, name: str, version: int) -> dict[str, Any]:
        row = fetch_one(
            self.con,
            f"SELECT {VERSION_COLUMNS} FROM procedure_versions WHERE name = ? AND version = ?",
            [name, version],
        )
        if row is not None:
            return plain(row)
        head = self._head(name)
        if head is None:
            raise NotFoundError(f"no procedure named {name!r}")
        raise NotFoundError(
            f"procedure {name!r} has no version {version}; versions are 1 to {head['version']}"
        )

    def get(self, p: GetProcedureParams) -> dict[str, Any]:
        """One version (default: the latest)."""
        if p.version is None:
            head = self._head(p.name)
            if head is None:
                raise NotFoundError(f"no procedure named {p.name!r}")
            return plain(head)
        return self._version(p.name, p.version)

    def history(self, p: ProcedureNameParams) -> list[dict[str, Any]]:
        """Every version, oldest first."""
        rows = fetch_dicts(
            self.con,
            f"SELECT {VERSION_COLUMNS} FROM procedure_versions WHERE name = ? ORDER BY version",
            [p.name],
        )
        if not rows:
            raise NotFoundError(f"no procedure named {p.name!r}")
        return [plain(row) for row in rows]

    def diff(self, p: DiffProcedureParams) -> str:
        """Unified diff from version ``v1`` to version ``v2``."""
        a = self._version(p.name, p.v1)
        b = self._version(p.name, p.v2)
        return "".join(
            difflib.unified_diff(
                a["code"].splitlines(keepends=True),
                b["code"].splitlines(keepends=True),
                fromfile=f"{p.name} v{p.v1}",
                tofile=f"{p.name} v{p.v2}",
            )
        )

    def list(self, p: Any = None) -> list[dict[str, Any]]:
        """Every procedure's summary, by name."""
        names = [
            row[0] for row in self.con.execute("SELECT id FROM procedures ORDER BY name").fetchall()
        ]
        return [self.get_item(item_id) for item_id in names]  # type: ignore[misc]

    def search(self, p: SearchParams) -> list[dict[str, Any]]:
        """Ranked search over procedures' names, descriptions and code."""
        return ranked_hits(
            self.index, {self.layer: self}, p.query, limit=p.limit, layers=[self.layer]
        )

    def _stats(self, name: str) -> dict[str, Any]:
        row = fetch_one(self.con, _STATS_SQL, [name]) or {}
        count = int(row.get("run_count") or 0)
        total = float(row.get("total") or 0.0)
        return {
            "run_count": count,
            "successes": int(row.get("successes") or 0),
            "failures": int(row.get("failures") or 0),
            "total_duration_s": total,
            "avg_duration_s": total / count if count else None,
            "last_run_at": iso(row.get("last_run_at")),
            "last_error": row.get("last_failure"),
        }

    def get_item(self, item_id: str) -> dict[str, Any] | None:
        """The summary of a procedure (``proc_…`` id): latest version, description, stats."""
        row = fetch_one(
            self.con,
            "SELECT id, name, created_at, updated_at FROM procedures WHERE id = ?",
            [item_id],
        )
        if row is None:
            return None
        head = self._head(row["name"])
        assert head is not None
        return {
            **plain(row),
            "latest_version": head["version"],
            "description": head["description"],
            "stats": self._stats(row["name"]),
        }

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields of these procedures (text: name and description; metadata: version)."""
        rows = self.rows_by_doc_ids("doc_id, id, name, updated_at", doc_ids)
        out: dict[int, dict[str, Any]] = {}
        for row in rows:
            head = self._head(row["name"])
            assert head is not None
            text = f"{row['name']}: {head['description']}" if head["description"] else row["name"]
            out[row["doc_id"]] = {
                "id": row["id"],
                "text": text,
                "timestamp": iso(row["updated_at"]),
                "tags": [],
                "metadata": {"name": row["name"], "version": head["version"]},
            }
        return out
