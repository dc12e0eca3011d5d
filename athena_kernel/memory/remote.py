"""``RemoteBackend``: the client side of a store's owner process (see :mod:`.owner`).

The first call finds the owner through ``<store>.owner.json``, or starts one (detached, in its
own session) and waits for it. When the owner is gone or dies during a call, the client starts a
new one and sends the call again; that is safe because every write is idempotent (new items
carry ids generated here, runs carry run ids, updates set absolute values). One connection per
backend, one call at a time; a forked child opens its own connection.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..wire import WireError, recv_message, send_message
from .errors import StoreUnavailableError, error_from_wire
from .locations import (
    DEFAULT_CALL_TIMEOUT,
    DEFAULT_START_TIMEOUT,
    OwnerFiles,
    env_seconds,
)

#: How often a call is sent again when the owner disappears under it.
MAX_ATTEMPTS = 4
#: While waiting for an owner to come up, start another one this often (the first may have
#: lost a race with an owner that was shutting down).
RESPAWN_INTERVAL = 3.0


class RemoteBackend:
    """Calls a store's owner process over its Unix socket, starting the owner when needed."""

    def __init__(
        self,
        store: str,
        *,
        start_timeout: float | None = None,
        call_timeout: float | None = None,
    ) -> None:
        self.store = store
        self.files = OwnerFiles.for_store(store)
        self.start_timeout = start_timeout or env_seconds(
            "ATHENA_STORE_START_TIMEOUT", DEFAULT_START_TIMEOUT
        )
        self.call_timeout = call_timeout or env_seconds(
            "ATHENA_STORE_CALL_TIMEOUT", DEFAULT_CALL_TIMEOUT
        )
        self._sock: socket.socket | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._next_id = 0

    # ------------------------------------------------------------------------------ calls
    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Send one operation to the owner and return its result (or raise its error)."""
        with self._lock:
            self._next_id += 1
            request = {"id": self._next_id, "op": op, "params": params}
            failure: Exception | None = None
            for _ in range(MAX_ATTEMPTS):
                sock = self._connection()
                try:
                    send_message(sock, request)
                    reply = recv_message(sock)
                except TimeoutError:
                    self._drop()
                    raise StoreUnavailableError(
                        f"the store owner did not answer {op} within {self.call_timeout:.0f}s "
                        f"(ATHENA_STORE_CALL_TIMEOUT); see {self.files.log}"
                    ) from None
                except (OSError, WireError) as exc:  # owner gone or died mid-call: retry
                    self._drop()
                    failure = exc
                    continue
                if not isinstance(reply, dict) or reply.get("id") != request["id"]:
                    self._drop()
                    failure = WireError(f"unexpected reply {reply!r:.200}")
                    continue
                if reply.get("ok"):
                    return reply.get("result")
                raise error_from_wire(reply.get("error"))
            raise StoreUnavailableError(
                f"lost the connection to the store owner {MAX_ATTEMPTS} times during {op} "
                f"({failure}); see {self.files.log}"
            )

    def close(self) -> None:
        """Close the connection (the owner stays up for other clients until idle)."""
        with self._lock:
            self._drop()

    # ------------------------------------------------------------------------------ connecting
    def _drop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    def _connection(self) -> socket.socket:
        if self._sock is not None and self._pid == os.getpid():
            return self._sock
        self._sock, self._pid = None, os.getpid()
        deadline = time.monotonic() + self.start_timeout
        spawned_at: float | None = None
        delay = 0.005
        while True:
            sock = self._try_connect()
            if sock is not None:
                sock.settimeout(self.call_timeout)
                self._sock = sock
                return sock
            now = time.monotonic()
            if now > deadline:
                raise StoreUnavailableError(
                    f"could not start the store owner for {self.store} within "
                    f"{self.start_timeout:.0f}s (ATHENA_STORE_START_TIMEOUT); "
                    f"its log {self.files.log} ends with: {_log_tail(self.files.log)}"
                )
            if spawned_at is None or now - spawned_at > RESPAWN_INTERVAL:
                spawn_owner(self.store)
                spawned_at = time.monotonic()
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _try_connect(self) -> socket.socket | None:
        try:
            with open(self.files.info) as fh:
                path = json.load(fh)["socket"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(5.0)
            sock.connect(path)
        except OSError:
            sock.close()
            return None
        return sock


def spawn_owner(store: str) -> None:
    """Start an owner for ``store`` in the background (it exits at once if one is running)."""
    Path(store).parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "athena_kernel.memory.owner", "--store", store, "--detach"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        start_new_session=True,
        env=env,
        cwd=str(Path(store).parent),
    )
    process.wait()  # the detaching parent exits right after forking the owner


def _log_tail(path: str, lines: int = 5) -> str:
    try:
        with open(path, errors="replace") as fh:
            tail = fh.readlines()[-lines:]
    except OSError:
        return "(no log)"
    return " | ".join(line.strip() for line in tail) or "(empty log)"


def owner_request(socket_path: str, op: str, params: dict[str, Any] | None = None) -> Any:
    """Send one request on a fresh connection (admin use: ping, shutdown)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10.0)
        sock.connect(socket_path)
        send_message(sock, {"id": 0, "op": op, "params": params or {}})
        reply = recv_message(sock)
    if not reply.get("ok"):
        raise error_from_wire(reply.get("error"))
    return reply.get("result")


def shutdown_owners(root: str | os.PathLike[str]) -> int:
    """Stop every store owner whose store or socket lies under ``root``; returns how many.

    Used by test suites and tools to clean up owners they started (owners also exit by
    themselves when idle).
    """
    base = Path(root)
    sockets: set[str] = set()
    for info in base.rglob("*.owner.json"):
        try:
            sockets.add(json.loads(info.read_text())["socket"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    sockets.update(str(p) for p in base.rglob("*.sock") if p.parent.name == "athena-stores")
    stopped = 0
    for path in sorted(sockets):
        try:
            store = owner_request(path, "owner.ping")["store"]
            owner_request(path, "owner.shutdown")
        except (OSError, WireError, ValueError, KeyError, TypeError):
            continue
        _wait_until_unlocked(OwnerFiles.for_store(store).lock, timeout=15.0)
        stopped += 1
    return stopped


def _wait_until_unlocked(lock_path: str, *, timeout: float) -> bool:
    """Wait until nobody holds the owner lock (the owner has exited)."""
    import fcntl

    deadline = time.monotonic() + timeout
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except OSError:
        return True
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)
    finally:
        os.close(fd)
