"""The ``clean_start`` and ``bwrap`` lines of the report: what the worker inherited at start-up.

Nothing is applied here; the launcher did the work (empty environment, ``close_fds``, optional
bwrap) and these checks confirm it from inside the worker.
"""

from __future__ import annotations

import os

from . import _native
from .launchinfo import LaunchInfo
from .netns import current_namespace
from .report import LayerResult, LayerStatus


def _fd_target(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "?"


def check_clean_start(launch: LaunchInfo | None, keep_fds: frozenset[int]) -> LayerResult:
    """Environment and descriptors at start-up match what the launcher gave; warm-up left no
    descriptor open besides ``keep_fds``."""
    if launch is not None and (launch.start_env or launch.start_fds):
        env, fds = launch.start_env, launch.start_fds
        when = "at start-up"
    else:
        env, fds = sorted(os.environ), _native.open_fds()
        when = "at confinement"
    allowed_env = set(launch.allowed_env if launch else ())
    expected_fds = {0, 1, 2} | set(launch.pass_fds if launch else ()) | keep_fds
    problems = []
    extra_env = sorted(set(env) - allowed_env)
    if extra_env:
        problems.append(f"inherited environment variables {extra_env}")
    extra_fds = [fd for fd in fds if fd not in expected_fds]
    if extra_fds:
        problems.append(f"unexpected descriptors {when}: {extra_fds}")
    # Landlock does not revoke descriptors opened before it: whatever warm-up left open would
    # stay usable by user code, so it must be closed (or declared in keep_fds).
    leftover = [fd for fd in _native.open_fds() if fd not in expected_fds and fd not in fds]
    if leftover:
        shown = ", ".join(f"{fd} -> {_fd_target(fd)}" for fd in leftover)
        problems.append(f"descriptors left open by warm-up: {shown} (close them or pass keep_fds)")
    if problems:
        return LayerResult("clean_start", LayerStatus.FAILED, reason="; ".join(problems))
    kept = sorted(expected_fds & set(_native.open_fds()))
    detail = f"environment {sorted(env) or 'empty'} {when}; open descriptors {kept}"
    return LayerResult("clean_start", LayerStatus.ACTIVE, detail, verified=True)


def check_bwrap(launch: LaunchInfo | None) -> LayerResult:
    """Whether the launcher started this worker under bubblewrap."""
    if launch is None:
        return LayerResult("bwrap", LayerStatus.UNAVAILABLE, reason="not started by the launcher")
    if launch.bwrap == "active":
        ns = current_namespace()
        verified = bool(ns and launch.launcher_netns and ns != launch.launcher_netns)
        return LayerResult(
            "bwrap",
            LayerStatus.ACTIVE,
            "started under bubblewrap: read-only view of the Python installation, "
            "private namespaces",
            verified=verified,
        )
    status = LayerStatus.DISABLED if launch.bwrap == "disabled" else LayerStatus.UNAVAILABLE
    return LayerResult("bwrap", status, reason=launch.bwrap_reason or "not used")
