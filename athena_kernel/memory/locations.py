"""Where a store and its owner process keep their files.

Next to the store file ``memory.duckdb`` live ``memory.duckdb.owner.lock`` (the ``flock`` that
makes one owner per store), ``memory.duckdb.owner.json`` (which socket the owner listens on)
and ``memory.duckdb.owner.log``. The socket itself lives in a private runtime directory (mode
0700) and is named by a hash of the store's real path, which keeps it under the 107-byte limit
of a Unix socket path.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidArgumentError

IN_MEMORY = ":memory:"
#: Longest path a Unix socket address can hold on Linux (sun_path is 108 bytes with the NUL).
MAX_SOCKET_PATH = 107
DEFAULT_IDLE_TIMEOUT = 600.0
DEFAULT_START_TIMEOUT = 60.0
DEFAULT_CALL_TIMEOUT = 600.0


def resolve_store_path(path: str | os.PathLike[str] | None) -> str:
    """The store to open: ``path``, else ``$ATHENA_STORE``, else the Jupyter data dir default.

    Returns ``":memory:"`` unchanged, otherwise an absolute path with symlinks resolved.

    Raises:
        InvalidArgumentError: the path is empty or names a directory.
    """
    if path is None:
        path = os.environ.get("ATHENA_STORE") or _default_store_path()
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(
            f"path must be a file path, ':memory:' or None; got {type(path).__name__}"
        )
    text = os.fspath(path)
    if text == IN_MEMORY:
        return text
    if not text.strip():
        raise InvalidArgumentError("path must not be empty; pass None for the default store")
    real = os.path.realpath(os.path.expanduser(text))
    if os.path.isdir(real):
        raise InvalidArgumentError(
            f"path must be a store file, not a directory: {real}; "
            f"e.g. {os.path.join(real, 'memory.duckdb')}"
        )
    return real


def _default_store_path() -> str:
    from ..config import default_store_path

    return default_store_path()


@dataclass(frozen=True)
class OwnerFiles:
    """The files next to a store that belong to its owner process."""

    store: str
    lock: str
    info: str
    log: str

    @classmethod
    def for_store(cls, store: str) -> OwnerFiles:
        """The owner files of the store at ``store`` (an absolute path)."""
        return cls(store, f"{store}.owner.lock", f"{store}.owner.json", f"{store}.owner.log")


def store_key(store: str) -> str:
    """A short hash naming a store's socket."""
    return hashlib.sha256(store.encode()).hexdigest()[:20]


def private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700) if needed and check nobody else can use it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_uid != os.getuid():
        raise PermissionError(f"{path} belongs to another user; refusing to put sockets there")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def runtime_dir() -> Path:
    """The private directory for store sockets (under the Jupyter runtime dir when it fits)."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        base = Path(jupyter_runtime_dir()) / "athena-stores"
    except Exception:  # jupyter_core missing or broken: fall back to the temp dir
        base = _temp_runtime_dir()
    if len(str(base)) + 1 + 20 + len(".sock") > MAX_SOCKET_PATH:
        base = _temp_runtime_dir()
    return private_dir(base)


def _temp_runtime_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"athena-stores-{os.getuid()}"


def socket_path_for(store: str) -> str:
    """The Unix socket path of a store's owner."""
    return str(runtime_dir() / f"{store_key(store)}.sock")


def env_seconds(name: str, default: float) -> float:
    """A positive number of seconds from environment variable ``name`` (``default`` if unset)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InvalidArgumentError(
            f"environment variable {name}={raw!r} must be a number of seconds"
        ) from None
    if value <= 0:
        raise InvalidArgumentError(f"environment variable {name}={raw!r} must be positive")
    return value
