"""Opening the DuckDB database of a store, locked down and with clear errors.

The connection refuses every file access but its own database (``enable_external_access=false``)
and that setting cannot be changed back (``lock_configuration=true``). DuckDB writes and fsyncs
its write-ahead log on every commit, so a committed transaction survives ``kill -9`` (and power
loss, as far as the file system honours fsync); on the next open the WAL is replayed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from typing import Any

from ..errors import InvalidArgumentError, StoreLockedError, StoreUnavailableError

#: DuckDB settings every store connection is opened with.
DUCKDB_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}
#: DuckDB's memory limit for a store (it spills to disk beyond it); env ATHENA_STORE_MEMORY_LIMIT.
DEFAULT_MEMORY_LIMIT = "2GiB"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def memory_limit() -> str:
    """The DuckDB memory limit to use (validated: a number and a unit such as ``2GiB``)."""
    value = os.environ.get("ATHENA_STORE_MEMORY_LIMIT", "").strip() or DEFAULT_MEMORY_LIMIT
    if not _SIZE.match(value):
        raise InvalidArgumentError(
            f"environment variable ATHENA_STORE_MEMORY_LIMIT={value!r} must be a size such as "
            "'2GiB' or '512MB'"
        )
    return value


def _session_settings() -> list[str]:
    """Applied right after opening, in this order; the last one locks the configuration."""
    return [
        "SET enable_progress_bar = false",  # it would print into the owner's log
        f"SET memory_limit = '{memory_limit()}'",  # validated above: digits and a unit only
        "SET lock_configuration = true",
    ]


#: Optional data-frame libraries DuckDB's Python client tries to import on every parameter it
#: binds. When one is not installed, each failed import walks ``sys.path`` (about 1 ms per
#: statement here); marking it absent in ``sys.modules`` makes the failure instant.
_ABSENT_FRAME_MODULES = ("pandas",)


def _skip_missing_frame_imports() -> None:
    for name in _ABSENT_FRAME_MODULES:
        if name not in sys.modules and importlib.util.find_spec(name) is None:
            sys.modules[name] = None  # type: ignore[assignment]


def connect(path: str) -> Any:
    """Open (creating if needed) the DuckDB database at ``path`` (or ``":memory:"``).

    Raises:
        StoreLockedError: another process holds the file open for writing.
        StoreUnavailableError: the file cannot be opened (not a DuckDB file, no permission...).
    """
    _skip_missing_frame_imports()
    import duckdb

    if path != ":memory:":
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
    try:
        con = duckdb.connect(path, config=dict(DUCKDB_CONFIG))
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreLockedError(
                f"the memory store {path} is open in another process ({_lock_holder(text)}); "
                "use open_memory(path) (shared, the default) in every process that opens it, "
                "or close the other process"
            ) from None
        raise StoreUnavailableError(f"cannot open the memory store {path}: {text}") from None
    except duckdb.Error as exc:
        raise StoreUnavailableError(f"cannot open the memory store {path}: {exc}") from None
    try:
        for statement in _session_settings():
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


def _lock_holder(message: str) -> str:
    marker = "PID "
    if marker in message:
        pid = message.split(marker, 1)[1].split(")")[0].split()[0]
        return f"pid {pid}"
    return "another process"
