"""The worker's first Python code: record the start, warm up, confine, then run the target.

The launcher starts ``python -I -S -B -c <prelude> <spec>``; the prelude sets ``sys.path`` and
calls :func:`main` with the JSON spec. Sequence, with no user code before step 4:

1. record the environment names and open descriptors found at start-up;
2. import ``warm_imports`` and the target module (and call its ``warm()`` if it has one): this is
   when files are read, before Landlock hides them;
3. :func:`~athena_kernel.isolation.confine` with the policy; a required layer missing ends the
   process with :data:`WorkerExit.CONFINEMENT_FAILED` and a message on stderr;
4. call the module's ``main(report)`` or exec the code (with ``confinement_report`` bound).

A ``MemoryError`` that reaches this level ends the worker with :data:`WorkerExit.MEMORY_LIMIT`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import _native
from .exits import WorkerExit
from .launchinfo import LaunchInfo
from .policy import ConfinementPolicy
from .report import ConfinementError, ConfinementReport

_CURRENT: LaunchInfo | None = None


def current_launch() -> LaunchInfo | None:
    """Start-up facts of this worker (None when not started through the launcher)."""
    return _CURRENT


def _fail(message: str, code: int) -> None:
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    finally:
        os._exit(code)


def _confine_or_exit(policy: ConfinementPolicy, launch: LaunchInfo) -> ConfinementReport:
    from .confine import confine

    try:
        return confine(policy, launch=launch)
    except ConfinementError as exc:
        if exc.report is not None:
            sys.stderr.write(exc.report.render() + "\n")
        _fail(f"athena worker: {exc}", WorkerExit.CONFINEMENT_FAILED)
        raise  # unreachable: _fail exits


def _start_facts(launch: LaunchInfo) -> None:
    launch.start_env = sorted(os.environ)
    launch.start_fds = _native.open_fds()


def run(spec: dict[str, Any]) -> None:
    """Carry out a launch spec (see the module docstring); normally reached through main()."""
    global _CURRENT
    launch = LaunchInfo.from_dict(spec.get("launch", {}))
    _start_facts(launch)
    _CURRENT = launch
    policy = ConfinementPolicy.from_dict(spec["policy"])
    for name in spec.get("warm_imports", []):
        importlib.import_module(name)
    target = spec["target"]
    args = list(spec.get("args", []))
    sys.argv = [target["name"] if target["kind"] == "module" else "<athena-worker>", *args]
    try:
        if target["kind"] == "module":
            module = importlib.import_module(target["name"])
            warm = getattr(module, "warm", None)
            if callable(warm):
                warm()
            entry = getattr(module, target.get("entry", "main"), None)
            if not callable(entry):
                _fail(
                    f"athena worker: module {target['name']!r} has no callable "
                    f"{target.get('entry', 'main')!r}(report)",
                    2,
                )
            report = _confine_or_exit(policy, launch)
            entry(report)  # type: ignore[misc]
        else:
            report = _confine_or_exit(policy, launch)
            namespace = {"__name__": "__main__", "confinement_report": report}
            exec(compile(target["code"], "<athena-worker>", "exec"), namespace)
    except MemoryError:
        _fail("athena worker: memory limit reached (MemoryError)", WorkerExit.MEMORY_LIMIT)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point used by the launcher's prelude: ``argv[1]`` is the JSON launch spec."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2:
        _fail("athena worker: missing launch spec argument (start workers with spawn())", 2)
    run(json.loads(argv[1]))
