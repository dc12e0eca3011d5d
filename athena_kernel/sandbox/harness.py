"""A sandboxed IPython shell for tests, benchmarks and red-team scripts.

``SandboxedShell`` runs cells through a real ``InteractiveShell`` with the sandbox installed and
returns what happened (success, error, rule id, captured output), so a test reads like a session::

    shell = SandboxedShell(names={"memory": memory})
    run = shell.run("import os")
    assert run.rule == "policy.import"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

from .install import Sandbox, install_sandbox, rule_for


@dataclass
class CellRun:
    """The outcome of one cell."""

    success: bool
    error: BaseException | None
    stdout: str
    stderr: str
    result: Any

    @property
    def rule(self) -> str | None:
        """The sandbox rule id behind the error (``None`` if it succeeded or was not ours)."""
        return rule_for(self.error)

    @property
    def error_name(self) -> str | None:
        """The error's class name."""
        return type(self.error).__name__ if self.error is not None else None

    @property
    def output(self) -> str:
        """stdout and stderr together."""
        return self.stdout + self.stderr


class SandboxedShell:
    """An ``InteractiveShell`` (IPython's singleton) with the sandbox installed."""

    def __init__(self, settings: Any = None, *, names: dict[str, Any] | None = None) -> None:
        InteractiveShell.clear_instance()
        config = Config()
        config.HistoryManager.hist_file = ":memory:"  # no history file on disk
        self.shell = InteractiveShell.instance(config=config)
        self.shell.colors = "nocolor" if hasattr(self.shell, "colors") else None
        self.sandbox: Sandbox = install_sandbox(self.shell, settings, names=names or {})

    def run(self, code: str, *, silent: bool = False, store_history: bool = True) -> CellRun:
        """Run one cell and capture everything it printed."""
        with capture_output(display=False) as captured:
            result = self.shell.run_cell(code, store_history=store_history, silent=silent)
        error = result.error_before_exec or result.error_in_exec
        return CellRun(result.success, error, captured.stdout, captured.stderr, result.result)

    def close(self) -> None:
        """Uninstall the sandbox and drop the shell singleton."""
        self.sandbox.uninstall()
        InteractiveShell.clear_instance()
