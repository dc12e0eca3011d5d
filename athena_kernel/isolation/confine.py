"""``confine(policy)``: put every OS layer in force inside the current (worker) process, in order.

Order matters and is fixed here:

1. ``clean_start``: the environment and descriptors the worker started with (checked only).
2. ``bwrap``: whether the launcher ran it under bubblewrap (reported only).
3. ``network_namespace``: ``unshare`` works only while single-threaded and, for root, before
   the privilege drop.
4. ``rlimits``: the address-space limit is measured against the warmed-up process.
5. Landlock ruleset *prepared* (rule paths opened while we still may open them).
6. ``privilege_drop``: root becomes ``nobody`` for good.
7. ``no_new_privs``: needed by the two layers that follow.
8. ``landlock``: restrict_self, then a read outside the allowed paths must fail.
9. ``seccomp``: last (it forbids calls the earlier steps make), then ``socket()`` and ``fork()``
   must fail.

The process must be single-threaded (threads started later inherit every layer). Nothing here
can be undone; call it once, after importing everything the worker will need.
"""

from __future__ import annotations

import os
import platform
import signal
from collections.abc import Iterable

from . import _native, landlock
from .filesystem import enforce_filesystem_rules, prepare_filesystem_rules
from .launchinfo import LaunchInfo
from .netns import isolate_network
from .nonewprivs import set_no_new_privs
from .policy import ConfinementPolicy
from .privileges import drop_privileges
from .report import ConfinementError, ConfinementReport, LayerResult, LayerStatus
from .rlimits import apply_rlimits
from .startcheck import check_bwrap, check_clean_start
from .syscallfilter import apply_syscall_filter


def _die_with_launcher(launch: LaunchInfo | None, report: ConfinementReport) -> None:
    """SIGKILL this worker when the launching thread's process dies (set after the uid change,
    which clears it). Under bwrap, bwrap's own --die-with-parent does this."""
    if launch is None or launch.launcher_pid is None or launch.bwrap == "active":
        report.facts["dies_with_launcher"] = launch is not None and launch.bwrap == "active"
        return
    try:
        _native.prctl(_native.PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        report.facts["dies_with_launcher"] = False
        return
    if os.getppid() != launch.launcher_pid:  # the launcher is already gone
        os._exit(1)
    report.facts["dies_with_launcher"] = True


def _skip(policy: ConfinementPolicy, name: str) -> LayerResult | None:
    if policy.is_disabled(name):
        return LayerResult(name, LayerStatus.DISABLED, reason="disabled by the policy")
    return None


def confine(
    policy: ConfinementPolicy,
    *,
    launch: LaunchInfo | None = None,
    keep_fds: Iterable[int] = (),
) -> ConfinementReport:
    """Apply every layer of ``policy`` to this process and report what is in force.

    Args:
        policy: what to apply and which layers are required.
        launch: start-up facts from the launcher (defaults to the ones the worker bootstrap
            recorded, if this process was started by :func:`spawn`).
        keep_fds: descriptors the worker opened during warm-up on purpose and keeps (any other
            descriptor beyond 0-2 and the launcher's ``pass_fds`` fails ``clean_start``).

    Raises:
        ConfinementError: the process has more than one thread, the scratch directory is
            missing, or a required layer is not in force (``exc.report`` says which). Every
            other layer has still been applied.
    """
    if launch is None:
        from .bootstrap import current_launch

        launch = current_launch()
    threads = _native.thread_count()
    if threads != 1:
        raise ConfinementError(
            f"confine() must run while the process has a single thread, it has {threads}: "
            "start threads after confining (they inherit every layer)"
        )
    if not os.path.isdir(policy.scratch_dir):
        raise ConfinementError(
            f"scratch directory {policy.scratch_dir!r} does not exist; create it first "
            "(the launcher does)"
        )
    os.chdir(policy.scratch_dir)
    report = ConfinementReport(
        facts={
            "machine": _native.machine(),
            "kernel": platform.release(),
            "python": platform.python_version(),
            "pid": os.getpid(),
            "uid_at_start": os.getuid(),
        }
    )

    def record(result: LayerResult) -> None:
        result.required = policy.is_required(result.name)
        report.add(result)

    record(_skip(policy, "clean_start") or check_clean_start(launch, frozenset(keep_fds)))
    record(check_bwrap(launch))
    record(
        _skip(policy, "network_namespace")
        or isolate_network(launcher_namespace=launch.launcher_netns if launch else None)
    )
    rlimits_result = _skip(policy, "rlimits")
    if rlimits_result is None:
        rlimits_result, report.limits = apply_rlimits(policy.limits)
    record(rlimits_result)

    ruleset, pending = None, _skip(policy, "landlock")
    if pending is None:
        ruleset, pending = prepare_filesystem_rules(policy)
        try:
            report.facts["landlock_abi"] = landlock.abi_version()
        except OSError:
            report.facts["landlock_abi"] = 0
    record(_skip(policy, "privilege_drop") or drop_privileges(policy.worker_uid, policy.worker_gid))
    _die_with_launcher(launch, report)
    record(_skip(policy, "no_new_privs") or set_no_new_privs())
    no_new_privs = _native.prctl(_native.PR_GET_NO_NEW_PRIVS) == 1
    if ruleset is not None:
        if no_new_privs:
            pending = enforce_filesystem_rules(ruleset, pending, policy)
        else:
            ruleset.close()
            pending = LayerResult(
                "landlock", LayerStatus.FAILED, reason="needs no_new_privs, which is not set"
            )
    record(pending)
    seccomp_result = _skip(policy, "seccomp")
    if seccomp_result is None:
        seccomp_result = (
            apply_syscall_filter()
            if no_new_privs
            else LayerResult(
                "seccomp", LayerStatus.FAILED, reason="needs no_new_privs, which is not set"
            )
        )
    record(seccomp_result)
    report.facts["uid"] = os.getuid()
    report.facts["gid"] = os.getgid()
    missing = report.missing_required()
    if missing:
        lines = "; ".join(f"{r.name}: {r.status.value} ({r.reason})" for r in missing)
        raise ConfinementError(f"required isolation layer(s) not in force: {lines}", report)
    return report
