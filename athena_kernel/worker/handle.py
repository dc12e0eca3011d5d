"""The kernel's handle on its sandbox worker: start it, run cells in it, enforce limits, replace it.

Runs in the kernel (trusted). Everything the worker sends is treated as untrusted input: each
message is checked against its expected shape, and a worker that breaks the protocol is killed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import site
import socket
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..wire import ConnectionClosedError, WireError, recv_message, send_message
from .protocol import MAX_MESSAGE_BYTES, error_payload

#: The settings the worker needs (everything else stays in the kernel).
WORKER_SETTINGS = (
    "profile",
    "store_path",
    "cell_timeout",
    "memory_limit_mb",
    "max_recursion_depth",
    "max_int_digits",
    "max_output_chars",
    "max_cell_chars",
    "max_cell_lines",
    "max_cell_output_chars",
    "allowed_modules",
    "allowed_magics",
)


def python_read_paths() -> list[str]:
    """What the confined worker may still read: the Python installation, read-only.

    The standard library, site-packages and the ``athena_kernel`` package directory (not the
    project checkout around it, which may hold a store file), plus the system time-zone database
    (``zoneinfo.TZPATH``, public data ``zoneinfo.ZoneInfo("Europe/Paris")`` needs). Code that
    Python imports lazily after confinement comes from here; nothing else is readable.
    """
    import zoneinfo

    import athena_kernel

    paths = [
        sysconfig.get_paths()["stdlib"],
        sysconfig.get_paths()["platstdlib"],
        *site.getsitepackages(),
        os.path.dirname(os.path.abspath(athena_kernel.__file__)),
        *zoneinfo.TZPATH,
    ]
    return [p for p in dict.fromkeys(paths) if os.path.isdir(p)]


def unsafe_test_hook_enabled() -> bool:
    """True when the kernel was started with ``ATHENA_UNSAFE_TEST_HOOK=1`` (tests only)."""
    return os.environ.get("ATHENA_UNSAFE_TEST_HOOK") == "1"


class WorkerError(Exception):
    """The worker could not be started or broke the protocol."""


@dataclass
class WorkerDied(Exception):
    """The worker process ended during a request (crash, limit, or killed by the kernel)."""

    kind: str  #: timeout | memory | cpu | crash | protocol | exit
    message: str
    diagnosis: Any = None

    def __str__(self) -> str:
        return self.message


@dataclass
class CellEvents:
    """Callbacks the kernel gives :meth:`WorkerHandle.execute` for a cell's events."""

    stream: Callable[[str, str], None]
    display: Callable[[dict[str, Any]], None]
    result: Callable[[dict[str, Any]], None]
    error: Callable[[dict[str, Any]], None]
    clear_output: Callable[[bool], None]
    call: Callable[[str, dict[str, Any]], Any]


