"""Deterministic consolidation (no LLM): merge near-duplicates, turn recurring events into patterns.

Near-duplicates: two semantic memories whose word sets have a Jaccard similarity of at least
``similarity`` (pairs found by :mod:`.near_duplicates`). Memories are visited oldest first; each
one not yet merged keeps every later memory similar to it, and absorbs their tags, metadata keys,
sources and the highest importance.

Patterns: events with the same type, outcome and content (ignoring case, spacing and numbers)
that occurred at least ``min_occurrences`` times become one semantic memory of kind
``"pattern"`` whose ``sources`` are the events' ids; running again brings it up to date instead
of adding another.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from ..ids import new_id
from ..params import ConsolidateParams
from ..timeutil import epoch, iso, to_naive_utc
from .common import dumps, fetch_dicts, transaction
from .near_duplicates import similar_pairs
from .search_index import DocRow
from .semantic import SemanticStore

#: At most this many (most recent) event ids are kept as a pattern's sources.
MAX_PATTERN_SOURCES = 100

_PATTERNS_SQL = """
WITH normalised AS (
    SELECT id, event_type, outcome, content, tags, happened_at,
           trim(regexp_replace(regexp_replace(lower(content), '[0-9]+', '#', 'g'),
                               '\\s+', ' ', 'g')) AS shape
    FROM events WHERE (?::TIMESTAMP IS NULL OR happened_at < ?::TIMESTAMP)
)
SELECT event_type, outcome, shape, count(*) AS occurrences,
       list(id ORDER BY happened_at DESC, id) AS ids, arg_max(content, happened_at) AS example,
       min(happened_at) AS first_at, max(happened_at) AS last_at,
       list_distinct(flatten(list(tags))) AS tags
