"""The store's owner process: the one process that holds a store's DuckDB file open.

``python -m athena_kernel.memory.owner --store PATH [--detach]``

Clients (kernels, scripts) start it on demand and talk to it over a Unix socket with
length-prefixed JSON frames (:mod:`athena_kernel.wire`): a request ``{"id", "op", "params"}``
gets a reply ``{"id", "ok": true, "result"}`` or ``{"id", "ok": false, "error": {"type",
"message"}}``. Exactly one owner runs per store: it holds an exclusive ``flock`` on
``<store>.owner.lock`` for its whole life. It answers requests as soon as its socket is bound
(requests wait while the store opens), writes the search snapshot when it has been quiet for a
while, and exits after ``ATHENA_STORE_IDLE_TIMEOUT`` seconds (default 600) without any
connected client, saving the snapshot and checkpointing first. ``SIGTERM`` stops it the same way.

Besides the store's operations it serves ``owner.ping`` (pid, store, readiness) and
``owner.shutdown``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from ..wire import FrameTooLargeError, WireError, recv_message, send_message
from .errors import (
    InvalidArgumentError,
    MemoryAPIError,
    StoreInternalError,
    StoreUnavailableError,
    error_to_wire,
)
from .locations import (
    DEFAULT_IDLE_TIMEOUT,
    OwnerFiles,
    env_seconds,
    resolve_store_path,
    socket_path_for,
)

log = logging.getLogger("athena_kernel.memory.owner")

#: Seconds an owner whose store failed to open keeps answering with that error before exiting
#: (the cause may be temporary, e.g. a script holding the file; the next call starts a new owner).
FAILED_LINGER = 3.0
#: Seconds without requests after which changed search documents are snapshotted.
SNAPSHOT_QUIET = 30.0
#: Seconds a starting owner waits for the lock while a previous owner is still shutting down.
LOCK_WAIT = 30.0


class OwnerServer:
    """Serves one store over a Unix socket until idle, shut down, or signalled."""

    def __init__(self, store: str, *, idle_timeout: float, snapshot_quiet: float) -> None:
        self.store = store
        self.files = OwnerFiles.for_store(store)
        self.idle_timeout = idle_timeout
        self.snapshot_quiet = min(snapshot_quiet, idle_timeout / 2)
        self.socket_path = socket_path_for(store)
        self.engine: Any = None
        self.engine_error: MemoryAPIError | None = None
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self._clients: set[socket.socket] = set()
        self._clients_lock = threading.Lock()
        self._busy = 0
        self.last_activity = time.monotonic()
        self._listener: socket.socket | None = None

    # ------------------------------------------------------------------------------ startup
    def bind(self) -> None:
        """Bind the socket (replacing a stale one) and publish it in the info file."""
        try:
            os.unlink(self.socket_path)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            listener.bind(self.socket_path)
        finally:
            os.umask(old_umask)
        listener.listen(64)
        listener.settimeout(0.5)
        self._listener = listener
        info = {"pid": os.getpid(), "socket": self.socket_path, "store": self.store}
        tmp = f"{self.files.info}.{os.getpid()}.tmp"
        with open(tmp, "w") as fh:
            json.dump(info, fh)
        os.replace(tmp, self.files.info)

    def open_store(self) -> None:
        """Open the store (in a thread: requests wait on :attr:`ready`)."""
        started = time.monotonic()
        try:
            from .engine import StoreEngine

            self.engine = StoreEngine(self.store)
            log.info(
                "store open in %.2fs (%d search documents)",
                time.monotonic() - started,
                len(self.engine.index),
            )
        except MemoryAPIError as exc:
            self.engine_error = exc
            log.error("cannot open the store: %s", exc)
        except Exception as exc:
            log.exception("cannot open the store")
            self.engine_error = StoreUnavailableError(
                f"the store owner could not open {self.store}: {type(exc).__name__}: {exc}; "
                f"see {self.files.log}"
            )
        finally:
            self.ready.set()

    # ------------------------------------------------------------------------------ serving
    def serve(self) -> None:
        """Accept clients until stopped; then shut down cleanly."""
        assert self._listener is not None
        opener = threading.Thread(target=self.open_store, name="open-store", daemon=True)
        opener.start()
        failed_since: float | None = None
        try:
            while not self.stopping.is_set():
                try:
                    conn, _ = self._listener.accept()
                except TimeoutError:
                    conn = None
                except OSError:
                    if self.stopping.is_set():
                        break
                    raise
                if conn is not None:
                    self._start_client(conn)
                    continue
                now = time.monotonic()
                quiet = now - self.last_activity
                if self.engine_error is not None:
                    failed_since = failed_since or now
                    if now - failed_since > FAILED_LINGER:  # the next client call tries again
                        log.info("exiting: the store could not be opened")
                        break
                engine = self.engine
                if (
                    engine is not None
                    and self._busy == 0
                    and quiet > self.snapshot_quiet
                    and engine.index.changed
                    and engine.save_snapshot()
                ):
                    log.info("search snapshot saved")
                if self._busy == 0 and not self._connected() and quiet > self.idle_timeout:
                    log.info("exiting: no clients for %.0fs", quiet)
                    break
        finally:
            self.shutdown()

    def _connected(self) -> bool:
        with self._clients_lock:
            return bool(self._clients)

    def _start_client(self, conn: socket.socket) -> None:
        with self._clients_lock:
            self._clients.add(conn)
        self.last_activity = time.monotonic()
        thread = threading.Thread(target=self._client_loop, args=(conn,), daemon=True)
        thread.start()

    def _client_loop(self, conn: socket.socket) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    request = recv_message(conn)
                except (WireError, OSError):
                    return
                with self._clients_lock:
                    self._busy += 1
                try:
                    reply = self.handle(request)
                finally:
                    with self._clients_lock:
                        self._busy -= 1
                    self.last_activity = time.monotonic()
                if reply is None:  # shutting down: the client retries with the next owner
                    return
                try:
                    send_message(conn, reply)
                except FrameTooLargeError as exc:  # nothing was sent yet: say so instead
                    error = InvalidArgumentError(
                        f"the result of {request.get('op')} is too large to send ({exc}); "
                        "ask for less, e.g. a smaller limit"
                    )
                    reply = {"id": reply.get("id"), "ok": False, "error": error_to_wire(error)}
                    send_message(conn, reply)
                except (OSError, TypeError, ValueError) as exc:
                    log.warning("could not send a reply: %s", exc)
                    return
        finally:
            with self._clients_lock:
                self._clients.discard(conn)
            self.last_activity = time.monotonic()
            conn.close()

    def handle(self, request: Any) -> dict[str, Any] | None:
        """Answer one request frame (``None``: not served because the owner is stopping)."""
        if not isinstance(request, dict) or not isinstance(request.get("op"), str):
            error = StoreInternalError("malformed request: expected {'op': str, 'params': dict}")
            return {"id": None, "ok": False, "error": error_to_wire(error)}
        request_id, op = request.get("id"), request["op"]
        try:
            if op == "owner.ping":
                result: Any = {
                    "pid": os.getpid(),
                    "store": self.store,
                    "ready": self.ready.is_set() and self.engine is not None,
                }
            elif op == "owner.shutdown":
                self.stopping.set()
                result = True
            else:
                self.ready.wait()
                if self.engine_error is not None:
                    raise self.engine_error
                if self.stopping.is_set():
                    return None
                result = self.engine.call(op, request.get("params") or {})
            return {"id": request_id, "ok": True, "result": result}
        except StoreUnavailableError as exc:
            if self.stopping.is_set():
                return None
            return {"id": request_id, "ok": False, "error": error_to_wire(exc)}
        except MemoryAPIError as exc:
            return {"id": request_id, "ok": False, "error": error_to_wire(exc)}
        except Exception as exc:  # a bug: report it, keep serving
            log.exception("request %s failed", op)
            return {"id": request_id, "ok": False, "error": error_to_wire(exc)}

    # ------------------------------------------------------------------------------ shutdown
    def shutdown(self) -> None:
        """Stop accepting, close the store (after any running call), disconnect clients."""
        self.stopping.set()
        if self._listener is not None:
            self._listener.close()
        _unlink_if(self.socket_path)
        try:
            with open(self.files.info) as fh:
                mine = json.load(fh).get("pid") == os.getpid()
        except (OSError, ValueError):
            mine = False
        if mine:
            _unlink_if(self.files.info)
        self.ready.wait(timeout=60)
        if self.engine is not None:
            self.engine.close()
            log.info("store closed")
        with self._clients_lock:
            clients = list(self._clients)
        for conn in clients:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _unlink_if(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def acquire_lock(files: OwnerFiles, *, wait: float = LOCK_WAIT) -> int | None:
    """Take the owner lock; ``None`` if another owner holds it and is serving."""
    fd = os.open(files.lock, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if _owner_answers(files) or time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.05)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd


def _owner_answers(files: OwnerFiles) -> bool:
    """Whether an owner is listening on the socket named in the info file."""
    try:
        with open(files.info) as fh:
            path = json.load(fh)["socket"]
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(path)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _detach() -> None:
    """Fork; the parent exits at once (so the client reaps it) and the child leads a session."""
    if os.fork() > 0:
        os._exit(0)
    os.setsid()


#: The owner's log is rotated (to ``.1``) when it is bigger than this at start-up.
MAX_LOG_BYTES = 4 * 1024 * 1024


def _redirect_output(log_path: str, *, rotate: bool) -> None:
    if rotate:
        try:
            if os.path.getsize(log_path) > MAX_LOG_BYTES:
                os.replace(log_path, log_path + ".1")
        except OSError:
            pass
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.close(null)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format=f"%(asctime)s owner[{os.getpid()}] %(levelname)s %(message)s",
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the owner process."""
    parser = argparse.ArgumentParser(description="Serve one Athena memory store over a socket.")
    parser.add_argument("--store", required=True, help="path of the store's DuckDB file")
    parser.add_argument("--detach", action="store_true", help="fork into the background first")
    args = parser.parse_args(argv)
    store = resolve_store_path(args.store)
    if args.detach:
        _detach()
    files = OwnerFiles.for_store(store)
    os.makedirs(os.path.dirname(store), exist_ok=True)
    lock_fd = acquire_lock(files)
    _redirect_output(files.log, rotate=lock_fd is not None)  # only the owner rotates its log
    if lock_fd is None:
        log.info("another owner serves %s; exiting", store)
        return 0
    server = OwnerServer(
        store,
        idle_timeout=env_seconds("ATHENA_STORE_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        snapshot_quiet=SNAPSHOT_QUIET,
    )
    signal.signal(signal.SIGTERM, lambda *_: server.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: server.stopping.set())
    try:
        server.bind()
        log.info("serving %s on %s", store, server.socket_path)
        server.serve()
    finally:
        os.close(lock_fd)  # releases the flock
    log.info("exited")
    return 0


if __name__ == "__main__":
    sys.exit(main())
