"""Resource limits (rlimits): address space, CPU time, file size, open files, processes, core.

:func:`plan_rlimits` is pure (what to set, given the current limits and usage);
:func:`apply_rlimits` sets soft = hard so user code cannot raise them again, reads them back and
reports what is in force. Limits are only ever lowered: a hard limit below ours is kept.
"""

from __future__ import annotations

import math
import os
import resource
from collections.abc import Mapping

from . import _native
from .policy import MIB, ResourceLimits
from .report import LayerResult, LayerStatus

INFINITY = resource.RLIM_INFINITY
#: name -> resource constant, in report order.
RESOURCES: dict[str, int] = {
    "RLIMIT_AS": resource.RLIMIT_AS,
    "RLIMIT_CPU": resource.RLIMIT_CPU,
    "RLIMIT_FSIZE": resource.RLIMIT_FSIZE,
    "RLIMIT_NOFILE": resource.RLIMIT_NOFILE,
    "RLIMIT_NPROC": resource.RLIMIT_NPROC,
    "RLIMIT_CORE": resource.RLIMIT_CORE,
}


def address_space_in_use() -> int | None:
    """Bytes of address space this process maps now (``VmSize``), or None if unknown."""
    value = _native.proc_status().get("VmSize", "")
    parts = value.split()
    if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
        return int(parts[0]) * 1024
    return None


def cpu_seconds_used() -> float:
    """User + system CPU seconds this process has consumed so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lower(value: int, current_hard: int) -> int:
    if current_hard == INFINITY:
        return value
    return min(value, current_hard)


def plan_rlimits(
    limits: ResourceLimits,
    current: Mapping[str, tuple[int, int]],
    *,
    baseline_bytes: int | None,
    cpu_used: float,
) -> dict[str, tuple[int, int]]:
    """The (soft, hard) pairs to set, given the current limits, mapped bytes and CPU used.

    The address-space limit is ``memory_bytes`` above ``baseline_bytes`` when
    ``memory_above_baseline`` (and the baseline is known); the CPU limit counts from ``cpu_used``.
    """
    plan: dict[str, tuple[int, int]] = {}

    def put(name: str, soft: int, hard: int) -> None:
        cur_hard = current[name][1]
        hard = _lower(hard, cur_hard)
        plan[name] = (min(_lower(soft, cur_hard), hard), hard)

    if limits.memory_bytes is not None:
        size = limits.memory_bytes
        if limits.memory_above_baseline and baseline_bytes is not None:
            size += baseline_bytes
        put("RLIMIT_AS", size, size)
    if limits.cpu_seconds is not None:
        # RLIMIT_CPU counts whole seconds of the process's total: round to the nearest second
        soft = max(math.ceil(cpu_used), round(cpu_used + limits.cpu_seconds))
        put("RLIMIT_CPU", soft, soft + limits.cpu_grace_seconds)
    if limits.file_size_bytes is not None:
        put("RLIMIT_FSIZE", limits.file_size_bytes, limits.file_size_bytes)
    if limits.open_files is not None:
        put("RLIMIT_NOFILE", limits.open_files, limits.open_files)
    if limits.processes is not None:
        put("RLIMIT_NPROC", limits.processes, limits.processes)
    put("RLIMIT_CORE", 0, 0)
    return plan


def current_limits() -> dict[str, tuple[int, int]]:
    """Every limit of :data:`RESOURCES` as (soft, hard)."""
    return {name: resource.getrlimit(res) for name, res in RESOURCES.items()}


def format_limit(name: str, value: int) -> str:
    """``"600 MiB"``, ``"12 s"``, ``"off"``... for one limit value."""
    if value == INFINITY:
        return "unlimited"
    if name in ("RLIMIT_AS", "RLIMIT_FSIZE"):
        return f"{value / MIB:.0f} MiB" if value >= MIB else f"{value} B"
    if name == "RLIMIT_CPU":
        return f"{value} s"
    return str(value)


def maps_to_host_root(uid: int) -> bool:
    """Whether ``uid`` is the host's root seen through a user namespace (as under bwrap run by
    root): the kernel then ignores RLIMIT_NPROC for it."""
    try:
        with open("/proc/self/uid_map", encoding="ascii") as fh:
            for line in fh:
                inside, outside, count = (int(x) for x in line.split())
                if inside <= uid < inside + count:
                    return outside + (uid - inside) == 0
    except (OSError, ValueError):
        return False
    return False


def apply_rlimits(limits: ResourceLimits) -> tuple[LayerResult, dict[str, list[int | None]]]:
    """Set the limits; return the layer's result and the effective ``name -> [soft, hard]``.

    ``None`` in the effective map means unlimited. Verified by reading every limit back.
    """
    before = current_limits()
    plan = plan_rlimits(
        limits, before, baseline_bytes=address_space_in_use(), cpu_used=cpu_seconds_used()
    )
    errors = []
    for name, (soft, hard) in plan.items():
        try:
            resource.setrlimit(RESOURCES[name], (soft, hard))
        except (OSError, ValueError) as exc:
            errors.append(f"{name}: {exc}")
    after = current_limits()
    effective = {name: [None if v == INFINITY else v for v in pair] for name, pair in after.items()}
    mismatched = [name for name, pair in plan.items() if after[name] != pair]
    detail = ", ".join(
        f"{name[7:]}={format_limit(name, after[name][0])}"
        + (f"/{format_limit(name, after[name][1])}" if after[name][0] != after[name][1] else "")
        for name in RESOURCES
    )
    if maps_to_host_root(os.getuid()) and os.getuid() != 0:
        detail += " (NPROC not enforced: this uid is root outside its namespace)"
    if errors or mismatched:
        reason = "; ".join(errors) or f"limits not in force after setting: {mismatched}"
        return LayerResult("rlimits", LayerStatus.FAILED, detail, reason, True), effective
    return LayerResult("rlimits", LayerStatus.ACTIVE, detail, verified=True), effective
