"""Knowledge graph: entities, relations, find, search, neighbors, path."""

from __future__ import annotations

import pytest
from test_memory_support import assert_rejected

from athena_kernel.memory import ConflictError, Entity, Memory, NotFoundError, Relation

pytest_plugins = ("test_memory_support",)


@pytest.fixture
def graph(memory: Memory) -> Memory:
    """staging -reads_from-> orders-db -runs_on-> db-host; api -calls-> orders-db."""
    g = memory.graph
    g.add_entity("staging", "environment", description="pre-production cluster")
    g.add_entity("orders-db", "database", description="Postgres 15")
    g.add_entity("db-host", "machine")
    g.add_entity("api", "service")
    g.add_entity("island", "service")
    g.relate("staging", "orders-db", "reads_from")
    g.relate("orders-db", "db-host", "runs_on")
    g.relate("api", "orders-db", "calls")
    return memory


def test_add_entity_and_get(memory: Memory) -> None:
    entity = memory.graph.add_entity("orders-db", "database", metadata={"port": 5432})
    assert isinstance(entity, Entity) and entity.id.startswith("ent_")
    assert memory.get(entity.id) == entity


def test_add_entity_is_idempotent_by_name_and_type(memory: Memory) -> None:
    first = memory.graph.add_entity("Orders-DB", "database", metadata={"a": 1})
    again = memory.graph.add_entity("orders-db", "Database", description="pg", metadata={"b": 2})
    assert again.id == first.id and again.description == "pg"
    assert again.metadata == {"a": 1, "b": 2}
    other = memory.graph.add_entity("orders-db", "team")
    assert other.id != first.id
    assert {e.id for e in memory.graph.find("ORDERS-db")} == {first.id, other.id}
    assert [e.id for e in memory.graph.find("orders-db", entity_type="team")] == [other.id]


def test_relate_by_name_or_id(graph: Memory) -> None:
    staging = graph.graph.find("staging")[0]
    host = graph.graph.find("db-host")[0]
    relation = graph.graph.relate(staging.id, "db-host", "deploys_to", strength=0.5)
    assert isinstance(relation, Relation) and relation.id.startswith("rel_")
    assert relation.source_id == staging.id and relation.target_id == host.id
    assert relation.source_name == "staging" and relation.target_name == "db-host"
    same = graph.graph.relate("staging", "db-host", "deploys_to", strength=0.9)
    assert same.id == relation.id and same.strength == 0.9
    assert graph.get(relation.id) == same
    assert graph.forget(relation.id) is True and graph.forget(relation.id) is False


def test_neighbors_by_depth_and_direction(graph: Memory) -> None:
    g = graph.graph
    assert [n.name for n in g.neighbors("staging")] == ["orders-db"]
    two = g.neighbors("staging", depth=2)
    assert [(n.name, n.depth) for n in two] == [("orders-db", 1), ("api", 2), ("db-host", 2)]
    api = next(n for n in two if n.name == "api")
    assert api.direction == "in" and api.relation_type == "calls"
    assert api.via == g.find("orders-db")[0].id
    assert [n.name for n in g.neighbors("orders-db", direction="out")] == ["db-host"]
    assert sorted(n.name for n in g.neighbors("orders-db", direction="in")) == ["api", "staging"]
    assert [n.name for n in g.neighbors("orders-db", relation_type="calls")] == ["api"]
    assert g.neighbors("island") == []


def test_path(graph: Memory) -> None:
    path = graph.graph.path("staging", "db-host")
    assert path is not None and path.length == 2
    assert [e.name for e in path.entities] == ["staging", "orders-db", "db-host"]
    assert repr(path) == "GraphPath('staging' -[reads_from]-> 'orders-db' -[runs_on]-> 'db-host')"
    reverse = graph.graph.path("db-host", "api")
    assert reverse is not None and [e.name for e in reverse.entities] == [
        "db-host",
        "orders-db",
        "api",
    ]
    assert "<-[runs_on]-" in repr(reverse)
    assert graph.graph.path("staging", "island") is None
    assert graph.graph.path("staging", "db-host", max_depth=1) is None
    assert graph.graph.path("api", "api").length == 0


def test_search_and_recall_find_entities(graph: Memory) -> None:
    hits = graph.graph.search("postgres database")
    assert hits[0].id == graph.graph.find("orders-db")[0].id and hits[0].layer == "graph"


def test_forget_entity_removes_its_relations(graph: Memory) -> None:
    db = graph.graph.find("orders-db")[0]
    assert graph.forget(db.id) is True
    assert graph.graph.neighbors("staging") == []
    assert graph.stats().counts["relations"] == 0
    assert graph.graph.search("postgres") == []


def test_bad_input_is_rejected(graph: Memory) -> None:
    g = graph.graph
    g.add_entity("dup", "person")
    g.add_entity("dup", "place")
    assert_rejected(graph, lambda: g.add_entity("", "x"), "name", "non-empty")
    assert_rejected(graph, lambda: g.add_entity("x", ""), "entity_type")
    assert_rejected(
        graph, lambda: g.relate("staging", "nowhere", "x"), "target", "nowhere", error=NotFoundError
    )
    assert_rejected(
        graph, lambda: g.relate("dup", "staging", "x"), "source", "2 entities", error=ConflictError
    )
    assert_rejected(graph, lambda: g.relate("staging", "staging", "x"), "different")
    assert_rejected(graph, lambda: g.relate("staging", "api", "x", strength=-1), "strength")
    assert_rejected(
        graph, lambda: g.relate("ent_0123456789ab", "api", "x"), "source", error=NotFoundError
    )
    assert_rejected(graph, lambda: g.neighbors("staging", depth=0), "depth")
    assert_rejected(graph, lambda: g.neighbors("staging", direction="up"), "direction")
    assert_rejected(graph, lambda: g.path("staging", "api", max_depth=99), "max_depth")
    assert_rejected(graph, lambda: g.neighbors(""), "entity")
