"""Crashes and limits: each kills (or stops) only the worker, and the exit analysis names it.

The test process plays the kernel: it must survive every case, and ``describe_exit`` must tell
a memory limit from a CPU limit, a file-size limit, a segfault, an abort, ``os._exit`` and a
kill by the kernel itself.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("OS confinement is Linux-only", allow_module_level=True)

from athena_kernel.isolation.exits import ExitKind, WorkerExit
from athena_kernel.isolation.harness import run_confined, work_area
from athena_kernel.isolation.policy import MIB, ResourceLimits
from athena_kernel.isolation.report import LayerStatus


@pytest.fixture
def area() -> Iterator[str]:
    with work_area() as base:
        yield base


def test_memory_bomb_ends_with_the_memory_limit_status(area: str) -> None:
    code = "blob = bytearray(8 * 1024 ** 3)\n"
    run = run_confined(code, base_dir=area, limits=ResourceLimits(memory_bytes=128 * MIB))
    assert run.returncode == WorkerExit.MEMORY_LIMIT, run.stderr
    assert run.exit is not None and run.exit.kind is ExitKind.MEMORY_LIMIT


def test_gradual_memory_growth_is_stopped_near_the_limit(area: str) -> None:
    # (ru_maxrss is no use here: Linux carries it across exec, so it includes the RSS of the
    # process that forked the worker, e.g. a long pytest run.)
    code = (
        "chunks = []\n"
        "try:\n"
        "    while True:\n"
        "        chunks.append(bytearray(4 * 1024 * 1024))\n"
        "except MemoryError:\n"
        "    got = len(chunks) * 4\n"
        "    chunks.clear()\n"
        "    print('allocated_mib', got)\n"
    )
    run = run_confined(code, base_dir=area, limits=ResourceLimits(memory_bytes=48 * MIB))
    assert run.returncode == 0, run.stderr
    allocated = int(run.stdout.split("allocated_mib")[1].split()[0])
    assert 16 <= allocated <= 48  # it grew, and was stopped at the limit above its baseline


def test_memory_error_can_be_caught_but_the_limit_stays(area: str) -> None:
    code = """
import resource
try:
    bytearray(4 * 1024 ** 3)
except MemoryError:
    emit(caught=True)
try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    emit(raised=True)
except (ValueError, OSError) as exc:
    emit(raised=False)
"""
    run = run_confined(
        code, base_dir=area, limits=ResourceLimits(memory_bytes=64 * MIB),
        warm_imports=("resource",),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.result() == {"caught": True, "raised": False}


def test_fork_bomb_is_refused_outright_by_seccomp(area: str) -> None:
    code = """
import os
children = 0
try:
    while children < 1000:
        if os.fork() == 0:
            os._exit(0)
        children += 1
except OSError as exc:
    emit(children=children, error=type(exc).__name__)
"""
    run = run_confined(code, base_dir=area)
    if run.report and run.report.status("seccomp") is not LayerStatus.ACTIVE:
        pytest.skip("seccomp is not active on this machine")
    assert run.result() == {"children": 0, "error": "PermissionError"}


def test_fork_bomb_is_capped_by_rlimit_nproc_without_seccomp(area: str) -> None:
    code = """
import os, signal
children = 0
try:
    while children < 200:
        if os.fork() == 0:
            os.close(1)  # let the test see the worker's output end
            os.close(2)
            signal.pause()
            os._exit(0)
        children += 1
    emit(children=children, error=None)
except OSError as exc:
    emit(children=children, error=type(exc).__name__)
"""
    run = run_confined(
        code, base_dir=area, disabled=["seccomp"], limits=ResourceLimits(processes=8)
    )
    try:
        assert run.report is not None
        if run.report.facts.get("uid") == 0:
            pytest.skip("worker runs as root (privilege drop off): RLIMIT_NPROC does not apply")
        result = run.result()
        assert result["error"] == "BlockingIOError", result  # EAGAIN from the process limit
        assert result["children"] < 8
    finally:
        try:
            os.killpg(run.worker.pid, signal.SIGKILL)  # type: ignore[union-attr]
        except ProcessLookupError:
            pass


def test_segfault_kills_only_the_worker(area: str) -> None:
    run = run_confined("import ctypes\nctypes.string_at(0)\n", base_dir=area)
    assert run.returncode == -signal.SIGSEGV
    assert run.exit is not None and run.exit.kind is ExitKind.SEGFAULT
    assert "segmentation fault" in run.exit.message


def test_abort_and_os_exit_are_told_apart(area: str) -> None:
    aborted = run_confined("import os\nos.abort()\n", base_dir=area)
    assert aborted.exit is not None and aborted.exit.kind is ExitKind.ABORT
    exited = run_confined("import os\nos._exit(7)\n", base_dir=area)
    assert exited.returncode == 7
    assert exited.exit is not None and "status 7" in exited.exit.message


def test_cpu_limit_stops_an_uninterruptible_c_call(area: str) -> None:
    # one long C call: no signal handler runs in between, only the kernel can stop it
    run = run_confined(
        "x = 10 ** 10 ** 8\n", base_dir=area,
        limits=ResourceLimits(cpu_seconds=1, cpu_grace_seconds=1), timeout=20,
    )  # fmt: skip
    assert run.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    assert run.exit is not None and run.exit.kind is ExitKind.CPU_LIMIT, run.exit


def test_file_size_limit_refuses_big_files(area: str) -> None:
    code = """
try:
    with open("big.bin", "wb") as fh:
        fh.write(b"x" * (3 * 1024 * 1024))
    emit(written=True)
except OSError as exc:
    emit(written=False, errno=exc.errno)
"""
    run = run_confined(code, base_dir=area, limits=ResourceLimits(file_size_bytes=MIB))
    import errno

    assert run.result() == {"written": False, "errno": errno.EFBIG}


def test_kill_by_the_kernel_is_reported_as_such(area: str) -> None:
    def kill_soon(worker) -> None:
        import time

        deadline = time.monotonic() + 10
        while "REPORT" not in worker.stdout_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)

    run = run_confined(
        "import time\ntime.sleep(60)\n", base_dir=area, before_wait=kill_soon,
        killed_by_kernel="cell timeout",
    )  # fmt: skip
    assert run.returncode == -signal.SIGKILL
    assert run.exit is not None and run.exit.kind is ExitKind.KILLED_BY_KERNEL
    assert "cell timeout" in run.exit.message


def test_missing_required_layer_refuses_to_start(area: str) -> None:
    run = run_confined("emit(ran=True)\n", base_dir=area, required=["bwrap"], use_bwrap=False)
    assert run.returncode == WorkerExit.CONFINEMENT_FAILED
    assert run.results == []  # no user code ran
    assert "bwrap" in run.stderr and "required isolation layer" in run.stderr
    assert run.exit is not None and run.exit.kind is ExitKind.CONFINEMENT_FAILED
