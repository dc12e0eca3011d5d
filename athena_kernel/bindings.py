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


@dataclass
class EngineParts:
    """The objects an engine binds for cells, and the helpers its magics share."""

    names: dict[str, Any]  #: memory, apis, procedures, _output
    runner: Any  #: the ProcedureRunner behind ``procedures`` and ``%procedure run``
    browser: Any  #: the ApiBrowser behind ``apis`` and ``%apis``


def engine_parts(settings: Any, services: Any) -> EngineParts:
    """Create ``memory``, ``apis``, ``procedures`` and ``_output`` over ``services``."""
    from .discovery.browser import ApiBrowser, Apis
    from .magics.apis_magic import ApisMagics
    from .magics.output_magic import OutputMagics
    from .magics.procedure_magic import ProcedureMagics
    from .magics.sandbox_magic import SandboxMagics
    from .memory import Memory
    from .procedures.namespace import ProceduresNamespace
    from .procedures.runner import ProcedureRunner

    store = getattr(settings, "store_path", "") or ""
    memory = Memory(services.memory_backend(), path=store)
    runner = ProcedureRunner(memory, services, compiler=None)
    procedures = ProceduresNamespace(runner, memory)
    browser = ApiBrowser(
        memory,
        magics=[ApisMagics, ProcedureMagics, OutputMagics, SandboxMagics],
        procedures=procedures,
        rich=getattr(settings, "profile", "agent") == "human",
    )
    names = {
        "memory": memory,
        "apis": Apis(browser),
        "procedures": procedures,
        "_output": output_function(services),
    }
    return EngineParts(names=names, runner=runner, browser=browser)


def register_magics(shell: Any, services: Any, parts: EngineParts, policy: Any) -> list[Any]:
    """Register Athena's magics on ``shell``; returns the Magics instances."""
    from .magics.apis_magic import ApisMagics
    from .magics.output_magic import OutputMagics
    from .magics.procedure_magic import ProcedureMagics
    from .magics.sandbox_magic import SandboxMagics

    magics = [
        ApisMagics(shell, parts.browser),
        ProcedureMagics(
            shell,
            memory=parts.names["memory"],
            services=services,
            runner=parts.runner,
            policy=policy,
        ),
        OutputMagics(shell, services),
        SandboxMagics(shell, services),
    ]
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
    """Bind names and magics on ``shell``; with ``sandboxed`` install the sandbox around them.

    Saved procedures always run through a sandbox: the installed one, or (in the IPython
    extension, which does not sandbox the host shell) a sandbox runtime of their own.
    """
    from .procedures.runner import SandboxCompiler

    parts = engine_parts(settings, services)
    names = {**parts.names, **(extra_names or {})}
    if sandboxed:
        from .discovery.browser import ApiListing
        from .procedures.namespace import ProcedureHandle
        from .sandbox import install_sandbox

        sandbox = install_sandbox(shell, settings, names=names)
        # objects these bound names hand out: public attributes only, like the names
        sandbox.runtime.registry.seal_type(ApiListing, ProcedureHandle)
        compiler = SandboxCompiler(sandbox.runtime, sandbox.config)
        parts.runner.attach(compiler, procedures=names["procedures"])
        magics = register_magics(shell, services, parts, sandbox.config)
        return EngineBindings(names=names, sandbox=sandbox, magics=magics)
    compiler = SandboxCompiler.for_settings(settings, list(names))
    parts.runner.attach(compiler, procedures=names["procedures"])
    magics = register_magics(shell, services, parts, compiler.config)
    binder = NamespaceBinder(shell, {name: (lambda v=value: v) for name, value in names.items()})
    binder.bind()
    shell.events.register("pre_run_cell", lambda info: binder.bind())
    return EngineBindings(names=names, binder=binder, magics=magics)
