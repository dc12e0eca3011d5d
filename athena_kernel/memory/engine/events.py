"""Episodic events: record, recent, between, search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from ..errors import ConflictError, InvalidArgumentError
from ..ids import new_id
from ..params import BetweenEventsParams, RecentEventsParams, RecordEventParams, SearchEventsParams
from ..timeutil import epoch, iso, to_naive_utc
from .base import LayerStore
from .common import dumps, fetch_dicts, placeholders, plain
from .recall import ranked_hits
from .search_index import DocRow, DocSource

COLUMNS = "id, event_type, content, outcome, session, tags, metadata, happened_at AS at"
_INSERT_COLUMNS = "id, event_type, content, outcome, session, tags, metadata, happened_at"


def event_text(event_type: str, content: str, outcome: str | None) -> str:
    """The searchable text of an event."""
    return " ".join(part for part in (event_type, content, outcome) if part)


class EventStore(LayerStore):
    """``memory.events``: what happened, when, and how it ended."""

    layer = "events"
    table = "events"
    prefix = "evt"
    columns = COLUMNS

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "events.record": self.record,
            "events.recent": self.recent,
            "events.between": self.between,
            "events.search": self.search,
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: event type, content and outcome."""
        sql = (
            "SELECT doc_id, concat_ws(' ', event_type, content, outcome), tags, epoch(happened_at) "
            "FROM events WHERE doc_id > ? ORDER BY doc_id"
        )
        return [DocSource(self.layer, self.table, self.stream_docs(sql))]

    def record(self, p: RecordEventParams) -> dict[str, Any]:
        """Insert one event (a retried call with the same id returns the saved one)."""
        try:
            ((record, doc),) = self._insert_rows([p])
        except duckdb.ConstraintException:
            existing = self.get_item(p.id or "")
            if existing is not None and existing["content"] == p.content:
                return existing
            raise ConflictError(f"id {p.id} is already used by another event") from None
        self.index.add([doc])
        return record

    def record_batch(self, requests: Sequence[RecordEventParams]) -> list[Any]:
        """Concurrent ``record`` calls committed together (see :meth:`LayerStore.run_batch`)."""
        return self.run_batch(requests, self._insert_rows, self.record)

    def _insert_rows(
        self, requests: Sequence[RecordEventParams]
    ) -> list[tuple[dict[str, Any], DocRow]]:
        """``INSERT`` events with one statement (DuckDB's ConstraintException on a used id)."""
        now = self.ctx.now()
        doc_ids = self.index.allocate(self.layer, len(requests))
        values: list[Any] = []
        done = []
        for p, doc_id in zip(requests, doc_ids):
            item_id = p.id or new_id("evt")
            at = to_naive_utc(p.at) if p.at is not None else now
            values += [doc_id, now, item_id, p.event_type, p.content, p.outcome, p.session]
            values += [p.tags, dumps(p.metadata), at]
            record = {
                "id": item_id,
                "event_type": p.event_type,
                "content": p.content,
                "outcome": p.outcome,
                "session": p.session,
                "tags": p.tags,
                "metadata": p.metadata,
                "at": iso(at),
            }
            text = event_text(p.event_type, p.content, p.outcome)
            done.append((record, (doc_id, text, p.tags, epoch(at))))
        row_marks = ", ".join([f"({placeholders(10)})"] * len(requests))
        self.con.execute(
            f"INSERT INTO events (doc_id, created_at, {_INSERT_COLUMNS}) VALUES {row_marks}",
            values,
        )
        return done

    def recent(self, p: RecentEventsParams) -> list[dict[str, Any]]:
        """Newest events first, optionally of one session / event type."""
        where, args = _filters(session=p.session, event_type=p.event_type)
        rows = fetch_dicts(
            self.con,
            f"SELECT {COLUMNS} FROM events {where} ORDER BY happened_at DESC, id LIMIT ?",
            [*args, p.limit],
        )
        return [plain(row) for row in rows]

    def between(self, p: BetweenEventsParams) -> list[dict[str, Any]]:
        """Events with ``start <= at < end``, oldest first."""
        assert p.start is not None and p.end is not None
        if p.end <= p.start:
            raise InvalidArgumentError(
                f"end must be after start; got start={iso(p.start)}, end={iso(p.end)}"
            )
        where, args = _filters(event_type=p.event_type)
        clause = ("AND" if where else "WHERE") + " happened_at >= ? AND happened_at < ?"
        rows = fetch_dicts(
            self.con,
            f"SELECT {COLUMNS} FROM events {where} {clause} ORDER BY happened_at, id LIMIT ?",
            [*args, to_naive_utc(p.start), to_naive_utc(p.end), p.limit],
        )
        return [plain(row) for row in rows]

    def search(self, p: SearchEventsParams) -> list[dict[str, Any]]:
        """Ranked search over events; ``event_type``/``session`` filters are exact."""
        allowed = None
        if p.event_type is not None or p.session is not None:
            where, args = _filters(session=p.session, event_type=p.event_type)
            allowed = {
                row[0]
                for row in self.con.execute(f"SELECT doc_id FROM events {where}", args).fetchall()
            }
        return ranked_hits(
            self.index,
            {self.layer: self},
            p.query,
            limit=p.limit,
            layers=[self.layer],
            tags=p.tags,
            since=p.since,
            until=p.until,
            allowed=allowed,
        )

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields of these events."""
        rows = self.rows_by_doc_ids(
            "doc_id, id, event_type, content, outcome, session, happened_at AS timestamp, tags, "
            "metadata",
            doc_ids,
        )
        out: dict[int, dict[str, Any]] = {}
        for row in rows:
            hit = plain(row)
            out[row["doc_id"]] = {
                "id": hit["id"],
                "text": event_text(hit["event_type"], hit["content"], hit["outcome"]),
                "timestamp": hit["timestamp"],
                "tags": hit["tags"],
                "metadata": hit["metadata"],
            }
        return out


def _filters(**values: str | None) -> tuple[str, list[Any]]:
    clauses = [f"{name} = ?" for name, value in values.items() if value is not None]
    args = [value for value in values.values() if value is not None]
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
