"""``%load_ext athena_kernel``: Athena's ``memory``, names and magics in any IPython shell.

The extension does not sandbox the host shell (the user chose that kernel); saved procedures
still run through the sandbox. Output budgets and PII tokenization live in the Athena kernel
only, so ``%output`` explains that it needs one.
"""

from __future__ import annotations

from typing import Any

_STATE_ATTR = "_athena_extension"


def load_ipython_extension(ipython: Any) -> None:
    """Bind ``memory`` (and Athena's other names) and register the magics on ``ipython``."""
    if getattr(ipython, _STATE_ATTR, None) is not None:
        return  # loading twice is harmless
    from .bindings import bind_engine
    from .config import AthenaSettings
    from .memory import open_backend
    from .services import KernelServices

    settings = AthenaSettings(parent=ipython)
    services = KernelServices(open_backend(settings.resolved_store_path()))
    _register_extension_ops(services, settings)
    bindings = bind_engine(ipython, settings, services, sandboxed=False)
    setattr(ipython, _STATE_ATTR, (bindings, services))


def unload_ipython_extension(ipython: Any) -> None:
    """Remove the names and magics ``load_ipython_extension`` added."""
    state = getattr(ipython, _STATE_ATTR, None)
    if state is None:
        return
    bindings, services = state
    if bindings.binder is not None:
        bindings.binder.unbind()
    registry = ipython.magics_manager.magics
    for magics in bindings.magics:
        for kind in ("line", "cell"):
            for name in magics.magics.get(kind, {}):
                registry[kind].pop(name, None)
    services.close()
    setattr(ipython, _STATE_ATTR, None)


def _register_extension_ops(services: Any, settings: Any) -> None:
    def no_output(params: dict[str, Any]) -> Any:
        raise ValueError(
            "%output and _output() need an Athena kernel: outside it, output is neither "
            "budgeted nor archived (everything was printed in full)"
        )

    def status(params: dict[str, Any]) -> dict[str, Any]:
        return {
            "profile": settings.profile,
            "isolation": "none (IPython extension)",
            "cell_timeout_s": 0,
            "memory_limit_mb": 0,
            "max_output_chars": 0,
            "tokenize_pii": False,
            "python_layers": ["none: the host shell is not sandboxed by the extension"],
            "confinement": {
                "note": "loaded with %load_ext into a shell Athena does not control; saved "
                "procedures still run sandboxed. Use the athena kernel for the full pipeline."
            },
        }

    services.register("output.retrieve", no_output)
    services.register("output.get", no_output)
    services.register("sandbox.status", status)
    from .kernel_ops import register_procedure_file_ops

    register_procedure_file_ops(services, settings)
