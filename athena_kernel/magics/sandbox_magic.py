"""``%sandbox status``: which protections are active for this kernel's cells, truthfully."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class


def render_status(report: dict[str, Any]) -> str:
    """The plain-text form of a ``sandbox.status`` report."""
    lines = [
        f"profile {report.get('profile')}, isolation {report.get('isolation')}, "
        f"cell timeout {report.get('cell_timeout_s'):g} s, memory limit "
        f"{report.get('memory_limit_mb')} MB, output budget {report.get('max_output_chars')} "
        f"chars, PII tokenization {'on' if report.get('tokenize_pii') else 'OFF'}",
        "python layers: " + "; ".join(report.get("python_layers", [])),
    ]
    if report.get("warning"):
        lines.insert(0, "WARNING: " + str(report["warning"]))
    if report.get("isolation") == "process":
        lines.append(
            f"worker pid {report.get('worker_pid')} (kernel pid {report.get('kernel_pid')}), "
            f"running since cell [{report.get('worker_since_cell')}]"
        )
        lines.append("operating-system layers of the worker:")
        text = report.get("confinement_text") or "(no report)"
        lines.extend("  " + line for line in str(text).splitlines())
    else:
        note = (report.get("confinement") or {}).get("note", "")
        lines.append("operating-system layers: none — " + note)
    return "\n".join(lines)


@magics_class
class SandboxMagics(Magics):
    """Inspection of the sandbox around this kernel's cells."""

    def __init__(self, shell: Any, services: Any) -> None:
        super().__init__(shell)
        self._services = services

    @line_magic
    def sandbox(self, line: str) -> None:
        """%sandbox status — show which protections are active on this machine, truthfully.

        Lists the isolation mode, the Python-level layers, every operating-system layer of the
        worker process (active, unavailable with the reason, or failed) and the limits in force.
        """
        args = line.split()
        if args not in ([], ["status"]):
            raise UsageError("usage: %sandbox status")
        print(render_status(self._services.call("sandbox.status", {})))
