"""The knowledge graph: entities, typed relations, neighbourhoods and shortest paths."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from ..errors import ConflictError, InvalidArgumentError, NotFoundError
from ..ids import id_prefix, new_id
from ..params import (
    AddEntityParams,
    FindEntityParams,
    NeighborsParams,
    PathParams,
    RelateParams,
    SearchParams,
)
from ..timeutil import epoch
from .base import ItemForgetter, ItemGetter, LayerStore
from .common import dumps, fetch_dicts, fetch_one, placeholders, plain
from .recall import ranked_hits
from .search_index import DocSource

ENTITY_COLUMNS = "id, name, entity_type, description, metadata, created_at, updated_at"
RELATION_SELECT = (
    "SELECT r.id, r.source_id, s.name AS source_name, r.target_id, t.name AS target_name, "
    "r.relation_type, r.strength, r.metadata, r.created_at "
    "FROM relations r JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id"
)


def entity_text(name: str, entity_type: str, description: str) -> str:
    """The searchable text of an entity."""
    return " ".join(part for part in (name, entity_type, description) if part)


class GraphStore(LayerStore):
    """``memory.graph``: entities (searchable) and the relations between them."""

    layer = "graph"
    table = "entities"
    prefix = "ent"
    columns = ENTITY_COLUMNS

    def ops(self) -> dict[str, Any]:
        """Ops served by this layer."""
        return {
            "graph.add_entity": self.add_entity,
            "graph.relate": self.relate,
            "graph.find": self.find,
            "graph.search": self.search,
            "graph.neighbors": self.neighbors,
            "graph.path": self.path,
        }

    def item_handlers(self) -> dict[str, tuple[ItemGetter, ItemForgetter]]:
        """Entities (``ent_…``) and relations (``rel_…``)."""
        return {
            "ent": (self.get_item, self.forget_item),
            "rel": (self.get_relation, self.forget_relation),
        }

    def doc_sources(self) -> list[DocSource]:
        """Searchable text: name, type and description."""
        sql = (
            "SELECT doc_id, concat_ws(' ', name, entity_type, nullif(description, '')), "
            "[]::VARCHAR[], epoch(created_at) FROM entities WHERE doc_id > ? ORDER BY doc_id"
        )
        return [DocSource(self.layer, self.table, self.stream_docs(sql))]

    # ----------------------------------------------------------------------------- entities
    def add_entity(self, p: AddEntityParams) -> dict[str, Any]:
        """Add an entity; an existing one with the same name and type is returned instead.

        When it exists, a given description replaces the stored one and given metadata keys are
        merged into the stored metadata.
        """
        existing = fetch_one(
            self.con,
            f"SELECT doc_id, {ENTITY_COLUMNS} FROM entities "
            "WHERE lower(name) = lower(?) AND lower(entity_type) = lower(?)",
            [p.name, p.entity_type],
        )
        if existing is not None:
            return self._refresh(existing, p)
        item_id = p.id or new_id("ent")
        now = self.ctx.now()
        (doc_id,) = self.index.allocate(self.layer)
        try:
            self.con.execute(
                f"INSERT INTO entities (doc_id, {ENTITY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    doc_id,
                    item_id,
                    p.name,
                    p.entity_type,
                    p.description,
                    dumps(p.metadata),
                    now,
                    now,
                ],
            )
        except duckdb.ConstraintException:
            raise ConflictError(f"id {item_id} is already used by another entity") from None
        text = entity_text(p.name, p.entity_type, p.description)
        self.index.add([(doc_id, text, [], epoch(now))])
        return self.require(item_id)

    def _refresh(self, existing: dict[str, Any], p: AddEntityParams) -> dict[str, Any]:
        metadata = {**json.loads(existing["metadata"]), **p.metadata}
        description = p.description or existing["description"]
        if description == existing["description"] and metadata == json.loads(existing["metadata"]):
            return plain(existing)
        new_doc = None
        if description != existing["description"]:
            (doc_id,) = self.index.allocate(self.layer)
            text = entity_text(existing["name"], existing["entity_type"], description)
            new_doc = (doc_id, text, [], epoch(existing["created_at"]))
        self.update_row(
            "UPDATE entities SET description = ?, metadata = ?, updated_at = ?, doc_id = ? "
            "WHERE id = ?",
            [
                description,
                dumps(metadata),
                self.ctx.now(),
                new_doc[0] if new_doc else existing["doc_id"],
                existing["id"],
            ],
            old_doc=existing["doc_id"],
            new_doc=new_doc,
        )
        return self.require(existing["id"])

    def resolve(self, ref: str, *, argument: str) -> dict[str, Any]:
        """The entity an id or a unique name refers to."""
        if ref.startswith("ent_"):
            id_prefix(ref, argument=argument)
            row = fetch_one(self.con, f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?", [ref])
            if row is None:
                raise NotFoundError(f"{argument}: no graph entity with id {ref}")
            return row
        rows = fetch_dicts(
            self.con,
            f"SELECT {ENTITY_COLUMNS} FROM entities WHERE lower(name) = lower(?) ORDER BY id",
            [ref],
        )
        if not rows:
            raise NotFoundError(
                f"{argument}: no graph entity named {ref!r}; add it with "
                "memory.graph.add_entity(name, entity_type) or pass an id"
            )
        if len(rows) > 1:
            choices = ", ".join(f"{r['id']} ({r['entity_type']})" for r in rows)
            raise ConflictError(
                f"{argument}: the name {ref!r} matches {len(rows)} entities: {choices}; "
                "pass the id instead"
            )
        return rows[0]

    def find(self, p: FindEntityParams) -> list[dict[str, Any]]:
        """Entities with exactly this name (case-insensitive), optionally of one type."""
        sql = f"SELECT {ENTITY_COLUMNS} FROM entities WHERE lower(name) = lower(?)"
        args: list[Any] = [p.name]
        if p.entity_type is not None:
            sql += " AND lower(entity_type) = lower(?)"
            args.append(p.entity_type)
        return [plain(row) for row in fetch_dicts(self.con, sql + " ORDER BY created_at, id", args)]

    def search(self, p: SearchParams) -> list[dict[str, Any]]:
        """Ranked search over entities."""
        return ranked_hits(
            self.index, {self.layer: self}, p.query, limit=p.limit, layers=[self.layer]
        )

    def delete_dependents(self, item_id: str) -> None:
        """An entity's relations go with it."""
        self.con.execute(
            "DELETE FROM relations WHERE source_id = ? OR target_id = ?", [item_id, item_id]
        )

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields of these entities (metadata carries the entity type)."""
        rows = self.rows_by_doc_ids(
            "doc_id, id, name, entity_type, description, created_at AS timestamp, metadata",
            doc_ids,
        )
        out: dict[int, dict[str, Any]] = {}
        for row in rows:
            hit = plain(row)
            out[row["doc_id"]] = {
                "id": hit["id"],
                "text": entity_text(hit["name"], hit["entity_type"], hit["description"]),
                "timestamp": hit["timestamp"],
                "tags": [],
                "metadata": hit["metadata"],
            }
        return out

    # ----------------------------------------------------------------------------- relations
    def relate(self, p: RelateParams) -> dict[str, Any]:
        """Add ``source -[relation_type]-> target``; an identical relation is updated instead."""
        source = self.resolve(p.source, argument="source")
        target = self.resolve(p.target, argument="target")
        if source["id"] == target["id"]:
            raise InvalidArgumentError(
                f"source and target must be different entities; both are {source['id']} "
                f"({source['name']!r})"
            )
        existing = fetch_one(
            self.con,
            "SELECT id, strength, metadata FROM relations "
            "WHERE source_id = ? AND target_id = ? AND relation_type = ?",
            [source["id"], target["id"], p.relation_type],
        )
        if existing is not None:
            metadata = {**json.loads(existing["metadata"]), **p.metadata}
            self.con.execute(
                "UPDATE relations SET strength = ?, metadata = ? WHERE id = ?",
                [p.strength, dumps(metadata), existing["id"]],
            )
            return self._require_relation(existing["id"])
        item_id = p.id or new_id("rel")
        try:
            self.con.execute(
                "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    item_id,
                    source["id"],
                    target["id"],
                    p.relation_type,
                    p.strength,
                    dumps(p.metadata),
                    self.ctx.now(),
                ],
            )
        except duckdb.ConstraintException:
            raise ConflictError(f"id {item_id} is already used by another relation") from None
        return self._require_relation(item_id)

    def get_relation(self, item_id: str) -> dict[str, Any] | None:
        """The relation as plain data (with both entities' names), or ``None``."""
        row = fetch_one(self.con, f"{RELATION_SELECT} WHERE r.id = ?", [item_id])
        return None if row is None else plain(row)

    def _require_relation(self, item_id: str) -> dict[str, Any]:
        relation = self.get_relation(item_id)
        if relation is None:
            raise NotFoundError(f"no graph relation with id {item_id}")
        return relation

    def forget_relation(self, item_id: str) -> bool:
        """Delete one relation."""
        found = self.con.execute(
            "DELETE FROM relations WHERE id = ? RETURNING id", [item_id]
        ).fetchall()
        return bool(found)

    def _edges(self, frontier: Sequence[str], direction: str, relation_type: str | None) -> list:
        marks = placeholders(len(frontier))
        sides = []
        args: list[Any] = []
        if direction in ("out", "both"):
            sides.append(f"r.source_id IN ({marks})")
            args.extend(frontier)
        if direction in ("in", "both"):
            sides.append(f"r.target_id IN ({marks})")
            args.extend(frontier)
        sql = f"{RELATION_SELECT} WHERE ({' OR '.join(sides)})"
        if relation_type is not None:
            sql += " AND r.relation_type = ?"
            args.append(relation_type)
        return fetch_dicts(self.con, sql + " ORDER BY r.relation_type, r.created_at, r.id", args)

    def neighbors(self, p: NeighborsParams) -> list[dict[str, Any]]:
        """Entities within ``depth`` relations of ``entity`` (breadth-first, nearest first)."""
        start = self.resolve(p.entity, argument="entity")
        seen = {start["id"]}
        frontier = [start["id"]]
        found: list[dict[str, Any]] = []
        for depth in range(1, p.depth + 1):
            reached: dict[str, dict[str, Any]] = {}
            current = set(frontier)
            for edge in self._edges(frontier, p.direction, p.relation_type):
                for via, other, direction in (
                    (edge["source_id"], edge["target_id"], "out"),
                    (edge["target_id"], edge["source_id"], "in"),
                ):
                    if p.direction not in (direction, "both") or via not in current:
                        continue
                    if other in seen or other in reached:
                        continue
                    reached[other] = {
                        "relation_type": edge["relation_type"],
                        "direction": direction,
                        "depth": depth,
                        "via": via,
                        "relation_id": edge["id"],
                        "strength": edge["strength"],
                    }
            if not reached:
                break
            entities = self._entities(list(reached))
            for entity_id, info in reached.items():
                entity = entities[entity_id]
                found.append(
                    {
                        "id": entity_id,
                        "name": entity["name"],
                        "entity_type": entity["entity_type"],
                        **info,
                    }
                )
            seen.update(reached)
            frontier = list(reached)
        return found

    def _entities(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = fetch_dicts(
            self.con,
            f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({placeholders(len(ids))})",
            list(ids),
        )
        return {row["id"]: row for row in rows}

    def path(self, p: PathParams) -> dict[str, Any] | None:
        """A shortest path from ``a`` to ``b`` following relations either way, or ``None``."""
        a = self.resolve(p.a, argument="a")
        b = self.resolve(p.b, argument="b")
        if a["id"] == b["id"]:
            return {"entities": [plain(a)], "relations": []}
        parent: dict[str, tuple[str, dict[str, Any]]] = {}
        seen = {a["id"]}
        frontier = [a["id"]]
        for _ in range(p.max_depth):
            current = set(frontier)
            next_frontier: list[str] = []
            for edge in self._edges(frontier, "both", None):
                for here, other in (
                    (edge["source_id"], edge["target_id"]),
                    (edge["target_id"], edge["source_id"]),
                ):
                    if here in current and other not in seen:
                        seen.add(other)
                        parent[other] = (here, edge)
                        next_frontier.append(other)
            if b["id"] in parent:
                break
            if not next_frontier:
                return None
            frontier = next_frontier
        if b["id"] not in parent:
            return None
        chain_ids = [b["id"]]
        relations = []
        while chain_ids[-1] != a["id"]:
            previous, edge = parent[chain_ids[-1]]
            relations.append(plain(edge))
            chain_ids.append(previous)
        chain_ids.reverse()
        relations.reverse()
        entities = self._entities(chain_ids)
        return {
            "entities": [plain(entities[entity_id]) for entity_id in chain_ids],
            "relations": relations,
        }
