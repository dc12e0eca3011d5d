"""``print`` for cells, with a hard per-cell ceiling on printed characters.

The output filter (``athena_kernel.output``) trims what clients see; this ceiling only stops a
runaway ``while True: print(...)`` from pushing gigabytes through the kernel before the timeout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ...policy.errors import OutputLimitExceeded


class PrintBudget:
    """Counts characters printed by the current cell; ``reset()`` at every cell start."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def reset(self) -> None:
        """Start a new cell's count."""
        self.used = 0

    def charge(self, chars: int) -> None:
        """Account for ``chars`` more characters; raise once the ceiling is passed."""
        self.used += chars
        if self.used > self.limit:
            raise OutputLimitExceeded(
                f"the cell printed more than {self.limit:,} characters",
                "print a summary (len(x), x[:10]) instead of everything",
            )


class StreamWriter:
    """What a cell gets as ``sys.stdout``/``sys.stderr``: charges the budget, then forwards.

    It forwards to the kernel's *current* stream at each write (IPython and ipykernel replace
    ``sys.stdout``); the real stream object itself never reaches the cell.
    """

    __slots__ = ("_budget", "_name")

    def __init__(self, budget: PrintBudget, name: str) -> None:
        self._budget = budget
        self._name = name

    def write(self, text: str) -> int:
        """Write text to the stream."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._budget.charge(len(text))
        return getattr(sys, self._name).write(text)

    def flush(self) -> None:
        """Flush the stream."""
        getattr(sys, self._name).flush()

    def isatty(self) -> bool:
        """Never a terminal."""
        return False

    def writable(self) -> bool:
        """Always writable."""
        return True

    @property
    def name(self) -> str:
        """``<stdout>`` or ``<stderr>``."""
        return f"<{self._name}>"

    def __repr__(self) -> str:
        return f"<sandbox {self._name}>"


def make_print(
    budget: PrintBudget, guarded_getattr: Callable[..., Any], stdout: StreamWriter
) -> Callable[..., None]:
    """The sandbox's ``print``."""
    native_print = print

    def safe_print(
        *values: Any,
        sep: str | None = " ",
        end: str | None = "\n",
        file: Any = None,
        flush: bool = False,
    ) -> None:
        """print(*values, sep=' ', end='\\n', file=None, flush=False): write values to stdout."""
        if file is None:
            native_print(*values, sep=sep, end=end, file=stdout, flush=flush)
            return
        guarded_getattr(file, "write")  # a cell may only print into objects it can use
        native_print(*values, sep=sep, end=end, file=file, flush=flush)

    safe_print.__name__ = "print"
    return safe_print
