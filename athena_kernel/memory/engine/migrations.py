"""The store's schema as numbered migrations, recorded in ``schema_migrations``.

Opening a store applies every migration it has not seen yet, each in its own transaction
together with its ``schema_migrations`` row, so a crash leaves the store at a whole version.
A store whose recorded version is newer than :data:`SCHEMA_VERSION` is refused.

Conventions: ids are ``VARCHAR`` typed ids, times are naive UTC ``TIMESTAMP``, metadata is JSON
text, tags are ``VARCHAR[]``, and every searchable row carries its search ``doc_id``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import SchemaVersionError
from ..timeutil import to_naive_utc, utcnow
from .common import rollback


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, a name, and the SQL statements it runs."""

    version: int
    name: str
    statements: tuple[str, ...]


MIGRATION_1 = Migration(
    1,
    "initial schema: semantic, episodic, tasks, graph, procedures, plans",
    (
        """CREATE TABLE store_meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
        """CREATE TABLE memories (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            content VARCHAR NOT NULL,
            tags VARCHAR[] NOT NULL,
            metadata VARCHAR NOT NULL,
            importance DOUBLE NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            event_type VARCHAR NOT NULL,
            content VARCHAR NOT NULL,
            outcome VARCHAR,
            session VARCHAR,
            tags VARCHAR[] NOT NULL,
            metadata VARCHAR NOT NULL,
            happened_at TIMESTAMP NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE tasks (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            title VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            priority VARCHAR NOT NULL,
            due TIMESTAMP,
            tags VARCHAR[] NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            completed_at TIMESTAMP
        )""",
        """CREATE TABLE entities (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            name VARCHAR NOT NULL,
            entity_type VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            metadata VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE relations (
            id VARCHAR PRIMARY KEY,
            source_id VARCHAR NOT NULL,
            target_id VARCHAR NOT NULL,
            relation_type VARCHAR NOT NULL,
            strength DOUBLE NOT NULL,
            metadata VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE procedures (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            name VARCHAR NOT NULL UNIQUE,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE procedure_versions (
            name VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            code VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            message VARCHAR,
            code_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (name, version)
        )""",
        """CREATE TABLE plans (
            id VARCHAR PRIMARY KEY,
            doc_id BIGINT NOT NULL UNIQUE,
            goal VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            steps VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE search_tombstones (
            doc_id BIGINT PRIMARY KEY
        )""",
    ),
)

MIGRATION_2 = Migration(
    2,
    "consolidation (memory kind, sources, pattern key) and procedure run history",
    (
        "ALTER TABLE memories ADD COLUMN kind VARCHAR DEFAULT 'memory'",
        # DuckDB 1.5 quirks: a list DEFAULT in ADD COLUMN fails inside a transaction on a
        # locked configuration, filling the column with UPDATE trips the primary key index,
        # and replaying a list default from the WAL fails; so old rows keep NULL (read as [])
        # and every insert names its sources.
        "ALTER TABLE memories ADD COLUMN sources VARCHAR[]",
        "ALTER TABLE memories ADD COLUMN pattern_key VARCHAR",
        """CREATE TABLE procedure_runs (
            run_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            version INTEGER,
            ok BOOLEAN NOT NULL,
            duration_s DOUBLE NOT NULL,
            error VARCHAR,
            ran_at TIMESTAMP NOT NULL
        )""",
        "CREATE INDEX relations_source ON relations (source_id)",
        "CREATE INDEX relations_target ON relations (target_id)",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (MIGRATION_1, MIGRATION_2)
#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


def current_version(con: Any) -> int:
    """The highest migration recorded in the database (0 for an empty database)."""
    con.execute(
        """CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL
        )"""
    )
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(
    con: Any,
    *,
    target: int | None = None,
    migrations: Sequence[Migration] = MIGRATIONS,
    path: str = "the store",
) -> list[int]:
    """Apply the migrations the database lacks, up to ``target`` (default: all).

    Returns the versions applied. Raises :class:`SchemaVersionError` when the database is newer
    than the newest migration known here.
    """
    newest = migrations[-1].version
    target = newest if target is None else target
    version = current_version(con)
    if version > newest:
        raise SchemaVersionError(
            f"{path} has schema version {version}, but this athena_kernel only knows versions "
            f"up to {newest}; upgrade athena-kernel to open it"
        )
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= version or migration.version > target:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in migration.statements:
                con.execute(statement)
            if migration.version == 1:
                con.execute(
                    "INSERT INTO store_meta VALUES ('store_uid', ?)", [secrets.token_hex(8)]
                )
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, to_naive_utc(utcnow())],
            )
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
        applied.append(migration.version)
    if applied:
        # schema changes go straight into the database file: replaying DDL from the WAL after
        # a crash is where DuckDB is least robust (data-only WAL replay is fine)
        con.execute("CHECKPOINT")
    return applied


def store_uid(con: Any) -> str:
    """The random id this database got when it was created (names its search snapshot)."""
    row = con.execute("SELECT value FROM store_meta WHERE key = 'store_uid'").fetchone()
    return str(row[0])