FROM normalised GROUP BY event_type, outcome, shape HAVING count(*) >= ?
ORDER BY event_type, outcome NULLS FIRST, shape
"""


def pattern_key(event_type: str, outcome: str | None, shape: str) -> str:
    """Stable key of a recurring-event pattern."""
    raw = json.dumps([event_type, outcome, shape], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def pattern_content(row: dict[str, Any]) -> str:
    """The text of a pattern memory."""
    outcome = f" ({row['outcome']})" if row["outcome"] else ""
    return (
        f"Recurring {row['event_type']} event{outcome}, seen {row['occurrences']} times between "
        f"{_day(row['first_at'])} and {_day(row['last_at'])}: {row['example']}"
    )


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


class Consolidator:
    """Runs one consolidation over the semantic and episodic layers."""

    def __init__(self, semantic: SemanticStore) -> None:
        self.semantic = semantic
        self.con = semantic.con
        self.index = semantic.index

    def run(self, p: ConsolidateParams) -> dict[str, Any]:
        """Consolidate (or with ``dry_run`` only report); returns the report as plain data."""
        cutoff = to_naive_utc(p.before) if p.before is not None else None
        memories = self._count("SELECT count(*) FROM memories WHERE kind = 'memory'", cutoff)
        events = self._count("SELECT count(*) FROM events WHERE true", cutoff, column="happened_at")
        groups = self._merge_groups(cutoff, p.similarity)
        pattern_rows = fetch_dicts(self.con, _PATTERNS_SQL, [cutoff, cutoff, p.min_occurrences])
        removed_docs: list[int] = []
        added_docs: list[DocRow] = []
        patterns: list[dict[str, Any]] = []
        if p.dry_run:
            patterns = [self._pattern_info(row, None, created=True) for row in pattern_rows]
            patterns = [info for info in patterns if info is not None]
        else:
            with transaction(self.con):
                for group in groups:
                    removed_docs.extend(self._apply_merge(group, added_docs))
                for row in pattern_rows:
                    info = self._apply_pattern(row, removed_docs, added_docs)
                    if info is not None:
                        patterns.append(info)
                self.index.tombstone(self.con, removed_docs)
            self.index.remove(removed_docs)
            self.index.add(added_docs)
        return {
            "dry_run": p.dry_run,
            "cutoff": iso(cutoff),
            "memories_considered": memories,
            "events_considered": events,
            "merged": [
                {"kept": g["kept"], "removed": g["removed"], "similarity": g["similarity"]}
                for g in groups
            ],
            "patterns": patterns,
        }

    def _count(self, sql: str, cutoff: datetime | None, *, column: str = "created_at") -> int:
        if cutoff is not None:
            sql += f" AND {column} < ?"
        row = self.con.execute(sql, [cutoff] if cutoff is not None else []).fetchone()
        return int(row[0])

    # ----------------------------------------------------------------------------- merging
    def _merge_groups(self, cutoff: datetime | None, similarity: float) -> list[dict[str, Any]]:
        similar: dict[str, dict[str, float]] = defaultdict(dict)
        order: dict[str, tuple[datetime, str]] = {}
        for a, b, score, a_created, b_created in similar_pairs(self.con, cutoff, similarity):
            similar[a][b] = similar[b][a] = score
            order[a], order[b] = (a_created, a), (b_created, b)
        groups: list[dict[str, Any]] = []
        taken: set[str] = set()
        for kept in sorted(order, key=order.__getitem__):
            if kept in taken:
                continue
            members = sorted(
                (m for m in similar[kept] if m not in taken and order[m] > order[kept]),
                key=order.__getitem__,
            )
            if not members:
                continue
            taken.add(kept)
            taken.update(members)
            groups.append(
                {
                    "kept": kept,
                    "removed": members,
                    "similarity": round(min(similar[kept][m] for m in members), 4),
                }
            )
        return groups

    def _apply_merge(self, group: dict[str, Any], added: list[DocRow]) -> list[int]:
        ids = [group["kept"], *group["removed"]]
        rows = {
            row["id"]: row
            for row in fetch_dicts(
                self.con,
                "SELECT id, doc_id, content, tags, metadata, importance, "
                "coalesce(sources, []) AS sources, created_at "
                "FROM memories WHERE id IN (SELECT unnest(?))",
                [ids],
            )
        }
        kept = rows[group["kept"]]
        tags = list(kept["tags"])
        metadata = json.loads(kept["metadata"])
        sources = list(kept["sources"] or [])
        importance = kept["importance"]
        for other_id in group["removed"]:
            other = rows[other_id]
            tags += [tag for tag in other["tags"] if tag not in tags]
            for key, value in json.loads(other["metadata"]).items():
                metadata.setdefault(key, value)
            sources += [s for s in (other["sources"] or []) if s not in sources]
            importance = max(importance, other["importance"])
        new_doc = kept["doc_id"]
        if tags != list(kept["tags"]):
            (new_doc,) = self.index.allocate("semantic")
            added.append((new_doc, kept["content"], tags, epoch(kept["created_at"])))
        self.con.execute(
            "UPDATE memories SET tags = ?, metadata = ?, sources = ?, importance = ?, "
            "updated_at = ?, doc_id = ? WHERE id = ?",
            [
                tags,
                dumps(metadata),
                sources,
                importance,
                self.semantic.ctx.now(),
                new_doc,
                kept["id"],
            ],
        )
        self.con.execute("DELETE FROM memories WHERE id IN (SELECT unnest(?))", [group["removed"]])
        removed = [rows[other_id]["doc_id"] for other_id in group["removed"]]
        return removed + ([kept["doc_id"]] if new_doc != kept["doc_id"] else [])

    # ----------------------------------------------------------------------------- patterns
    def _pattern_info(
        self, row: dict[str, Any], memory_id: str | None, *, created: bool
    ) -> dict[str, Any] | None:
        return {
            "memory_id": memory_id,
            "event_type": row["event_type"],
            "outcome": row["outcome"],
            "occurrences": int(row["occurrences"]),
            "source_ids": list(row["ids"][:MAX_PATTERN_SOURCES]),
            "created": created,
        }

    def _apply_pattern(
        self, row: dict[str, Any], removed: list[int], added: list[DocRow]
    ) -> dict[str, Any] | None:
        key = pattern_key(row["event_type"], row["outcome"], row["shape"])
        content = pattern_content(row)
        sources = list(row["ids"][:MAX_PATTERN_SOURCES])
        tags = ["pattern", *[tag for tag in (row["tags"] or []) if tag != "pattern"]]
        metadata = {
            "event_type": row["event_type"],
            "outcome": row["outcome"],
            "occurrences": int(row["occurrences"]),
            "first_at": iso(row["first_at"]),
            "last_at": iso(row["last_at"]),
        }
        existing = self.con.execute(
            "SELECT id, doc_id, content, created_at FROM memories WHERE pattern_key = ?", [key]
        ).fetchone()
        if existing is None:
            record, doc = self.semantic.insert(
                item_id=new_id("mem"),
                content=content,
                tags=tags,
                metadata=metadata,
                importance=0.6,
                kind="pattern",
                sources=sources,
                pattern_key=key,
            )
            if doc is not None:
                added.append(doc)
            return self._pattern_info(row, record["id"], created=True)
        memory_id, old_doc, old_content, created_at = existing
        if old_content == content:
            return None  # nothing new since the last consolidation
        (new_doc,) = self.index.allocate("semantic")
        self.con.execute(
            "UPDATE memories SET content = ?, tags = ?, metadata = ?, sources = ?, "
            "updated_at = ?, doc_id = ? WHERE id = ?",
            [content, tags, dumps(metadata), sources, self.semantic.ctx.now(), new_doc, memory_id],
        )
        removed.append(old_doc)
        added.append((new_doc, content, tags, epoch(created_at)))
        return self._pattern_info(row, memory_id, created=False)
