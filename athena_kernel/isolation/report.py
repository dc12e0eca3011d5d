"""The confinement report: for every layer, whether it is really in force on this machine.

Plain data (``to_dict``/``from_dict`` round-trip through JSON): the worker sends it to the
kernel, ``%sandbox status`` prints :meth:`ConfinementReport.render`. A layer is ``active`` only
when it was applied *and* (where cheap) its effect was checked; ``verified`` says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class LayerStatus(str, Enum):
    """Outcome of one layer."""

    ACTIVE = "active"
    #: The machine does not offer it (old kernel, disabled by the distribution, no bwrap...).
    UNAVAILABLE = "unavailable"
    #: It should have worked here but did not (or its effect could not be confirmed).
    FAILED = "failed"
    #: Switched off by the policy.
    DISABLED = "disabled"
    #: Nothing to do (e.g. no privileges to drop: the kernel does not run as root).
    NOT_NEEDED = "not_needed"


#: Statuses that satisfy a *required* layer.
SATISFYING = frozenset({LayerStatus.ACTIVE, LayerStatus.NOT_NEEDED})


@dataclass
class LayerResult:
    """One layer's line of the report."""

    name: str
    status: LayerStatus
    #: What is enforced, e.g. ``"RLIMIT_AS=600 MiB, RLIMIT_CPU=off"``.
    detail: str = ""
    #: Why it is unavailable / failed / not needed.
    reason: str = ""
    #: True when the effect was tested after applying it (e.g. a socket() call was refused).
    verified: bool = False
    required: bool = False

    @property
    def satisfied(self) -> bool:
        """Active, or nothing was needed."""
        return self.status in SATISFYING

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        data = asdict(self)
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LayerResult:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["status"] = LayerStatus(values["status"])
        return cls(**values)


@dataclass
class ConfinementReport:
    """Every layer's result plus facts about the machine and the limits in force."""

    layers: list[LayerResult] = field(default_factory=list)
    #: e.g. machine, kernel release, Landlock ABI, uid before/after, pid.
    facts: dict[str, Any] = field(default_factory=dict)
    #: Effective rlimits (name -> value, None = unlimited), as read back after setting them.
    limits: dict[str, int | None] = field(default_factory=dict)

    def add(self, result: LayerResult) -> LayerResult:
        """Append (or replace) a layer's result and return it."""
        self.layers = [r for r in self.layers if r.name != result.name]
        self.layers.append(result)
        return result

    def layer(self, name: str) -> LayerResult | None:
        """The result for ``name``, if reported."""
        return next((r for r in self.layers if r.name == name), None)

    def status(self, name: str) -> LayerStatus | None:
        """Shortcut: the status of layer ``name``."""
        result = self.layer(name)
        return result.status if result else None

    def active(self) -> list[str]:
        """Names of the layers in force."""
        return [r.name for r in self.layers if r.status is LayerStatus.ACTIVE]

    def missing_required(self) -> list[LayerResult]:
        """Required layers that are neither active nor unneeded."""
        return [r for r in self.layers if r.required and not r.satisfied]

    @property
    def ok(self) -> bool:
        """True when every required layer is satisfied."""
        return not self.missing_required()

    def render(self) -> str:
        """Human-readable table for ``%sandbox status``."""
        width = max((len(r.name) for r in self.layers), default=5)
        lines = []
        for r in self.layers:
            mark = {
                LayerStatus.ACTIVE: "active",
                LayerStatus.NOT_NEEDED: "not needed",
                LayerStatus.DISABLED: "disabled",
                LayerStatus.UNAVAILABLE: "unavailable",
                LayerStatus.FAILED: "FAILED",
            }[r.status]
            text = r.detail if r.status is LayerStatus.ACTIVE else (r.reason or r.detail)
            flags = []
            if r.required:
                flags.append("required")
            if r.status is LayerStatus.ACTIVE:
                flags.append("verified" if r.verified else "not verified")
            suffix = f" [{', '.join(flags)}]" if flags else ""
            lines.append(f"{r.name:<{width}}  {mark:<11} {text}{suffix}")
        if self.facts:
            fact_text = ", ".join(f"{k}={v}" for k, v in self.facts.items())
            lines.append(f"machine: {fact_text}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "layers": [r.to_dict() for r in self.layers],
            "facts": dict(self.facts),
            "limits": dict(self.limits),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConfinementReport:
        """Inverse of :meth:`to_dict`."""
        return cls(
            layers=[LayerResult.from_dict(d) for d in data.get("layers", [])],
            facts=dict(data.get("facts", {})),
            limits=dict(data.get("limits", {})),
        )


class ConfinementError(RuntimeError):
    """A required layer could not be put in force; the worker must not run user code."""

    def __init__(self, message: str, report: ConfinementReport | None = None) -> None:
        super().__init__(message)
        self.report = report
