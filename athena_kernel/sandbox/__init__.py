"""The in-process sandbox: guards, safe builtins, curated modules, limits, shell wiring.

``install_sandbox(shell, settings, names={...})`` wires everything into an IPython shell (the
kernel's, a plain one via ``%load_ext athena_kernel``, later the worker's) and returns a
:class:`Sandbox` with ``uninstall()``. :class:`SandboxRuntime` is the shell-free part (what a
cell's ``__builtins__`` is made of).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .install import Sandbox, install_sandbox
    from .runtime import SandboxRuntime

__all__ = ["Sandbox", "SandboxRuntime", "install_sandbox"]


def __getattr__(name: str) -> Any:
    # Lazy: the policy package imports sandbox.modules, and sandbox.install imports the policy.
    if name in ("Sandbox", "install_sandbox"):
        from . import install

        return getattr(install, name)
    if name == "SandboxRuntime":
        from .runtime import SandboxRuntime

        return SandboxRuntime
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
