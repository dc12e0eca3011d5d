"""plan_rlimits: what the worker sets, given its current limits and usage (pure)."""

from __future__ import annotations

from athena_kernel.isolation.policy import MIB, ResourceLimits
from athena_kernel.isolation.rlimits import INFINITY, RESOURCES, format_limit, plan_rlimits

UNLIMITED = {name: (INFINITY, INFINITY) for name in RESOURCES}


def test_memory_is_added_to_the_warm_baseline() -> None:
    plan = plan_rlimits(ResourceLimits(), UNLIMITED, baseline_bytes=100 * MIB, cpu_used=0.0)
    assert plan["RLIMIT_AS"] == (612 * MIB, 612 * MIB)
    absolute = ResourceLimits(memory_above_baseline=False)
    plan = plan_rlimits(absolute, UNLIMITED, baseline_bytes=100 * MIB, cpu_used=0.0)
    assert plan["RLIMIT_AS"] == (512 * MIB, 512 * MIB)


def test_unknown_baseline_falls_back_to_the_absolute_limit() -> None:
    plan = plan_rlimits(ResourceLimits(), UNLIMITED, baseline_bytes=None, cpu_used=0.0)
    assert plan["RLIMIT_AS"] == (512 * MIB, 512 * MIB)


def test_cpu_counts_from_confinement_with_a_grace_before_sigkill() -> None:
    limits = ResourceLimits(cpu_seconds=10, cpu_grace_seconds=3)
    plan = plan_rlimits(limits, UNLIMITED, baseline_bytes=None, cpu_used=2.2)
    assert plan["RLIMIT_CPU"] == (12, 15)  # 2.2 + 10 rounded: whole seconds of total CPU
    plan = plan_rlimits(limits, UNLIMITED, baseline_bytes=None, cpu_used=2.6)
    assert plan["RLIMIT_CPU"] == (13, 16)
    tiny = ResourceLimits(cpu_seconds=1)
    plan = plan_rlimits(tiny, UNLIMITED, baseline_bytes=None, cpu_used=4.9)
    assert plan["RLIMIT_CPU"][0] == 6


def test_none_leaves_a_limit_alone_but_core_is_always_zero() -> None:
    limits = ResourceLimits(
        memory_bytes=None, file_size_bytes=None, open_files=None, processes=None
    )
    plan = plan_rlimits(limits, UNLIMITED, baseline_bytes=None, cpu_used=0.0)
    assert plan == {"RLIMIT_CORE": (0, 0)}


def test_limits_are_only_ever_lowered() -> None:
    current = dict(UNLIMITED)
    current["RLIMIT_NOFILE"] = (100, 128)
    current["RLIMIT_FSIZE"] = (INFINITY, 10 * MIB)
    plan = plan_rlimits(ResourceLimits(), current, baseline_bytes=None, cpu_used=0.0)
    assert plan["RLIMIT_NOFILE"] == (128, 128)
    assert plan["RLIMIT_FSIZE"] == (10 * MIB, 10 * MIB)


def test_format_limit() -> None:
    assert format_limit("RLIMIT_AS", 600 * MIB) == "600 MiB"
    assert format_limit("RLIMIT_CPU", 12) == "12 s"
    assert format_limit("RLIMIT_NOFILE", INFINITY) == "unlimited"
