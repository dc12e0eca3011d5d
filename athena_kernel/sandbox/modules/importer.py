"""The guarded ``__import__``: allowlisted modules come back as curated proxies.

The same rules back the validator's static import check (:func:`import_problem`,
:func:`from_import_problem`) so a rejected import reads the same before and during execution.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterable
from typing import Any

from ...policy.errors import ImportDenied
from .catalog import ALWAYS_AVAILABLE, CATALOG, exported_names, is_never_allowed, submodule_names
from .context import WrapContext
from .proxy import ModuleProxy, proxy_exports

_STORAGE_ADVICE = "use memory.* for storage and the kernel's APIs for everything else"

#: What to do instead, for modules agents commonly reach for.
_MODULE_ADVICE: dict[str, str] = {
    "typing": "use built-in generics in annotations (list[int], dict[str, int], X | None)",
    "typing_extensions": "use built-in generics in annotations (list[int], X | None)",
    "os": "files, processes and the environment are not available; use memory.* for storage",
    "pathlib": "files are not available; use memory.* for storage",
    "io": "files are not available; build strings directly, use memory.* for storage",
    "shutil": "files are not available; use memory.* for storage",
    "subprocess": "processes are not available; do the work in Python",
    "socket": "the network is not available; use the kernel's APIs",
    "urllib": "the network is not available; use the kernel's APIs",
    "http": "the network is not available; use the kernel's APIs",
    "requests": "the network is not available; use the kernel's APIs",
    "pickle": "use json to serialise data",
    "sys": "interpreter internals are not available",
}


def _allowed_list(allowed: Iterable[str]) -> str:
    names = sorted(allowed)
    return ", ".join(names) if names else "(none)"


def import_problem(module: str, allowed: frozenset[str]) -> tuple[str, str] | None:
    """Why ``import module`` is refused (``(message, advice)``), or ``None`` if it is fine."""
    root = module.split(".", 1)[0]
    listing = f"allowed modules: {_allowed_list(allowed)}"
    advice = f"{_MODULE_ADVICE.get(root, _STORAGE_ADVICE)}; {listing}"
    if is_never_allowed(module) or (root not in allowed and root not in ALWAYS_AVAILABLE):
        return f"import of '{module}' is not allowed", advice
    if module != root:
        parent, _, child = module.rpartition(".")
        curated_parent = parent in CATALOG or root in CATALOG
        if module not in CATALOG and child not in submodule_names(parent) and curated_parent:
            subs = sorted(submodule_names(parent))
            shown = ", ".join(f"{parent}.{s}" for s in subs) or "none"
            return (
                f"submodule '{module}' is not available in the sandbox",
                f"import '{root}' and use its curated names; curated submodules: {shown}",
            )
    return None


def from_import_problem(module: str, name: str) -> tuple[str, str] | None:
    """Why ``from module import name`` is refused, or ``None`` (unknown modules: ``None``)."""
    if name == "*":
        return (
            f"'from {module} import *' is not allowed",
            f"import the names you need: from {module} import a, b",
        )
    names = exported_names(module)
    if names is None or name in names:
        return None
    shown = ", ".join(sorted(names))
    return (
        f"'{module}.{name}' is not available in the sandbox (modules are curated)",
        f"{module} provides: {shown}",
    )


class ModuleImporter:
    """Builds and caches proxies for one sandbox; callable as ``__import__``."""

    def __init__(self, allowed: frozenset[str], context: WrapContext, on_class: Any = None) -> None:
        self.allowed = allowed
        self.context = context
        self._proxies: dict[str, ModuleProxy] = {}
        self._on_class = on_class  # called with each exported class (to allow subclassing)

    # ---------------------------------------------------------------------- building
    def proxy(self, module: str) -> ModuleProxy:
        """The curated proxy of ``module`` (built on first use)."""
        cached = self._proxies.get(module)
        if cached is not None:
            return cached
        spec = CATALOG.get(module)
        if spec is not None:
            exports = spec.build(self.context)
            for child in spec.submodules:
                exports[child] = self.proxy(f"{module}.{child}")
        else:
            exports = self._auto_exports(module)
        if spec is None or spec.subclassable:
            for value in exports.values():
                if isinstance(value, type) and self._on_class is not None:
                    self._on_class(value)
        proxy = ModuleProxy(module, exports)
        self._proxies[module] = proxy
        return proxy

    def _auto_exports(self, module: str, depth: int = 0) -> dict[str, Any]:
        """Public non-module names of a module allowed by configuration but not catalogued.

        Only as safe as that module's functions: see docs/security.md ("Configuring modules").
        """
        real = importlib.import_module(module)
        root = module.split(".", 1)[0]
        exports: dict[str, Any] = {}
        for name in dir(real):
            if name.startswith("_"):
                continue
            value = getattr(real, name, None)
            if isinstance(value, types.ModuleType):
                child = value.__name__
                if depth < 2 and child.startswith(root + ".") and not is_never_allowed(child):
                    if child not in self._proxies:
                        self._proxies[child] = ModuleProxy(
                            child, self._auto_exports(child, depth + 1)
                        )
                    exports[name] = self._proxies[child]
                continue
            exports[name] = value
        return exports

    def preload(self) -> None:
        """Import now the real module behind every allowed curated module (and its submodules).

        The worker builds its sandbox before it confines itself; after that it cannot read the
        Python installation, so a module first imported by a cell would not be found (``cmath``
        is a C extension nothing else loads). Proxies are still built on first use. Modules
        absent from this Python are skipped: importing them fails later with the usual error.
        """
        for root in sorted((self.allowed | ALWAYS_AVAILABLE) & CATALOG.keys()):
            for name in (root, *(f"{root}.{child}" for child in CATALOG[root].submodules)):
                try:
                    importlib.import_module(name)
                except ImportError:
                    continue

    def proxies(self) -> list[ModuleProxy]:
        """Every proxy built so far."""
        return list(self._proxies.values())

    # ---------------------------------------------------------------------- __import__
    def __call__(
        self,
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> ModuleProxy:
        """``__import__`` for cells."""
        if level:
            raise ImportDenied(
                "relative imports are not available in the sandbox", "import by absolute name"
            )
        if not isinstance(name, str) or not name:
            raise ImportDenied(f"invalid module name {name!r}", "import a module by its name")
        problem = import_problem(name, self.allowed)
        if problem:
            raise ImportDenied(*problem)
        target = self.proxy(name)
        if fromlist:
            exports = proxy_exports(target)
            for item in fromlist:
                if item == "*":
                    raise ImportDenied(*from_import_problem(name, "*"))  # type: ignore[misc]
                if item not in exports:
                    shown = ", ".join(sorted(exports))
                    raise ImportDenied(
                        f"cannot import '{item}' from '{name}' (modules are curated)",
                        f"{name} provides: {shown}",
                    )
            return target
        return self.proxy(name.split(".", 1)[0])
