"""Why did the worker end? Exit-status and signal analysis for the kernel's error messages.

The worker reports two conditions itself through its exit status (:class:`WorkerExit`); the rest
is read from the signal that ended it, its resource usage (``wait4``) and the limits its
confinement report announced. Exit codes are chosen by code inside the worker, so a worker whose
sandbox was broken could fake one; signals sent by the kernel are known to the kernel and passed
as ``killed_by_kernel``.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Any

MIB = 1024 * 1024


class WorkerExit(IntEnum):
    """Exit statuses the worker uses on purpose."""

    #: A required confinement layer is missing; no user code ran.
    CONFINEMENT_FAILED = 78
    #: An allocation failed against the memory limit (MemoryError reached the top level).
    MEMORY_LIMIT = 86


class ExitKind(str, Enum):
    """Category of an exit, for programs; the message is for people."""

    RUNNING = "running"
    CLEAN = "clean"
    EXIT_STATUS = "exit_status"
    CONFINEMENT_FAILED = "confinement_failed"
    MEMORY_LIMIT = "memory_limit"
    CPU_LIMIT = "cpu_limit"
    FILE_SIZE_LIMIT = "file_size_limit"
    SEGFAULT = "segfault"
    ABORT = "abort"
    SECCOMP_KILL = "seccomp_kill"
    KILLED_BY_KERNEL = "killed_by_kernel"
    KILLED = "killed"
    SIGNAL = "signal"


@dataclass(frozen=True)
class ExitDiagnosis:
    """Category, readable explanation, and the raw status (signal number or exit code)."""

    kind: ExitKind
    message: str
    signal: int | None = None
    code: int | None = None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _limit(limits: Mapping[str, Any] | None, name: str, *, hard: bool = False) -> int | None:
    if not limits or name not in limits:
        return None
    value = limits[name]
    if isinstance(value, Sequence) and not isinstance(value, str):
        value = value[1 if hard and len(value) > 1 else 0]
    return int(value) if value is not None else None


def _usage(rusage: Any, name: str) -> float | None:
    if rusage is None:
        return None
    value = rusage.get(name) if isinstance(rusage, Mapping) else getattr(rusage, name, None)
    return float(value) if value is not None else None


def classify_exit(
    returncode: int | None,
    *,
    rusage: Any = None,
    limits: Mapping[str, Any] | None = None,
    killed_by_kernel: str | None = None,
) -> ExitDiagnosis:
    """Explain a worker's end.

    Args:
        returncode: ``Popen.returncode`` (negative = killed by that signal; None = running).
        rusage: the child's ``resource.struct_rusage`` (or a mapping with ``ru_maxrss`` in KiB,
            ``ru_utime``, ``ru_stime``), e.g. ``WorkerProcess.rusage``.
        limits: the effective limits from the confinement report (``report.limits``:
            ``{"RLIMIT_AS": [soft, hard], ...}``).
        killed_by_kernel: why the kernel itself killed it (e.g. ``"cell timeout"``), if it did.
    """
    if returncode is None:
        return ExitDiagnosis(ExitKind.RUNNING, "the worker is still running")
    maxrss_kib = _usage(rusage, "ru_maxrss")
    rss = f"{maxrss_kib * 1024 / MIB:.0f} MiB" if maxrss_kib is not None else None
    cpu = None
    if rusage is not None:
        cpu = (_usage(rusage, "ru_utime") or 0.0) + (_usage(rusage, "ru_stime") or 0.0)
    memory_limit = _limit(limits, "RLIMIT_AS")
    near_memory_limit = (
        memory_limit is not None
        and maxrss_kib is not None
        and maxrss_kib * 1024 >= 0.8 * memory_limit
    )
    if returncode >= 0:
        return _classify_status(returncode, killed_by_kernel)
    number = -returncode
    name = _signal_name(number)
    if killed_by_kernel and number in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
        return ExitDiagnosis(
            ExitKind.KILLED_BY_KERNEL,
            f"stopped by the kernel with {name} ({killed_by_kernel})",
            signal=number,
        )
    if number == signal.SIGXCPU:
        limit = _limit(limits, "RLIMIT_CPU")
        text = f" of {limit} s" if limit is not None else ""
        return ExitDiagnosis(
            ExitKind.CPU_LIMIT, f"CPU time limit{text} reached (SIGXCPU)", signal=number
        )
    if number == signal.SIGKILL:
        hard_cpu = _limit(limits, "RLIMIT_CPU", hard=True)
        if hard_cpu is not None and cpu is not None and cpu >= hard_cpu - 0.5:
            return ExitDiagnosis(
                ExitKind.CPU_LIMIT,
                f"CPU time hard limit of {hard_cpu} s reached (SIGKILL after {cpu:.1f} s)",
                signal=number,
            )
        if near_memory_limit:
            return ExitDiagnosis(
                ExitKind.MEMORY_LIMIT,
                f"killed (SIGKILL) while using {rss}, close to its memory limit: most likely "
                "the out-of-memory killer",
                signal=number,
            )
        usage = f" (peak memory {rss})" if rss else ""
        return ExitDiagnosis(
            ExitKind.KILLED,
            f"killed by SIGKILL from outside the worker{usage}: the out-of-memory killer or "
            "another process",
            signal=number,
        )
    if number == signal.SIGXFSZ:
        limit = _limit(limits, "RLIMIT_FSIZE")
        text = f" of {limit / MIB:.0f} MiB" if limit else ""
        return ExitDiagnosis(
            ExitKind.FILE_SIZE_LIMIT, f"file size limit{text} exceeded (SIGXFSZ)", signal=number
        )
    if number in (signal.SIGSEGV, signal.SIGBUS):
        if near_memory_limit:
            return ExitDiagnosis(
                ExitKind.MEMORY_LIMIT,
                f"crashed with {name} while using {rss}, close to its memory limit: native code "
                "that did not check a failed allocation",
                signal=number,
            )
        return ExitDiagnosis(
            ExitKind.SEGFAULT,
            f"crashed with a segmentation fault ({name}) in native code",
            signal=number,
        )
    if number == signal.SIGABRT:
        hint = " while close to its memory limit" if near_memory_limit else ""
        return ExitDiagnosis(
            ExitKind.ABORT,
            f"aborted (SIGABRT){hint}: a Python fatal error or a failed check in native code",
            signal=number,
        )
    if number == signal.SIGSYS:
        return ExitDiagnosis(
            ExitKind.SECCOMP_KILL,
            "killed by the seccomp filter (SIGSYS): a system call through a foreign ABI",
            signal=number,
        )
    return ExitDiagnosis(ExitKind.SIGNAL, f"terminated by {name}", signal=number)


def _classify_status(code: int, killed_by_kernel: str | None) -> ExitDiagnosis:
    if code == 0:
        if killed_by_kernel:
            return ExitDiagnosis(
                ExitKind.KILLED_BY_KERNEL,
                f"stopped at the kernel's request ({killed_by_kernel})",
                code=0,
            )
        return ExitDiagnosis(ExitKind.CLEAN, "exited normally", code=0)
    if code == WorkerExit.CONFINEMENT_FAILED:
        return ExitDiagnosis(
            ExitKind.CONFINEMENT_FAILED,
            "refused to start: a required confinement layer is not available on this machine "
            "(its diagnostics name it)",
            code=code,
        )
    if code == WorkerExit.MEMORY_LIMIT:
        return ExitDiagnosis(
            ExitKind.MEMORY_LIMIT,
            "stopped after an allocation failed against its memory limit",
            code=code,
        )
    return ExitDiagnosis(
        ExitKind.EXIT_STATUS,
        f"exited with status {code} (sys.exit/os._exit({code}) or an unhandled error)",
        code=code,
    )


def describe_exit(
    returncode: int | None,
    *,
    rusage: Any = None,
    limits: Mapping[str, Any] | None = None,
    killed_by_kernel: str | None = None,
) -> str:
    """One sentence saying why the worker ended (see :func:`classify_exit`)."""
    return classify_exit(
        returncode, rusage=rusage, limits=limits, killed_by_kernel=killed_by_kernel
    ).message
