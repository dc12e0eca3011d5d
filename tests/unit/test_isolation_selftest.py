"""The self-test's comparison of a confinement report with probe outcomes (pure part)."""

from __future__ import annotations

from athena_kernel.isolation.report import ConfinementReport, LayerResult, LayerStatus
from athena_kernel.isolation.selftest import EXPECTATIONS, compare

ALL_BLOCKED = {name: "blocked: EPERM" for name in EXPECTATIONS} | {"write_scratch": "allowed"}


def _report(**statuses: LayerStatus) -> ConfinementReport:
    report = ConfinementReport(facts={"landlock_abi": 7, "uid": 65534, "uid_at_start": 0})
    for name, status in statuses.items():
        report.add(LayerResult(name, status))
    return report


def test_everything_active_and_blocked_matches() -> None:
    active = dict.fromkeys(
        ("seccomp", "landlock", "network_namespace", "privilege_drop", "clean_start"),
        LayerStatus.ACTIVE,
    )
    assert compare(_report(**active), ALL_BLOCKED) == []


def test_an_active_layer_that_lets_an_attack_through_is_a_mismatch() -> None:
    probes = ALL_BLOCKED | {"socket_inet": "allowed: socket created"}
    problems = compare(_report(seccomp=LayerStatus.ACTIVE), probes)
    assert any(p.startswith("socket_inet") and "seccomp" in p for p in problems)


def test_a_block_no_reported_layer_explains_is_a_mismatch() -> None:
    problems = compare(_report(seccomp=LayerStatus.UNAVAILABLE), ALL_BLOCKED)
    assert any(p.startswith("fork") for p in problems)


def test_landlock_abi_gates_scoping_expectations() -> None:
    report = _report(landlock=LayerStatus.ACTIVE)
    report.facts["landlock_abi"] = 5
    probes = ALL_BLOCKED | {"signal_parent": "allowed: signal 0 delivered"}
    assert not any(p.startswith("signal_parent") for p in compare(report, probes))
    report.facts["landlock_abi"] = 6
    assert any(p.startswith("signal_parent") for p in compare(report, probes))


def test_unwritable_scratch_is_reported() -> None:
    probes = ALL_BLOCKED | {"write_scratch": "blocked: EACCES"}
    assert any("write_scratch" in p for p in compare(_report(), probes))
