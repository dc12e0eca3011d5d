"""OS confinement of the sandbox worker process.

The trusted kernel starts the worker with :func:`spawn`; the worker warms up (imports what it will
need), then :func:`confine` puts the operating-system layers in force — network namespace,
rlimits, privilege drop, no_new_privs, Landlock, seccomp — and returns a
:class:`ConfinementReport` saying truthfully which are active on this machine. Everything here
assumes the Python-level sandbox inside the worker may already be broken.

See ``docs/isolation.md`` for each layer, what it stops and how to check a machine
(``python -m athena_kernel.isolation.selftest``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .confine import confine
    from .exits import ExitDiagnosis, ExitKind, WorkerExit, classify_exit, describe_exit
    from .launcher import WorkerProcess, default_sys_path, make_scratch_dir, spawn
    from .launchinfo import LaunchInfo
    from .policy import (
        DEFAULT_REQUIRED,
        LAYERS,
        ConfinementPolicy,
        ResourceLimits,
        policy_from_settings,
    )
    from .report import ConfinementError, ConfinementReport, LayerResult, LayerStatus

# Public name -> defining submodule. Imported on first use, so that the worker's bootstrap does
# not pay for the launcher's imports (subprocess, tempfile, site) and vice versa.
_EXPORTS = {
    "confine": "confine",
    "ExitDiagnosis": "exits",
    "ExitKind": "exits",
    "WorkerExit": "exits",
    "classify_exit": "exits",
    "describe_exit": "exits",
    "WorkerProcess": "launcher",
    "default_sys_path": "launcher",
    "make_scratch_dir": "launcher",
    "spawn": "launcher",
    "LaunchInfo": "launchinfo",
    "DEFAULT_REQUIRED": "policy",
    "LAYERS": "policy",
    "ConfinementPolicy": "policy",
    "ResourceLimits": "policy",
    "policy_from_settings": "policy",
    "ConfinementError": "report",
    "ConfinementReport": "report",
    "LayerResult": "report",
    "LayerStatus": "report",
}

__all__ = [
    "DEFAULT_REQUIRED",
    "LAYERS",
    "ConfinementError",
    "ConfinementPolicy",
    "ConfinementReport",
    "ExitDiagnosis",
    "ExitKind",
    "LaunchInfo",
    "LayerResult",
    "LayerStatus",
    "ResourceLimits",
    "WorkerExit",
    "WorkerProcess",
    "classify_exit",
    "confine",
    "default_sys_path",
    "describe_exit",
    "make_scratch_dir",
    "policy_from_settings",
    "spawn",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
