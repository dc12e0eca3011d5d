"""Schema migrations: an empty file, a version-1 store with data, a store newer than the code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from athena_kernel.memory import SchemaVersionError, open_memory
from athena_kernel.memory.engine.connection import connect
from athena_kernel.memory.engine.migrations import MIGRATIONS, SCHEMA_VERSION, migrate


def _versions(path: Path) -> list[tuple[int, str, datetime]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT version, name, applied_at FROM schema_migrations").fetchall()
    finally:
        con.close()


def test_empty_file_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "fresh.duckdb"
    memory = open_memory(path, shared=False)
    stats = memory.stats()
    memory.close()
    assert stats.schema_version == SCHEMA_VERSION == MIGRATIONS[-1].version >= 2
    rows = _versions(path)
    assert [row[0] for row in rows] == [m.version for m in MIGRATIONS]
    assert all(isinstance(row[2], datetime) and row[1] for row in rows)


def test_version_1_store_with_data_is_upgraded_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = connect(str(path))
    assert migrate(con, target=1) == [1]
    columns = {row[0] for row in con.execute("DESCRIBE memories").fetchall()}
    assert "kind" not in columns and "sources" not in columns  # really version 1
    now = datetime(2024, 1, 2, 3, 4, 5)
    # search doc ids are sequence * 8 + layer code (semantic 1, events 2, procedures 5)
    con.execute(
        "INSERT INTO memories VALUES ('mem_00000000000a', 9, 'the old store remembers owls', "
        "['birds'], '{\"n\": 1}', 0.7, ?, ?)",
        [now, now],
    )
    con.execute(
        "INSERT INTO events VALUES ('evt_00000000000b', 18, 'visit', 'an owl came by', "
        "'seen', NULL, [], '{}', ?, ?)",
        [now, now],
    )
    con.execute(
        "INSERT INTO procedures VALUES ('proc_00000000000c', 29, 'count_owls', ?, ?)", [now, now]
    )
    con.execute(
        "INSERT INTO procedure_versions VALUES ('count_owls', 1, 'def count_owls():\n    "
        "return 1\n', 'Counts owls', NULL, 'abc', ?)",
        [now],
    )
    con.close()

    memory = open_memory(path, shared=False)
    record = memory.get("mem_00000000000a")
    assert record.content == "the old store remembers owls" and record.tags == ["birds"]
    assert record.metadata == {"n": 1} and record.importance == 0.7
    assert record.kind == "memory" and record.sources == []  # columns added by migration 2
    assert record.created_at.year == 2024
    hits = memory.recall("owls", limit=5)
    assert {h.id for h in hits} == {"mem_00000000000a", "evt_00000000000b", "proc_00000000000c"}
    summary = memory.procedures.list()[0]
    assert summary.name == "count_owls" and summary.stats.run_count == 0  # new runs table
    new = memory.remember("a new memory after the upgrade")
    assert memory.recall("upgrade")[0].id == new.id
    memory.close()
    assert [row[0] for row in _versions(path)] == [1, 2]


def test_store_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    memory = open_memory(path, shared=False)
    memory.remember("from today")
    memory.close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', now()::TIMESTAMP)")
    con.close()
    memory = open_memory(path, shared=False)
    with pytest.raises(SchemaVersionError, match=r"schema version 99.*upgrade athena-kernel"):
        memory.stats()


def test_a_failed_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    from athena_kernel.memory.engine.migrations import Migration

    path = tmp_path / "partial.duckdb"
    con = connect(str(path))
    broken = (*MIGRATIONS, Migration(3, "broken", ("CREATE TABLE t (a INT)", "NOT SQL")))
    with pytest.raises(duckdb.ParserException):
        migrate(con, migrations=broken)
    versions = [row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()]
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    con.close()
    assert versions == [1, 2] and "t" not in tables
