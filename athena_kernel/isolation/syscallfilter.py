"""The ``seccomp`` layer: install the filter for this architecture and prove it works."""

from __future__ import annotations

import errno
import os
import socket

from . import _native, seccomp
from .probing import fork_refused, probe_denied, threads_start
from .report import LayerResult, LayerStatus
from .syscalls import table_for


def apply_syscall_filter() -> LayerResult:
    """Install :data:`seccomp.DEFAULT_RULES`; ``socket()`` and ``fork()`` must then fail."""
    table = table_for(_native.machine())
    if table is None:
        return LayerResult(
            "seccomp",
            LayerStatus.UNAVAILABLE,
            reason=f"no system-call table for architecture {_native.machine()!r}",
        )
    program = seccomp.build_filter(table, os.getpid())
    try:
        seccomp.install(program, table)
    except OSError as exc:
        return LayerResult(
            "seccomp",
            LayerStatus.UNAVAILABLE if exc.errno == errno.EINVAL else LayerStatus.FAILED,
            reason=f"installing the filter: {_native.errno_text(exc)}",
        )
    checks = {
        "mode": seccomp.current_mode() == seccomp.SECCOMP_MODE_FILTER,
        "socket": probe_denied(lambda: socket.socket(socket.AF_UNIX), errno.EPERM),
        "fork": fork_refused(),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        return LayerResult(
            "seccomp", LayerStatus.FAILED, reason=f"filter installed but not effective: {failed}"
        )
    threads = "threads still work" if threads_start() else "WARNING: threads cannot start"
    return LayerResult(
        "seccomp",
        LayerStatus.ACTIVE,
        f"{len(program)}-instruction filter ({table.machine}); socket() and fork() refused; "
        f"{threads}",
        verified=True,
    )
