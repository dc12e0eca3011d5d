"""``WrapContext``: what the curated-module wrappers need from the sandbox runtime."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..guards.arithmetic import Limits


@dataclass(frozen=True)
class WrapContext:
    """What the wrappers need from the runtime."""

    limits: Limits
    guards: dict[str, Callable[..., Any]]
    #: Objects that must never be copied (bound facades, curated modules): deepcopy keeps them.
    sealed_objects: Callable[[], Iterable[Any]]
    max_decimal_prec: int
    #: ``{"stdout": writer, "stderr": writer}``: what ``sys.stdout``/``sys.stderr`` are in a cell.
    streams: Mapping[str, Any]
