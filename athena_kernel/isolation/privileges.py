"""Dropping root: no capabilities, no supplementary groups, an unprivileged uid/gid for good.

Only when the process runs as root (the kernel was started as root). Verified by trying to get
root back, which must fail. Afterwards RLIMIT_NPROC is enforced (it is ignored for root), files
of other users are protected by ordinary permissions, and the process is no longer dumpable.
"""

from __future__ import annotations

import os

from .capabilities import (
    capability_sets,
    clear_ambient,
    drop_all_capabilities,
    drop_bounding_set,
)
from .report import LayerResult, LayerStatus

_NAME = "privilege_drop"


def _regain_attempts() -> list[str]:
    """Ways back to root that succeeded (must be none)."""
    succeeded = []
    for label, attempt in (
        ("setresuid(0)", lambda: os.setresuid(0, 0, 0)),
        ("setresgid(0)", lambda: os.setresgid(0, 0, 0)),
        ("setgroups([0])", lambda: os.setgroups([0])),
    ):
        try:
            attempt()
        except OSError:
            continue
        succeeded.append(label)
    return succeeded


def drop_privileges(uid: int, gid: int) -> LayerResult:
    """Become ``uid``/``gid`` (with no groups and no capabilities) if running as root."""
    if os.getuid() != 0 and os.geteuid() != 0:
        caps = capability_sets()
        if caps["effective"] or caps["permitted"]:
            try:
                drop_all_capabilities()
            except OSError as exc:
                return LayerResult(_NAME, LayerStatus.FAILED, reason=f"capset failed: {exc}")
            return LayerResult(
                _NAME,
                LayerStatus.ACTIVE,
                f"runs as uid {os.getuid()}; inherited capabilities dropped",
                verified=not any(capability_sets().values()),
            )
        return LayerResult(
            _NAME,
            LayerStatus.NOT_NEEDED,
            reason=f"runs as unprivileged uid {os.getuid()} with no capabilities",
            verified=True,
        )
    try:
        bounding_failures = drop_bounding_set()
        clear_ambient()
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as exc:
        return LayerResult(
            _NAME, LayerStatus.FAILED, reason=f"could not switch to uid {uid}/gid {gid}: {exc}"
        )
    problems = []
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid):
        problems.append(f"ids are {os.getresuid()}/{os.getresgid()}")
    if os.getgroups():
        problems.append(f"supplementary groups remain: {os.getgroups()}")
    if any(capability_sets().values()):
        problems.append("capabilities remain")
    regained = _regain_attempts()
    if regained:
        problems.append(f"root could be regained via {', '.join(regained)}")
    if problems:
        return LayerResult(_NAME, LayerStatus.FAILED, reason="; ".join(problems), verified=True)
    detail = f"uid {uid}, gid {gid}, no groups, no capabilities; setresuid(0) refused"
    if bounding_failures:
        detail += f" (bounding set kept caps {bounding_failures})"
    return LayerResult(_NAME, LayerStatus.ACTIVE, detail, verified=True)
