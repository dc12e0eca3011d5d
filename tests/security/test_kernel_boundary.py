"""Attacks on the trusted side's own services (not the Python sandbox), through a real kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.security, pytest.mark.kernel]


def test_audit_events_cannot_be_forged(attacked_kernel) -> None:
    forged = attacked_kernel.run(
        "memory.events.record('sandbox.rejected', 'forged: nothing happened', outcome='blocked')"
    )
    assert forged.status == "error" and "reserved for the kernel" in forged.text()
    attacked_kernel.run("import os")  # a real rejection is still recorded
    kinds = attacked_kernel.run(
        "[(e.event_type, e.content[:12]) for e in memory.events.recent(20)]"
    ).value
    assert "forged" not in kinds and "sandbox.rejected" in kinds


def test_procedure_export_cannot_plant_files_in_a_project(attacked_kernel, tmp_path) -> None:
    project = Path(__file__).resolve().parents[2]
    save = attacked_kernel.run("%%procedure save conftest\ndef conftest(memory):\n    return 1\n")
    assert save.ok, save.text()
    for target in (str(project / "tests"), "..", "../../..", "/tmp"):
        cell = attacked_kernel.run(f"%procedure export conftest {target}")
        assert cell.status == "error", target
        assert "outside the procedures directory" in cell.text()
    assert "Athena procedure" not in (project / "tests" / "conftest.py").read_text()


def test_store_owner_admin_ops_are_unreachable(attacked_kernel) -> None:
    # the facade has no such method, and the services refuse the op name itself
    cell = attacked_kernel.run("memory.owner_shutdown()")
    assert cell.status == "error"
    assert attacked_kernel.run("memory.stats().schema_version >= 1").value == "True"
