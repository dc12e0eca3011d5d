"""ConfinementReport: plain data, rendering, required-layer accounting."""

from __future__ import annotations

import json

from athena_kernel.isolation.report import (
    ConfinementReport,
    LayerResult,
    LayerStatus,
)


def _report() -> ConfinementReport:
    report = ConfinementReport(facts={"machine": "x86_64"}, limits={"RLIMIT_AS": [1, 1]})
    report.add(LayerResult("seccomp", LayerStatus.ACTIVE, "filter", verified=True, required=True))
    report.add(
        LayerResult("privilege_drop", LayerStatus.NOT_NEEDED, reason="uid 1000", required=True)
    )
    report.add(LayerResult("landlock", LayerStatus.UNAVAILABLE, reason="kernel 5.4"))
    return report


def test_round_trip_through_json() -> None:
    report = _report()
    again = ConfinementReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report
    assert again.status("landlock") is LayerStatus.UNAVAILABLE


def test_not_needed_satisfies_a_required_layer_but_unavailable_does_not() -> None:
    report = _report()
    assert report.ok
    report.add(LayerResult("rlimits", LayerStatus.FAILED, reason="EPERM", required=True))
    assert not report.ok
    assert [r.name for r in report.missing_required()] == ["rlimits"]


def test_add_replaces_a_layer() -> None:
    report = _report()
    report.add(LayerResult("landlock", LayerStatus.ACTIVE, "ABI 7"))
    assert [r.name for r in report.layers].count("landlock") == 1
    assert report.active() == ["seccomp", "landlock"]


def test_render_says_why_and_what_is_verified() -> None:
    text = _report().render()
    assert "seccomp" in text and "[required, verified]" in text
    assert "not needed" in text and "uid 1000" in text
    assert "unavailable" in text and "kernel 5.4" in text
    assert "machine=x86_64" in text
