"""Exit analysis: memory vs CPU vs file-size limit vs segfault vs abort vs killed by us."""

from __future__ import annotations

import signal

import pytest

from athena_kernel.isolation.exits import (
    MIB,
    ExitKind,
    WorkerExit,
    classify_exit,
    describe_exit,
)

LIMITS = {"RLIMIT_AS": [600 * MIB, 600 * MIB], "RLIMIT_CPU": [10, 12], "RLIMIT_FSIZE": [MIB, MIB]}


def _usage(maxrss_mib: float = 20, cpu: float = 0.5) -> dict[str, float]:
    return {"ru_maxrss": maxrss_mib * 1024, "ru_utime": cpu, "ru_stime": 0.0}


@pytest.mark.parametrize(
    ("returncode", "usage", "killed_by", "kind", "words"),
    [
        (None, None, None, ExitKind.RUNNING, "still running"),
        (0, None, None, ExitKind.CLEAN, "normally"),
        (7, None, None, ExitKind.EXIT_STATUS, "status 7"),
        (WorkerExit.MEMORY_LIMIT, None, None, ExitKind.MEMORY_LIMIT, "memory limit"),
        (WorkerExit.CONFINEMENT_FAILED, None, None, ExitKind.CONFINEMENT_FAILED, "confinement"),
        (-signal.SIGXCPU, _usage(cpu=10.1), None, ExitKind.CPU_LIMIT, "10 s"),
        (-signal.SIGKILL, _usage(cpu=12.0), None, ExitKind.CPU_LIMIT, "hard limit of 12 s"),
        (-signal.SIGKILL, _usage(maxrss_mib=590), None, ExitKind.MEMORY_LIMIT, "out-of-memory"),
        (-signal.SIGKILL, _usage(), None, ExitKind.KILLED, "from outside"),
        (-signal.SIGKILL, _usage(cpu=12.0), "cell timeout", ExitKind.KILLED_BY_KERNEL, "timeout"),
        (-signal.SIGTERM, None, "restart", ExitKind.KILLED_BY_KERNEL, "SIGTERM"),
        (-signal.SIGXFSZ, None, None, ExitKind.FILE_SIZE_LIMIT, "1 MiB"),
        (-signal.SIGSEGV, _usage(), None, ExitKind.SEGFAULT, "segmentation fault"),
        (-signal.SIGSEGV, _usage(maxrss_mib=580), None, ExitKind.MEMORY_LIMIT, "memory limit"),
        (-signal.SIGBUS, None, None, ExitKind.SEGFAULT, "SIGBUS"),
        (-signal.SIGABRT, None, None, ExitKind.ABORT, "aborted"),
        (-signal.SIGSYS, None, None, ExitKind.SECCOMP_KILL, "seccomp"),
        (-signal.SIGTERM, None, None, ExitKind.SIGNAL, "SIGTERM"),
    ],
)
def test_classification(returncode, usage, killed_by, kind: ExitKind, words: str) -> None:
    diagnosis = classify_exit(returncode, rusage=usage, limits=LIMITS, killed_by_kernel=killed_by)
    assert diagnosis.kind is kind
    assert words in diagnosis.message
    assert (
        describe_exit(returncode, rusage=usage, limits=LIMITS, killed_by_kernel=killed_by)
        == diagnosis.message
    )


def test_without_usage_or_limits_a_sigkill_is_just_killed() -> None:
    assert classify_exit(-signal.SIGKILL).kind is ExitKind.KILLED


def test_accepts_struct_rusage_and_scalar_limits() -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    diagnosis = classify_exit(-signal.SIGXCPU, rusage=usage, limits={"RLIMIT_CPU": 3})
    assert diagnosis.kind is ExitKind.CPU_LIMIT and "3 s" in diagnosis.message
