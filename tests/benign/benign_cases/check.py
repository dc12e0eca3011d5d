"""Run a benign case on a kernel client and compare what came back with what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .case import BenignCase


class CellLike(Protocol):
    """What :class:`athena_kernel.client.CellResult` offers (the fields compared here)."""

    status: str
    stdout: str
    stderr: str
    displays: list[dict[str, Any]]
    error: dict[str, Any] | None

    @property
    def value(self) -> str | None:
        """``text/plain`` of the execute_result."""


class ClientLike(Protocol):
    """What :class:`athena_kernel.client.AthenaClient` offers (``run``)."""

    def run(self, code: str, *, timeout: float = 60.0) -> Any:
        """Execute one cell and return its result."""


@dataclass(frozen=True)
class Observed:
    """The compared parts of one cell's output."""

    stdout: str
    stderr: str
    result: str | None
    displays: tuple[str, ...]
    error: tuple[str, str] | None

    @classmethod
    def of(cls, cell: CellLike) -> Observed:
        """Extract the compared parts from a client's cell result."""
        error = None
        if cell.error is not None or cell.status != "ok":
            raw = cell.error or {}
            error = (str(raw.get("ename")), str(raw.get("evalue")))
        displays = tuple(str(d.get("text/plain", sorted(d))) for d in cell.displays)
        return cls(cell.stdout, cell.stderr, cell.value, displays, error)


def expected_of(case: BenignCase) -> Observed:
    """What ``case`` must produce."""
    return Observed(case.stdout, case.stderr, case.result, case.displays, case.error)


def mismatches(case: BenignCase, observed: Observed) -> list[str]:
    """Human-readable differences between ``observed`` and the case's expectation (empty: ok)."""
    got = Observed(
        case.normalized_stdout(observed.stdout),
        observed.stderr,
        observed.result,
        observed.displays,
        observed.error,
    )
    want = expected_of(case)
    problems = []
    for part in ("error", "stdout", "stderr", "result", "displays"):
        if getattr(got, part) != getattr(want, part):
            problems.append(
                f"{part}:\n  expected {getattr(want, part)!r}\n  got      {getattr(got, part)!r}"
            )
    return problems


def run_case(client: ClientLike, case: BenignCase, *, timeout: float = 60.0) -> Observed:
    """Run the case's setup cells (each must succeed silently), then its checked cell.

    Raises:
        AssertionError: a setup cell failed or printed something.
    """
    for number, code in enumerate(case.setup, start=1):
        seen = Observed.of(client.run(code, timeout=timeout))
        if seen != Observed("", "", None, (), None):
            raise AssertionError(f"setup cell {number} of {case.name!r} was not silent: {seen}")
    return Observed.of(client.run(case.code, timeout=timeout))
