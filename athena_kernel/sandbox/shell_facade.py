"""What ``get_ipython()`` returns inside a cell: allowed magics only, no shell.

IPython compiles ``%time x`` into ``get_ipython().run_line_magic('time', 'x')``; the real shell
object would hand a cell the whole kernel. :class:`ShellFacade` runs magics after the magic policy
allowed them, and without IPython's ``$var``/``{expr}`` expansion of magic lines (that expansion
evaluates expressions outside the sandbox). After every magic the sandbox re-installs itself, so
``%reset -f`` cannot leave the namespace without its guards.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from IPython.core import magic as magic_module
from IPython.core.displayhook import DisplayHook
from IPython.core.error import UsageError

from ..policy.errors import PolicyViolation
from ..policy.magic_policy import check_magic
from ..policy.options import PolicyConfig
from ..policy.validator import validate_cell


class ShellFacade:
    """``get_ipython()`` for cells: ``run_line_magic`` and ``run_cell_magic``, nothing else."""

    __slots__ = ("_after", "_config", "_shell")

    def __init__(self, shell: Any, config: PolicyConfig, after_magic: Callable[[], None]) -> None:
        object.__setattr__(self, "_shell", shell)
        object.__setattr__(self, "_config", config)
        object.__setattr__(self, "_after", after_magic)

    def _check(self, kind: str, name: Any, line: Any, cell: Any) -> None:
        if (
            not isinstance(name, str)
            or not isinstance(line, str)
            or (kind == "cell" and not isinstance(cell, str))
        ):
            raise PolicyViolation(
                "magic.dynamic",
                "a magic's name and arguments must be text",
                "write the magic directly (%time ..., %%capture ...)",
            )

        def validate_code(source: str, offset: int) -> None:
            validate_cell(source, self._config)

        check_magic(kind, name, line, cell, self._config, validate_code)

    def _find(self, kind: str, name: str) -> Any:
        shell = self._shell
        finder = getattr(shell, "_find_with_lazy_load", None)
        if finder is not None:
            return finder(kind, name)
        return shell.find_line_magic(name) if kind == "line" else shell.find_cell_magic(name)

    def run_line_magic(self, magic_name: str, line: str) -> Any:
        """Run ``%magic_name line`` if the sandbox allows it."""
        self._check("line", magic_name, line, None)
        fn = self._find("line", magic_name)
        if fn is None:
            raise UsageError(f"Line magic function `%{magic_name}` not found.")
        kwargs: dict[str, Any] = {}
        if getattr(fn, "needs_local_scope", False):
            # always the caller's (the cell's) frame: a deeper one would be the kernel's
            kwargs["local_ns"] = sys._getframe(1).f_locals
        try:
            with self._shell.builtin_trap:
                result = fn(line, **kwargs)
        finally:
            self._after()
        if getattr(
            fn, magic_module.MAGIC_OUTPUT_CAN_BE_SILENCED, False
        ) and DisplayHook.semicolon_at_end_of_expression(line):
            return None
        return result

    def run_cell_magic(self, magic_name: str, line: str, cell: str) -> Any:
        """Run ``%%magic_name line`` with ``cell`` as its body if the sandbox allows it."""
        self._check("cell", magic_name, line, cell)
        fn = self._find("cell", magic_name)
        if fn is None:
            raise UsageError(f"Cell magic `%%{magic_name}` not found.")
        if cell == "":
            raise UsageError(f"%%{magic_name} is a cell magic, but the cell body is empty.")
        kwargs: dict[str, Any] = {}
        if getattr(fn, "needs_local_scope", False):
            kwargs["local_ns"] = self._shell.user_ns
        try:
            with self._shell.builtin_trap:
                result = fn(line, cell, **kwargs)
        finally:
            self._after()
        if getattr(
            fn, magic_module.MAGIC_OUTPUT_CAN_BE_SILENCED, False
        ) and DisplayHook.semicolon_at_end_of_expression(cell):
            return None
        return result

    def _shell_escape(self, *args: Any, **kwargs: Any) -> Any:
        raise PolicyViolation(
            "magic.shell",
            "shell commands (!cmd) are not available in the sandbox",
            "use Python code (and memory.* for data) instead of the shell",
        )

    system = getoutput = system_raw = system_piped = _shell_escape

    def __setattr__(self, name: str, value: Any) -> None:
        raise PolicyViolation(
            "policy.write", "get_ipython() cannot be modified", "use the allowed magics"
        )

    def __repr__(self) -> str:
        return "<sandboxed IPython shell: allowed magics only>"
