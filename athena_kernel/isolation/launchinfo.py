"""What the launcher knows and the worker records at start-up, shared by both sides.

The launcher fills in how it started the worker (bwrap or not, which descriptors it passed, its
own network namespace); the worker's bootstrap adds what it found before importing anything
(environment variable names, open descriptors). :func:`confine` turns that into the
``clean_start`` and ``bwrap`` lines of the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

#: Environment the launcher gives the worker (nothing else is inherited).
WORKER_ENVIRONMENT: dict[str, str] = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


@dataclass
class LaunchInfo:
    """Facts about one worker's start."""

    #: "active", "unavailable" or "disabled".
    bwrap: str = "disabled"
    bwrap_reason: str = ""
    #: Descriptors deliberately passed to the worker (besides 0, 1, 2).
    pass_fds: list[int] = field(default_factory=list)
    #: Environment variable names the launcher set.
    allowed_env: list[str] = field(default_factory=lambda: sorted(WORKER_ENVIRONMENT))
    #: The launcher's network namespace id (``readlink /proc/self/ns/net``).
    launcher_netns: str | None = None
    #: The launcher's pid: the worker arranges to be killed when that process goes away.
    launcher_pid: int | None = None
    #: Filled in by the worker's bootstrap before any import.
    start_env: list[str] = field(default_factory=list)
    start_fds: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LaunchInfo:
        """Inverse of :meth:`to_dict` (unknown keys are ignored: older/newer launchers)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
