"""Escape attempts run *inside* a confined worker, with the real ``os``, ``socket`` and ``ctypes``.

Used by ``python -m athena_kernel.isolation.selftest`` and the integration tests: they assume the
Python-level sandbox is already broken and check what the operating system still refuses. Every
probe is harmless when it succeeds (signal 0, an ``execve`` of a path that does not exist, a
one-byte cross-process read at address 0) so a machine where a layer is missing is not damaged
by the check. Each probe returns ``"blocked: <errno>"`` or ``"allowed..."``.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from . import _native
from .bootstrap import current_launch
from .launchinfo import LaunchInfo
from .syscalls import table_for

_IOVEC_FIELDS = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class _Iovec(ctypes.Structure):
    _fields_ = _IOVEC_FIELDS


def _outcome(action: Callable[[], Any]) -> str:
    try:
        detail = action()
    except OSError as exc:
        return f"blocked: {errno.errorcode.get(exc.errno or 0, exc.errno)}"
    return "allowed" + (f": {detail}" if detail else "")


def _read_file(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read(64)
    return f"read {len(data)} bytes"


def _write_file(path: str) -> str:
    with open(path, "wb") as fh:
        fh.write(b"x")
    return "file created"


def _socket(family: int, kind: int = socket.SOCK_STREAM) -> str:
    socket.socket(family, kind).close()
    return "socket created"


def _connect_tcp(port: int) -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect(("127.0.0.1", port))
    return "connected"


def _connect_unix(path: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect(path)
    return "connected"


def _fork() -> str:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return "child created"


def _execve_missing() -> str:
    """execve of a path that does not exist: ENOENT means execve itself is allowed."""
    table = table_for(_native.machine())
    if table is None or table.number("execve") is None:
        raise OSError(errno.ENOSYS, "no execve number")
    path = ctypes.create_string_buffer(b"/nonexistent/athena-probe")
    argv = (ctypes.c_char_p * 1)(None)
    try:
        _native.syscall(
            table.number("execve") or 0,
            ctypes.addressof(path),
            ctypes.addressof(argv),
            ctypes.addressof(argv),
        )
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return "execve reached the filesystem (ENOENT)"
        raise
    return "executed"


def _signal(pid: int) -> str:
    os.kill(pid, 0)
    return "signal 0 delivered"


def _read_memory(pid: int) -> str:
    """process_vm_readv of one byte at address 0: EFAULT means access was granted."""
    table = table_for(_native.machine())
    if table is None:
        raise OSError(errno.ENOSYS, "no system-call table")
    buf = ctypes.create_string_buffer(1)
    local = _Iovec(ctypes.addressof(buf), 1)
    remote = _Iovec(0, 1)
    try:
        _native.syscall(
            table.number("process_vm_readv") or 0,
            pid,
            ctypes.addressof(local),
            1,
            ctypes.addressof(remote),
            1,
            0,
        )
    except OSError as exc:
        if exc.errno == errno.EFAULT:
            return "memory access granted (EFAULT on address 0)"
        raise
    return "memory read"


def _environment() -> str:
    names = sorted(os.environ)
    return f"variables: {names}"


def _descriptors(allowed: list[int]) -> str:
    extra = [fd for fd in _native.open_fds() if fd not in allowed]
    if extra:
        return f"extra descriptors {extra}"
    raise OSError(errno.EBADF, "no extra descriptors")


def run_probes(params: dict[str, Any]) -> dict[str, str]:
    """Run every probe; ``params`` names the targets the outside test prepared."""
    parent = int(params["parent_pid"])
    launch = current_launch() or LaunchInfo(pass_fds=list(params.get("pass_fds", [])))
    outcomes = {
        "read_outside": _outcome(lambda: _read_file(params["canary"])),
        "write_outside": _outcome(lambda: _write_file(params["outside_file"])),
        "write_scratch": _outcome(lambda: _write_file(params["scratch_file"])),
        "socket_inet": _outcome(lambda: _socket(socket.AF_INET)),
        "socket_unix": _outcome(lambda: _socket(socket.AF_UNIX)),
        "tcp_connect_parent": _outcome(lambda: _connect_tcp(int(params["tcp_port"]))),
        "unix_connect_parent": _outcome(lambda: _connect_unix(params["unix_socket"])),
        "fork": _outcome(_fork),
        "execve": _outcome(_execve_missing),
        "signal_parent": _outcome(lambda: _signal(parent)),
        "read_parent_memory": _outcome(lambda: _read_memory(parent)),
        "read_parent_environ": _outcome(lambda: _read_file(f"/proc/{parent}/environ")),
        "environment": _outcome(_environment),
        "inherited_fds": _outcome(lambda: _descriptors([0, 1, 2, *launch.pass_fds])),
    }
    # Environment: "allowed" is the normal outcome; mark it blocked when nothing leaked.
    allowed_env = set(launch.allowed_env)
    if set(os.environ) <= allowed_env:
        outcomes["environment"] = "blocked: clean (" + ", ".join(sorted(os.environ)) + ")"
    return outcomes


def time_syscalls(rounds: int = 20000, repeats: int = 5) -> dict[str, float]:
    """Nanoseconds per call (best of ``repeats`` loops) of system calls every worker makes."""
    path = os.path.abspath(".")
    timings = {}
    for label, action in (
        ("getppid", os.getppid),
        ("stat", lambda: os.stat(path)),
        ("open_close", lambda: os.close(os.open(path, os.O_RDONLY | os.O_DIRECTORY))),
    ):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter_ns()
            for _ in range(rounds):
                action()
            best = min(best, (time.perf_counter_ns() - start) / rounds)
        timings[label] = best
    return timings


_BEFORE: dict[str, float] = {}


def warm() -> None:
    """Before confinement: time the system calls once unconfined (when asked to)."""
    params = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    if params.get("timing"):
        _BEFORE.update(time_syscalls())


def main(report: Any) -> None:
    """Child entry: print one JSON line with the confinement report and the probe outcomes."""
    params = json.loads(sys.argv[1])
    result: dict[str, Any] = {"report": report.to_dict(), "probes": run_probes(params)}
    if params.get("timing"):
        result["timing"] = {"before": dict(_BEFORE), "after": time_syscalls()}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
