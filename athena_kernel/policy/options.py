"""``PolicyConfig``: the sandbox's view of the settings, frozen and plain (no traitlets).

Validation, the transform and the guards read this object, never ``AthenaSettings`` directly,
so they run the same in the kernel, in a worker process and in tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import DEFAULT_ALLOWED_MAGICS, DEFAULT_ALLOWED_MODULES

#: Defaults for settings this package reads with ``getattr(settings, name, default)`` because
#: ``AthenaSettings`` does not define them (yet); see docs/security.md.
EXTRA_SETTING_DEFAULTS: dict[str, int] = {
    "max_cell_chars": 500_000,
    "max_cell_lines": 5_000,
    "max_cell_output_chars": 10_000_000,
}


@dataclass(frozen=True)
class PolicyConfig:
    """Everything the validator, the transform and the guards need to know about the settings."""

    allowed_modules: frozenset[str] = frozenset(DEFAULT_ALLOWED_MODULES)
    allowed_magics: frozenset[str] = frozenset(DEFAULT_ALLOWED_MAGICS)
    max_recursion_depth: int = 500
    max_int_digits: int = 4300
    memory_limit_mb: int = 512
    profile: str = "agent"
    max_cell_chars: int = EXTRA_SETTING_DEFAULTS["max_cell_chars"]
    max_cell_lines: int = EXTRA_SETTING_DEFAULTS["max_cell_lines"]
    max_cell_output_chars: int = EXTRA_SETTING_DEFAULTS["max_cell_output_chars"]
    #: Names bound by the kernel (``memory`` …): private attributes on them are rejected statically.
    bound_names: frozenset[str] = field(
        default_factory=lambda: frozenset({"memory", "apis", "procedures"})
    )

    @classmethod
    def from_settings(cls, settings: Any) -> PolicyConfig:
        """Build from ``AthenaSettings`` (or any object with the same attribute names)."""
        if isinstance(settings, PolicyConfig):
            return settings
        if settings is None:
            return cls()
        defaults = cls()

        def read(name: str) -> Any:
            return getattr(settings, name, getattr(defaults, name))

        return cls(
            allowed_modules=_names(read("allowed_modules"), "allowed_modules"),
            allowed_magics=_names(read("allowed_magics"), "allowed_magics"),
            max_recursion_depth=_positive(read("max_recursion_depth"), "max_recursion_depth"),
            max_int_digits=_positive(read("max_int_digits"), "max_int_digits"),
            memory_limit_mb=_positive(read("memory_limit_mb"), "memory_limit_mb"),
            profile=str(read("profile")),
            max_cell_chars=_positive(read("max_cell_chars"), "max_cell_chars"),
            max_cell_lines=_positive(read("max_cell_lines"), "max_cell_lines"),
            max_cell_output_chars=_positive(read("max_cell_output_chars"), "max_cell_output_chars"),
        )

    def with_bound_names(self, names: Iterable[str]) -> PolicyConfig:
        """A copy that knows which names the kernel binds (``memory``, ``apis`` …)."""
        return replace(self, bound_names=frozenset(names) | self.bound_names)

    @property
    def max_int_bits(self) -> int:
        """``max_int_digits`` expressed in bits (what the integer guards compare against)."""
        return int(self.max_int_digits * 3.3219280948873626) + 1

    @property
    def memory_limit_bytes(self) -> int:
        """``memory_limit_mb`` in bytes."""
        return self.memory_limit_mb * 1024 * 1024


def _names(value: Any, setting: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    try:
        names = frozenset(str(v).strip() for v in value if str(v).strip())
    except TypeError as exc:
        raise ValueError(f"setting {setting} must be a list of names, got {value!r}") from exc
    return names


def _positive(value: Any, setting: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {setting} must be a positive integer, got {value!r}") from exc
    if number <= 0:
        raise ValueError(f"setting {setting} must be a positive integer, got {value!r}")
    return number
