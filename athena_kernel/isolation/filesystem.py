"""The ``landlock`` layer: a filesystem view of the scratch directory (+ policy paths) only.

Split in two because of the privilege drop in between: :func:`prepare_filesystem_rules` opens the
rule paths while the process may still open them; :func:`enforce_filesystem_rules` restricts the
process after ``no_new_privs`` and checks that a path outside the rules is refused.
"""

from __future__ import annotations

import errno
import os

from . import _native, landlock
from .policy import ConfinementPolicy
from .probing import probe_denied
from .report import LayerResult, LayerStatus


def prepare_filesystem_rules(
    policy: ConfinementPolicy,
) -> tuple[landlock.Ruleset | None, LayerResult]:
    """Create the ruleset for ``policy`` (None and an unavailable/failed result if impossible)."""
    try:
        abi = landlock.abi_version()
    except OSError as exc:
        reason = {
            errno.ENOSYS: "kernel built without Landlock (or the call is filtered)",
            errno.EOPNOTSUPP: "Landlock is disabled at boot (lsm= kernel parameter)",
        }.get(exc.errno or 0, _native.errno_text(exc))
        return None, LayerResult("landlock", LayerStatus.UNAVAILABLE, reason=reason)
    try:
        ruleset = landlock.Ruleset.create(abi)
    except OSError as exc:
        return None, LayerResult(
            "landlock", LayerStatus.FAILED, reason=f"ruleset creation: {_native.errno_text(exc)}"
        )
    missing = [p for p in (*policy.write_paths, *policy.read_paths) if not os.path.exists(p)]
    try:
        ruleset.allow(policy.scratch_dir, landlock.WRITE_RIGHTS)
        ruleset.allow_all(
            [p for p in policy.write_paths if p not in missing], landlock.WRITE_RIGHTS
        )
        ruleset.allow_all([p for p in policy.read_paths if p not in missing], landlock.READ_RIGHTS)
    except OSError as exc:
        ruleset.close()
        return None, LayerResult("landlock", LayerStatus.FAILED, reason=f"adding a rule: {exc}")
    parts = [f"ABI {abi}", "filesystem: " + "; ".join(ruleset.rules)]
    if missing:
        parts.append(f"missing paths skipped: {missing}")
    parts.append("TCP bind/connect denied" if ruleset.handled_net else "no TCP rules (ABI < 4)")
    parts.append(
        "abstract unix sockets and signals scoped" if ruleset.scoped else "no IPC scoping (ABI < 6)"
    )
    return ruleset, LayerResult("landlock", LayerStatus.ACTIVE, ", ".join(parts))


def enforce_filesystem_rules(
    ruleset: landlock.Ruleset, pending: LayerResult, policy: ConfinementPolicy
) -> LayerResult:
    """Restrict this process with ``ruleset``; verify that ``/`` cannot be listed any more."""
    try:
        ruleset.restrict_self()
    except OSError as exc:
        return LayerResult(
            "landlock", LayerStatus.FAILED, reason=f"restrict_self: {_native.errno_text(exc)}"
        )
    allowed = (policy.scratch_dir, *policy.read_paths, *policy.write_paths)
    if "/" in allowed:
        pending.reason = "not verified: '/' is an allowed path"
        return pending
    if not probe_denied(lambda: os.close(os.open("/", os.O_RDONLY | os.O_DIRECTORY)), errno.EACCES):
        return LayerResult(
            "landlock", LayerStatus.FAILED, reason="the root directory is still readable"
        )
    pending.verified = True
    return pending
