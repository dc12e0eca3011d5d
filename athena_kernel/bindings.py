"""Assemble an execution engine on an IPython shell: Athena's names, magics and the sandbox.

Used by the kernel (in-process mode), by the sandbox worker (process mode) and by the IPython
extension, so user code sees the same ``memory``, ``apis``, ``procedures``, ``_output`` and
magics everywhere. The engine reaches the trusted side only through ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .namespace import NamespaceBinder


@dataclass
class EngineBindings:
    """What :func:`bind_engine` set up on a shell."""

    names: dict[str, Any]
    sandbox: Any = None  #: the installed Sandbox (None when unsandboxed, e.g. the extension)
    binder: NamespaceBinder | None = None
    magics: list[Any] = field(default_factory=list)

    def rule_for(self, error: BaseException | None) -> str | None:
        """The sandbox rule id an execution error corresponds to, if any."""
        if self.sandbox is None:
            return None
        from .sandbox.install import rule_for

        return rule_for(error)


def output_function(services: Any) -> Callable[..., str]:
    """The ``_output(n, start, end)`` function bound for user code."""

    def _output(n: int | None = None, start: int | None = None, end: int | None = None) -> str:
        """Full output of cell ``n`` (default: the latest), optionally sliced by char offsets.

        Example: ``_output(7)[:500]``
        """
        return services.call("output.get", {"n": n, "start": start, "end": end})

    return _output


def engine_names(settings: Any, services: Any) -> dict[str, Any]:
    """The objects bound in the user namespace: ``memory``, ``_output`` (and later more)."""
    from .memory import Memory

    store = getattr(settings, "store_path", "") or ""
    return {
        "memory": Memory(services.memory_backend(), path=store),
        "_output": output_function(services),
    }


def register_magics(shell: Any, services: Any) -> list[Any]:
    """Register Athena's magics on ``shell``; returns the Magics instances."""
    from .magics.output_magic import OutputMagics
    from .magics.sandbox_magic import SandboxMagics

    magics = [OutputMagics(shell, services), SandboxMagics(shell, services)]
    for m in magics:
        shell.register_magics(m)
    return magics


def bind_engine(
    shell: Any,
    settings: Any,
    services: Any,
    *,
    sandboxed: bool,
    extra_names: dict[str, Any] | None = None,
) -> EngineBindings:
    """Bind names and magics on ``shell``; with ``sandboxed`` install the sandbox around them."""
    names = {**engine_names(settings, services), **(extra_names or {})}
    magics = register_magics(shell, services)
    if sandboxed:
        from .sandbox import install_sandbox

        sandbox = install_sandbox(shell, settings, names=names)
        return EngineBindings(names=names, sandbox=sandbox, magics=magics)
    binder = NamespaceBinder(shell, {name: (lambda v=value: v) for name, value in names.items()})
    binder.bind()
    shell.events.register("pre_run_cell", lambda info: binder.bind())
    return EngineBindings(names=names, binder=binder, magics=magics)
