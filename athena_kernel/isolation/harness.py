"""Run a snippet in a freshly confined worker and collect everything about it, for tests and checks.

:func:`run_confined` starts a worker with :func:`spawn`, lets it import ``warm_imports`` (real
``os``, ``socket``, ``ctypes``... as if the Python sandbox were already broken), confines it, runs
the snippet, and returns its report, output, exit status and exit diagnosis. Lines the snippet
prints as ``RESULT <json>`` are parsed into :attr:`ConfinedRun.results`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .exits import ExitDiagnosis
from .launcher import WorkerProcess, make_scratch_dir, spawn
from .policy import ConfinementPolicy, ResourceLimits
from .report import ConfinementReport

#: Modules a "broken sandbox" snippet gets before confinement.
ATTACK_IMPORTS = (
    "os",
    "sys",
    "json",
    "ctypes",
    "socket",
    "signal",
    "errno",
    "subprocess",
    "threading",
    "time",
)
_REPORT_LINE = (
    "import json as _j, sys as _s\n"
    "_s.stdout.write('REPORT ' + _j.dumps(confinement_report.to_dict()) + '\\n')\n"
    "_s.stdout.flush()\n"
    "def emit(**values):\n"
    "    _s.stdout.write('RESULT ' + _j.dumps(values, default=str) + '\\n')\n"
    "    _s.stdout.flush()\n"
)


@dataclass
class ConfinedRun:
    """Outcome of :func:`run_confined`."""

    returncode: int | None
    stdout: str
    stderr: str
    report: ConfinementReport | None
    results: list[dict[str, Any]] = field(default_factory=list)
    exit: ExitDiagnosis | None = None
    worker: WorkerProcess | None = None

    def result(self) -> dict[str, Any]:
        """All ``emit(...)`` values merged into one dict."""
        merged: dict[str, Any] = {}
        for item in self.results:
            merged.update(item)
        return merged


@contextmanager
def work_area() -> Iterator[str]:
    """A temporary directory any uid can enter (mode 0755), removed afterwards.

    Put scratch directories, canaries and listening sockets under it: a root kernel's worker
    runs as ``nobody`` and must be able to reach its scratch directory.
    """
    base = tempfile.mkdtemp(prefix="athena-isolation-")
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run_confined(
    code: str,
    *,
    base_dir: str,
    limits: ResourceLimits | None = None,
    disabled: Sequence[str] = (),
    required: Sequence[str] = (),
    pass_fds: Sequence[int] = (),
    warm_imports: Sequence[str] = ATTACK_IMPORTS,
    use_bwrap: bool | str = False,
    timeout: float = 30.0,
    before_wait: Callable[[WorkerProcess], None] | None = None,
    killed_by_kernel: str | None = None,
) -> ConfinedRun:
    """Run ``code`` confined (``emit(**values)`` is available to it) and wait for the end.

    ``base_dir`` must be enterable by the worker's uid (see :func:`work_area`). Layers in
    ``required`` abort the worker when missing; the default requires none, so a test can look
    at the report and skip. ``before_wait`` runs right after the start (e.g. to kill it).
    """
    scratch = make_scratch_dir(base_dir)
    policy = ConfinementPolicy(
        scratch_dir=scratch,
        limits=limits or ResourceLimits(),
        required=frozenset(required),
        disabled=frozenset(disabled),
    )
    worker = spawn(
        _REPORT_LINE + code,
        kind="code",
        scratch_dir=scratch,
        policy=policy,
        pass_fds=pass_fds,
        warm_imports=warm_imports,
        use_bwrap=use_bwrap,  # type: ignore[arg-type]
    )
    try:
        if before_wait is not None:
            before_wait(worker)
        worker.wait(timeout)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(5)
    stdout, stderr = worker.stdout_text(2), worker.stderr_text(2)
    report = None
    results = []
    for line in stdout.splitlines():
        if line.startswith("REPORT "):
            report = ConfinementReport.from_dict(json.loads(line[7:]))
        elif line.startswith("RESULT "):
            results.append(json.loads(line[7:]))
    limits_map = report.limits if report else None
    return ConfinedRun(
        returncode=worker.returncode,
        stdout=stdout,
        stderr=stderr,
        report=report,
        results=results,
        exit=worker.exit_diagnosis(limits=limits_map, killed_by_kernel=killed_by_kernel),
        worker=worker,
    )
