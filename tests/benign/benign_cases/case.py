"""What a benign case is: cells an agent would write, and exactly what they must print."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

#: Names bound by Athena that stock ipykernel does not have.
ATHENA_NAMES = frozenset({"memory", "apis", "procedures", "_output"})

#: IPython prints durations with 3 significant digits: ``12.3 µs``, ``1.05 s``, ``1e+03 ns``.
_DURATION = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?\s?(?:ns|µs|μs|us|ms|s|min|h)\b")


def mask_durations(text: str) -> str:
    """Replace every measured duration (``12.3 µs``, ``1.05 s``, ``1e+03 ns``) by ``<T>``.

    ``%time`` and ``%timeit`` print wall-clock figures; everything else they print is compared
    exactly.
    """
    return _DURATION.sub("<T>", text)


NORMALIZERS: dict[str, Callable[[str], str]] = {"durations": mask_durations}


@dataclass(frozen=True)
class BenignCase:
    """One realistic agent cell and its exact expected output.

    ``stdout``/``stderr`` are the whole streams; ``result`` is the ``text/plain`` of the
    execute_result (``None``: the cell has no result); ``displays`` the ``text/plain`` of each
    display_data in order; ``error`` the ``(ename, evalue)`` of a cell that is meant to fail.
    ``setup`` cells run first in the same kernel (multi-cell state); each must succeed silently.
    ``normalize`` names an entry of :data:`NORMALIZERS` applied to stdout before comparing.
    ``xfail`` gives the reason when the sandbox is known to (wrongly) refuse the case, in the
    isolation modes listed in ``xfail_isolation``; stock ipykernel must always pass.
    """

    name: str
    code: str
    stdout: str = ""
    result: str | None = None
    stderr: str = ""
    displays: tuple[str, ...] = ()
    error: tuple[str, str] | None = None
    setup: tuple[str, ...] = ()
    normalize: str | None = None
    xfail: str | None = None
    xfail_isolation: tuple[str, ...] = ("process", "inprocess")

    def __post_init__(self) -> None:
        if self.normalize is not None and self.normalize not in NORMALIZERS:
            raise ValueError(
                f"case {self.name!r}: normalize={self.normalize!r} is unknown; "
                f"use one of {sorted(NORMALIZERS)}"
            )

    def xfail_reason(self, isolation: str | None) -> str | None:
        """Why the case is expected to fail in ``isolation`` (``None``: stock or not expected)."""
        if self.xfail is None or isolation not in self.xfail_isolation:
            return None
        return self.xfail

    @property
    def cells(self) -> tuple[str, ...]:
        """Every cell of the case in execution order (setup cells, then the checked one)."""
        return (*self.setup, self.code)

    @property
    def needs_athena(self) -> bool:
        """True when a cell uses a name only Athena binds (``memory`` …): stock cannot run it."""
        return any(_uses_names(cell, ATHENA_NAMES) for cell in self.cells)

    def normalized_stdout(self, text: str) -> str:
        """``text`` passed through this case's normaliser (unchanged without one)."""
        return text if self.normalize is None else NORMALIZERS[self.normalize](text)


_MAGIC_PREFIX = re.compile(r"^(\s*)%%?\w+(?:\s+-\S+)*\s*")


def _uses_names(cell: str, names: frozenset[str]) -> bool:
    # `%time expr` / `%%timeit` lines: keep the Python after the magic and its options.
    python = "\n".join(_MAGIC_PREFIX.sub(r"\1", line) for line in cell.splitlines())
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return any(re.search(rf"\b{re.escape(name)}\b", cell) for name in names)
    return any(isinstance(node, ast.Name) and node.id in names for node in ast.walk(tree))