@dataclass
class WorkerHandle:
    """One sandbox worker process and the kernel's end of its socket."""

    settings: Any
    log: Any = None
    process: Any = None
    sock: socket.socket | None = None
    report: dict[str, Any] = field(default_factory=dict)
    started_at: float = 0.0
    first_cell: int = 1
    scratch_dir: str = ""
    kill_reason: str | None = None  #: why the kernel killed the worker, if it did
    _ids: int = 0

    # ------------------------------------------------------------------ life cycle
    def start(self, next_cell: int = 1) -> None:
        """Spawn the worker (it warms up and confines itself; :meth:`wait_ready` waits)."""
        from ..isolation import make_scratch_dir, policy_from_settings, spawn

        parent_sock, child_sock = socket.socketpair()
        self.scratch_dir = make_scratch_dir()
        policy = policy_from_settings(self.settings, self.scratch_dir)
        policy = dataclasses.replace(
            policy, read_paths=tuple(dict.fromkeys((*policy.read_paths, *python_read_paths())))
        )
        values = {name: getattr(self.settings, name) for name in WORKER_SETTINGS}
        values["store_path"] = self.settings.resolved_store_path()
        test_hook = unsafe_test_hook_enabled()
        if test_hook and self.log is not None:
            self.log.warning(
                "ATHENA_UNSAFE_TEST_HOOK is set: the sandbox worker offers unsafe_exec() to "
                "cells (unsandboxed Python inside the confined worker). Tests only!"
            )
        bwrap = {"auto": "auto", "always": True, "never": False}[
            getattr(self.settings, "isolation_use_bwrap", "auto")
        ]
        try:
            self.process = spawn(
                "athena_kernel.worker.main",
                scratch_dir=self.scratch_dir,
                pass_fds=[child_sock.fileno()],
                policy=policy,
                args=[str(child_sock.fileno()), json.dumps(values), "1" if test_hook else "0"],
                use_bwrap=bwrap,
                kind="module",
            )
        finally:
            child_sock.close()
        self.sock = parent_sock
        self.started_at = time.time()
        self.first_cell = next_cell
        self.kill_reason = None
        self.report = {}

    @property
    def alive(self) -> bool:
        """True while the worker process runs."""
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        """Wait for the worker's ``ready`` message; returns its confinement report."""
        if self.report:
            return self.report
        msg = self._receive(deadline=time.monotonic() + timeout, what="start")
        if msg.get("type") != "ready" or not isinstance(msg.get("report"), dict):
            self.kill("protocol violation at start-up")
            said = str(msg.get("text", ""))[:500] if msg.get("type") == "stream" else ""
            raise WorkerError(
                f"the sandbox worker did not start: it sent {msg.get('type')!r} before 'ready'"
                + (f": {said.strip()}" if said else "")
            )
        self.report = msg["report"]
        return self.report

    def kill(self, reason: str = "stopped by the kernel") -> None:
        """Kill the worker now (SIGKILL) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.kill_reason = reason
            self.process.kill()
            try:
                self.process.wait(timeout=5)
            except Exception:
                pass
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        """Delete the dead worker's scratch directory (whatever it wrote there goes too)."""
        if self.scratch_dir and (self.process is None or self.process.poll() is not None):
            shutil.rmtree(self.scratch_dir, ignore_errors=True)
            self.scratch_dir = ""

    def shutdown(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        if self.sock is not None and self.alive:
            try:
                send_message(self.sock, {"type": "shutdown"})
                self.process.wait(timeout=2)
            except Exception:
                pass
        self.kill()

    def interrupt(self) -> None:
        """Interrupt the running cell (KeyboardInterrupt in the worker)."""
        if self.alive:
            os.kill(self.process.pid, signal.SIGINT)

    # ------------------------------------------------------------------ requests
    def execute(
        self,
        code: str,
        *,
        execution_count: int,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, Any],
        events: CellEvents,
        timeout: float,
        grace: float,
        value_budget: int | None = None,
    ) -> dict[str, Any]:
        """Run a cell; dispatch its events; return the worker's ``done`` content.

        Raises :class:`WorkerDied` when the worker ends (it is then gone: start a new one).
        """
        self.wait_ready()
        self._ids += 1
        request_id = self._ids
        self._send(
            {
                "type": "execute",
                "id": request_id,
                "code": code,
                "silent": silent,
                "store_history": store_history,
                "user_expressions": user_expressions,
                "execution_count": execution_count,
                "timeout": timeout,
                "value_budget": value_budget,
            }
        )
        limit = time.monotonic() + timeout if timeout and timeout > 0 else None
        hard_limit: float | None = None
        while True:
            deadline = limit
            try:
                msg = self._receive(deadline=deadline, what="cell")
            except TimeoutError:
                now = time.monotonic()
                if hard_limit is None:
                    # the time limit: ask the cell to stop, then give it the grace period
                    hard_limit = now + grace
                if now < hard_limit:
                    # again and again: a `finally:` may loop after the first interrupt
                    os.kill(self.process.pid, signal.SIGUSR1)
                    limit = min(now + 0.25, hard_limit)
                    continue
                self.kill("cell timeout")
                raise WorkerDied(
                    "timeout",
                    f"cell exceeded its {timeout:g} s time limit and did not stop within "
                    f"{grace:g} s",
                ) from None
            kind = msg.get("type")
            if kind == "done" and msg.get("id") == request_id:
                return msg
            try:
                self._dispatch(msg, events)
            except WorkerDied:
                self.kill("protocol violation")
                raise

    def complete(self, code: str, cursor_pos: int | None) -> dict[str, Any]:
        """Completion of the user's names (the worker holds them)."""
        return self._simple("complete", {"code": code, "cursor_pos": cursor_pos})

    def inspect(self, code: str, cursor_pos: int | None, detail_level: int) -> dict[str, Any]:
        """Inspection of the user's objects."""
        return self._simple(
            "inspect", {"code": code, "cursor_pos": cursor_pos, "detail_level": detail_level}
        )

    def _simple(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        self.wait_ready()
        self._ids += 1
        self._send({"type": kind, "id": self._ids, **params})
        msg = self._receive(deadline=time.monotonic() + 10, what=kind)
        if msg.get("type") != f"{kind}_reply" or not isinstance(msg.get("content"), dict):
            raise WorkerError(f"sandbox worker answered {kind} with {msg.get('type')!r}")
        return msg["content"]

    # ------------------------------------------------------------------ events
    def _dispatch(self, msg: dict[str, Any], events: CellEvents) -> None:
        kind = msg.get("type")
        if kind == "stream":
            name, text = msg.get("name"), msg.get("text")
            _require(name in ("stdout", "stderr") and isinstance(text, str), msg)
            events.stream(name, text)
        elif kind == "display":
            _require(isinstance(msg.get("data"), dict), msg)
            events.display(msg)
        elif kind == "result":
            _require(isinstance(msg.get("data"), dict), msg)
            events.result(msg)
        elif kind == "error":
            _require(isinstance(msg.get("traceback"), list), msg)
            events.error(msg)
        elif kind == "clear_output":
            events.clear_output(bool(msg.get("wait")))
        elif kind == "call":
            op, params = msg.get("op"), msg.get("params")
            _require(isinstance(op, str) and isinstance(params, dict), msg)
            try:
                reply: dict[str, Any] = {"result": events.call(op, params)}
            except Exception as exc:  # the failure goes back to the caller in the worker
                reply = {"error": error_payload(exc)}
            self._send({"type": "reply", "id": msg.get("id"), **reply})
        else:
            _require(False, msg)

    # ------------------------------------------------------------------ transport
    def _send(self, msg: dict[str, Any]) -> None:
        if self.sock is None:
            raise self._died("the sandbox worker is not running")
        try:
            send_message(self.sock, msg, max_bytes=MAX_MESSAGE_BYTES)
        except OSError:
            raise self._died("the sandbox worker stopped") from None

    def _receive(self, *, deadline: float | None, what: str) -> dict[str, Any]:
        if self.sock is None:
            raise self._died("the sandbox worker is not running")
        remaining = None if deadline is None else max(deadline - time.monotonic(), 0.001)
        self.sock.settimeout(remaining)
        try:
            msg = recv_message(self.sock, max_bytes=MAX_MESSAGE_BYTES)
        except TimeoutError:
            if what == "start":
                self.kill()
                raise WorkerError("the sandbox worker did not start in time") from None
            raise TimeoutError from None
        except (ConnectionClosedError, ConnectionError, OSError):
            raise self._died("the sandbox worker stopped") from None
        except WireError as exc:
            self.kill()
            raise WorkerDied("protocol", f"the sandbox worker broke the protocol: {exc}") from None
        if not isinstance(msg, dict):
            self.kill()
            raise WorkerDied("protocol", "the sandbox worker sent a message that is not an object")
        return msg

    def _died(self, fallback: str) -> WorkerDied:
        """Reap the worker and describe how it ended."""
        from ..isolation import classify_exit

        process = self.process
        if process is not None:
            try:
                process.wait(timeout=5)
            except Exception:
                process.kill()
                process.wait(timeout=5)
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self._remove_scratch()
        if process is None or process.returncode is None:
            return WorkerDied("exit", fallback)
        diagnosis = classify_exit(
            process.returncode,
            rusage=getattr(process, "rusage", None),
            limits=self.report.get("limits") if self.report else None,
            killed_by_kernel=self.kill_reason,
        )
        kind = {"memory_limit": "memory", "cpu_limit": "cpu"}.get(diagnosis.kind, "crash")
        if self.log is not None:
            self.log.warning("sandbox worker ended: %s", diagnosis.message)
        return WorkerDied(kind, diagnosis.message, diagnosis)


def _require(condition: bool, msg: dict[str, Any]) -> None:
    if not condition:
        raise WorkerDied("protocol", f"the sandbox worker sent a malformed {msg.get('type')!r}")
