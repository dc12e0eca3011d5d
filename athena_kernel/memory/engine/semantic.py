"""Semantic memories: remember (one or a batch), update, get, forget, and recall hits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from ..errors import ConflictError, InvalidArgumentError, NotFoundError
from ..ids import new_id
from ..params import RememberManyParams, RememberParams, UpdateMemoryParams
from ..timeutil import epoch, iso
from .base import LayerStore
from .common import dumps, fetch_one, placeholders, plain, transaction
from .search_index import DocRow, DocSource

#: separator of tags packed into one string for the batch insert (tags hold no control chars)
_TAG_SEPARATOR = "\x1f"


class SemanticStore(LayerStore):
    """``remember``, ``remember_many``, ``update`` and the semantic side of get/forget/recall."""

    layer = "semantic"
    table = "memories"
    prefix = "mem"
    columns = (
        "id, content, tags, metadata, importance, kind, coalesce(sources, []) AS sources, "
        "created_at, updated_at"
    )

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "remember": self.remember,
            "remember_many": self.remember_many,
            "update": self.update,
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: the content (tags are indexed by the ranker from ``tags``)."""
        sql = (
            "SELECT doc_id, content, tags, epoch(created_at) FROM memories "
            "WHERE doc_id > ? ORDER BY doc_id"
        )
        return [DocSource(self.layer, self.table, self.stream_docs(sql))]

    # ----------------------------------------------------------------------------- writes
    def remember(self, p: RememberParams) -> dict[str, Any]:
        """Insert one memory (a retried call with the same id returns the saved one)."""
        record, doc = self.insert(**_fields(p))
        if doc is not None:
            self.index.add([doc])
        return record

    def remember_batch(self, requests: Sequence[RememberParams]) -> list[Any]:
        """Concurrent ``remember`` calls committed together (see :meth:`LayerStore.run_batch`)."""
        return self.run_batch(
            requests, lambda batch: self.insert_rows([_fields(p) for p in batch]), self.remember
        )

    def insert(self, **fields: Any) -> tuple[dict[str, Any], DocRow | None]:
        """Insert a memory row: ``(record, search doc to index after the commit)``.

        When the id exists with the same content (a retried call), returns the stored record
        and no doc; with other content, raises :class:`ConflictError`.
        """
        try:
            return self.insert_rows([fields])[0]
        except duckdb.ConstraintException:
            existing = self.get_item(fields["item_id"])
            if existing is not None and existing["content"] == fields["content"]:
                return existing, None  # a retry of a call that was saved
            raise ConflictError(
                f"id {fields['item_id']} is already used by another memory; omit id to get a "
                "new one"
            ) from None

    def insert_rows(self, rows: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], DocRow]]:
        """``INSERT`` memory rows with one statement (DuckDB's ConstraintException on a used id).

        Each row gives ``item_id``, ``content``, ``tags``, ``metadata``, ``importance`` and
        optionally ``kind``, ``sources``, ``pattern_key``. Returns ``(record, search doc)`` each.
        """
        now = self.ctx.now()
        doc_ids = self.index.allocate(self.layer, len(rows))
        values: list[Any] = []
        done = []
        for fields, doc_id in zip(rows, doc_ids):
            kind = fields.get("kind", "memory")
            sources = list(fields.get("sources", ()))
            values += [fields["item_id"], doc_id, fields["content"], fields["tags"]]
            values += [dumps(fields["metadata"]), fields["importance"], now, now, kind, sources]
            values.append(fields.get("pattern_key"))
            record = {
                "id": fields["item_id"],
                "content": fields["content"],
                "tags": fields["tags"],
                "metadata": fields["metadata"],
                "importance": fields["importance"],
                "kind": kind,
                "sources": sources,
                "created_at": iso(now),
                "updated_at": iso(now),
            }
            done.append((record, (doc_id, fields["content"], fields["tags"], epoch(now))))
        row_marks = ", ".join([f"({placeholders(11)})"] * len(rows))
        self.con.execute(
            "INSERT INTO memories (id, doc_id, content, tags, metadata, importance, "
            f"created_at, updated_at, kind, sources, pattern_key) VALUES {row_marks}",
            values,
        )
        return done

    def remember_many(self, p: RememberManyParams) -> list[str]:
        """Insert a batch in one transaction; returns the ids in input order.

        Items whose id exists already (a retried batch) are skipped.
        """
        import numpy as np

        items = p.items
        ids = [item.id or new_id("mem") for item in items]
        if len(set(ids)) != len(ids):
            raise InvalidArgumentError("items must not repeat an id within one batch")
        now = self.ctx.now()
        doc_ids = self.index.allocate(self.layer, len(items))
        batch = {
            "id": np.array(ids, dtype=object),
            "doc_id": np.array(doc_ids, dtype=np.int64),
            "content": np.array([item.content for item in items], dtype=object),
            "tags": np.array([_TAG_SEPARATOR.join(item.tags) for item in items], dtype=object),
            "metadata": np.array([dumps(item.metadata) for item in items], dtype=object),
            "importance": np.array([item.importance for item in items], dtype=np.float64),
        }
        name = f"remember_batch_{doc_ids[0]}"
        self.con.register(name, batch)
        try:
            with transaction(self.con):
                # ids that exist already (a retried batch) are skipped; an anti-join is far
                # faster in DuckDB than INSERT ... ON CONFLICT on a large table
                existing = self.con.execute(
                    f"SELECT b.doc_id FROM {name} b JOIN memories m ON m.id = b.id"
                ).fetchall()
                self.con.execute(
                    "INSERT INTO memories (id, doc_id, content, tags, metadata, importance, "
                    "created_at, updated_at, kind, sources) "
                    "SELECT id, doc_id, content, "
                    "CASE WHEN tags = '' THEN []::VARCHAR[] ELSE string_split(tags, ?) END, "
                    "metadata, importance, ?::TIMESTAMP, ?::TIMESTAMP, 'memory', []::VARCHAR[] "
                    f"FROM {name} b WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.id = b.id)",
                    [_TAG_SEPARATOR, now, now],
                )
        finally:
            self.con.unregister(name)
        skipped = {row[0] for row in existing}
        ts = epoch(now)
        self.index.add(
            [
                (doc_id, item.content, item.tags, ts)
                for doc_id, item in zip(doc_ids, items)
                if doc_id not in skipped
            ]
        )
        return ids

    def update(self, p: UpdateMemoryParams) -> dict[str, Any]:
        """Change the given fields; new content or tags re-index the memory."""
        changes = {name: getattr(p, name) for name in p.model_fields_set - {"id"}}
        current = fetch_one(
            self.con, f"SELECT doc_id, {self.columns} FROM memories WHERE id = ?", [p.id]
        )
        if current is None:
            raise NotFoundError(f"no semantic memory with id {p.id}")
        if not changes:
            return plain(current)
        merged = {**current, "metadata": json.loads(current["metadata"]), **changes}
        merged["tags"] = list(merged["tags"] or [])
        merged["metadata"] = merged["metadata"] or {}
        new_doc = None
        if (merged["content"], merged["tags"]) != (current["content"], list(current["tags"])):
            (doc_id,) = self.index.allocate(self.layer)
            new_doc = (doc_id, merged["content"], merged["tags"], epoch(current["created_at"]))
        self.update_row(
            "UPDATE memories SET content = ?, tags = ?, metadata = ?, importance = ?, "
            "updated_at = ?, doc_id = ? WHERE id = ?",
            [
                merged["content"],
                merged["tags"],
                dumps(merged["metadata"]),
                merged["importance"],
                self.ctx.now(),
                new_doc[0] if new_doc else current["doc_id"],
                p.id,
            ],
            old_doc=current["doc_id"],
            new_doc=new_doc,
        )
        return self.require(p.id)

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Recall hit fields of these memories."""
        rows = self.rows_by_doc_ids(
            "doc_id, id, content AS text, created_at AS timestamp, tags, metadata", doc_ids
        )
        return {row.pop("doc_id"): plain(row) for row in rows}


def _fields(p: RememberParams) -> dict[str, Any]:
    """The row fields of a remember request (a new id unless the request carries one)."""
    return {
        "item_id": p.id or new_id("mem"),
        "content": p.content,
        "tags": p.tags,
        "metadata": p.metadata,
        "importance": p.importance,
    }
