"""Small helpers the store's layer modules share: rows as dicts, JSON columns, transactions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ..timeutil import iso


def fetch_dicts(con: Any, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Run a query and return its rows as dicts keyed by column name."""
    cursor = con.execute(sql, list(params) if params is not None else [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def fetch_one(con: Any, sql: str, params: Sequence[Any] | None = None) -> dict[str, Any] | None:
    """The first row of a query as a dict, or ``None``."""
    rows = fetch_dicts(con, sql, params)
    return rows[0] if rows else None


#: columns that stay inside the store
INTERNAL_COLUMNS = frozenset({"doc_id", "pattern_key"})


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row as returned to callers: ISO-8601 UTC times, JSON columns decoded, no internals."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in INTERNAL_COLUMNS:
            continue
        if isinstance(value, datetime):
            out[key] = iso(value)
        elif key in ("metadata",) and isinstance(value, str):
            out[key] = json.loads(value)
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def dumps(value: Any) -> str:
    """Compact JSON text for a JSON column."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def transaction(con: Any) -> Iterator[None]:
    """``BEGIN`` ... ``COMMIT`` (``ROLLBACK`` on any exception, which then propagates)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        rollback(con)
        raise
    try:
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def rollback(con: Any) -> None:
    """``ROLLBACK`` unless DuckDB already ended the transaction (e.g. a failed commit)."""
    import duckdb

    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def placeholders(count: int) -> str:
    """``?, ?, ?`` for ``count`` parameters."""
    return ", ".join("?" * count)
