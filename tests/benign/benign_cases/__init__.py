"""The benign suite as data: realistic agent cells and exactly what they must print.

Used by ``tests/benign/test_benign_kernels.py`` (every case in every kernel configuration) and by
``bench/sandbox_bench.py`` (the cases stock ipykernel can run, timed against it).
"""

from __future__ import annotations

from . import language, memory_api, notebook, wrangling
from .case import ATHENA_NAMES, NORMALIZERS, BenignCase, mask_durations


def all_cases() -> list[BenignCase]:
    """Every benign case, in a stable order; names are unique."""
    cases = [*wrangling.CASES, *language.CASES, *notebook.CASES, *memory_api.CASES]
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            raise ValueError(f"two benign cases are named {case.name!r}; names must be unique")
        seen.add(case.name)
    return cases


def stock_cases() -> list[BenignCase]:
    """The cases plain Python in stock ipykernel can run as they are (no Athena names)."""
    return [case for case in all_cases() if not case.needs_athena]


__all__ = [
    "ATHENA_NAMES",
    "NORMALIZERS",
    "BenignCase",
    "all_cases",
    "mask_durations",
    "stock_cases",
]
