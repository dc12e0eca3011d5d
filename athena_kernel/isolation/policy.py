"""What to confine and how hard: resource limits, filesystem view, worker identity, and which
layers are required (abort the worker if missing) or best-effort.

Plain, JSON-serialisable data: the launcher hands the policy to the worker on its command line and
the worker applies it with :func:`athena_kernel.isolation.confine`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

#: Every layer, in the order :func:`confine` applies (or reports) them.
LAYERS: tuple[str, ...] = (
    "clean_start",
    "bwrap",
    "network_namespace",
    "rlimits",
    "privilege_drop",
    "no_new_privs",
    "landlock",
    "seccomp",
)
#: Required unless the policy says otherwise: present on any Linux >= 3.5 and cheap to verify.
#: Network isolation is then guaranteed by seccomp (no socket creation) even without a namespace.
DEFAULT_REQUIRED: frozenset[str] = frozenset(
    {"clean_start", "rlimits", "privilege_drop", "no_new_privs", "seccomp"}
)
#: ``nobody`` on most distributions: the worker's identity when the kernel runs as root.
NOBODY = 65534
MIB = 1024 * 1024


def _check_optional_positive(name: str, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or value <= 0):
        raise ValueError(
            f"ResourceLimits.{name} must be a positive integer or None (no limit), got {value!r}"
        )


@dataclass(frozen=True)
class ResourceLimits:
    """The worker's rlimits. ``None`` leaves a limit as inherited.

    ``memory_bytes`` becomes RLIMIT_AS. With ``memory_above_baseline`` (default) it is added to
    the address space the warmed-up worker already uses when it confines itself, so user code
    gets the same head-room however much the interpreter and pre-imported modules take.
    ``cpu_seconds`` is RLIMIT_CPU's soft limit (SIGXCPU); the hard limit (SIGKILL) is
    ``cpu_grace_seconds`` later. ``processes`` is RLIMIT_NPROC, counted per user id (so shared
    by every process running as the worker's uid). Core dumps are always off.
    """

    memory_bytes: int | None = 512 * MIB
    memory_above_baseline: bool = True
    cpu_seconds: int | None = None
    cpu_grace_seconds: int = 2
    file_size_bytes: int | None = 64 * MIB
    open_files: int | None = 256
    processes: int | None = 64

    def __post_init__(self) -> None:
        for name in ("memory_bytes", "cpu_seconds", "file_size_bytes", "open_files", "processes"):
            _check_optional_positive(name, getattr(self, name))
        if not isinstance(self.cpu_grace_seconds, int) or self.cpu_grace_seconds < 0:
            raise ValueError(
                "ResourceLimits.cpu_grace_seconds must be an integer >= 0, "
                f"got {self.cpu_grace_seconds!r}"
            )


def _layer_set(value: Iterable[str], argument: str) -> frozenset[str]:
    if isinstance(value, str):
        raise ValueError(f"ConfinementPolicy.{argument} must be a collection of layer names")
    names = frozenset(value)
    unknown = sorted(names - set(LAYERS))
    if unknown:
        raise ValueError(
            f"ConfinementPolicy.{argument} names unknown layer(s) {unknown}; "
            f"known layers: {', '.join(LAYERS)}"
        )
    return names


@dataclass(frozen=True)
class ConfinementPolicy:
    """How to confine one worker.

    Args:
        scratch_dir: the only directory the worker may write (absolute; created by the launcher).
        read_paths: extra paths the worker may read (files or directory trees). Empty by default:
            the worker imports what it needs *before* confining itself.
        write_paths: extra paths (beyond ``scratch_dir``) the worker may read and write.
        limits: resource limits.
        worker_uid / worker_gid: identity to drop to when the process runs as root.
        required: layers whose absence aborts the worker; the others are best-effort.
        disabled: layers not to apply at all (reported as ``disabled``); for diagnosis and tests.
    """

    scratch_dir: str
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    limits: ResourceLimits = field(default_factory=ResourceLimits)
    worker_uid: int = NOBODY
    worker_gid: int = NOBODY
    required: frozenset[str] = DEFAULT_REQUIRED
    disabled: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.scratch_dir, str) or not os.path.isabs(self.scratch_dir):
            raise ValueError(
                f"ConfinementPolicy.scratch_dir must be an absolute path, got {self.scratch_dir!r}"
            )
        for argument in ("read_paths", "write_paths"):
            paths = getattr(self, argument)
            if isinstance(paths, str):
                raise ValueError(f"ConfinementPolicy.{argument} must be a sequence of paths")
            paths = tuple(paths)
            bad = [p for p in paths if not isinstance(p, str) or not os.path.isabs(p)]
            if bad:
                raise ValueError(
                    f"ConfinementPolicy.{argument} must hold absolute paths; got {bad!r}"
                )
            object.__setattr__(self, argument, paths)
        for argument in ("worker_uid", "worker_gid"):
            value = getattr(self, argument)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"ConfinementPolicy.{argument} must be a positive (non-root) id, got {value!r}"
                )
        required = _layer_set(self.required, "required")
        disabled = _layer_set(self.disabled, "disabled")
        clash = sorted(required & disabled)
        if clash:
            raise ValueError(
                f"layer(s) {clash} are both required and disabled; remove them from one of "
                "ConfinementPolicy.required / ConfinementPolicy.disabled"
            )
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "disabled", disabled)

    def is_required(self, layer: str) -> bool:
        """Whether a missing ``layer`` must abort the worker."""
        return layer in self.required

    def is_disabled(self, layer: str) -> bool:
        """Whether ``layer`` is switched off by this policy."""
        return layer in self.disabled

    def with_changes(self, **changes: Any) -> ConfinementPolicy:
        """A copy with some fields replaced (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (sets become sorted lists)."""
        data = asdict(self)
        data["read_paths"] = list(self.read_paths)
        data["write_paths"] = list(self.write_paths)
        data["required"] = sorted(self.required)
        data["disabled"] = sorted(self.disabled)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConfinementPolicy:
        """Inverse of :meth:`to_dict`; unknown keys are an error (a typo must not weaken it)."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"unknown ConfinementPolicy field(s) {unknown}; known: {sorted(known)}"
            )
        values = dict(data)
        if "limits" in values and isinstance(values["limits"], Mapping):
            limit_fields = set(ResourceLimits.__dataclass_fields__)
            bad = sorted(set(values["limits"]) - limit_fields)
            if bad:
                raise ValueError(f"unknown ResourceLimits field(s) {bad}")
            values["limits"] = ResourceLimits(**values["limits"])
        for key in ("read_paths", "write_paths"):
            if key in values:
                values[key] = tuple(values[key])
        for key in ("required", "disabled"):
            if key in values:
                values[key] = frozenset(values[key])
        return cls(**values)


def policy_from_settings(settings: Any, scratch_dir: str) -> ConfinementPolicy:
    """Build the worker's policy from ``AthenaSettings`` (missing settings take defaults).

    Reads ``memory_limit_mb`` and ``cpu_limit_seconds``, and the proposed settings
    ``isolation_required_layers`` (list of layer names), ``isolation_read_paths`` (list of
    paths), ``isolation_worker_uid`` (int) and ``isolation_file_size_mb`` (int).
    """
    memory_mb = int(getattr(settings, "memory_limit_mb", 512) or 0)
    cpu = int(getattr(settings, "cpu_limit_seconds", 0) or 0)
    file_mb = int(getattr(settings, "isolation_file_size_mb", 64) or 0)
    uid = int(getattr(settings, "isolation_worker_uid", NOBODY) or NOBODY)
    required = getattr(settings, "isolation_required_layers", None)
    read_paths = getattr(settings, "isolation_read_paths", None) or ()
    return ConfinementPolicy(
        scratch_dir=scratch_dir,
        read_paths=tuple(read_paths),
        limits=ResourceLimits(
            memory_bytes=memory_mb * MIB if memory_mb > 0 else None,
            cpu_seconds=cpu if cpu > 0 else None,
            file_size_bytes=file_mb * MIB if file_mb > 0 else None,
        ),
        worker_uid=uid,
        worker_gid=uid,
        required=frozenset(required) if required is not None else DEFAULT_REQUIRED,
    )
