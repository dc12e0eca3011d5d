"""Which objects a cell owns, which it may only use, and which it may not touch at all.

- **owned**: classes created by a cell (marked by the class guard) and their instances. A cell may
  read and write their private attributes and call their special methods.
- **sealed**: the objects the kernel binds (``memory``, ``apis`` …) and the sandbox's own handles
  (module proxies, ``get_ipython()``). Public attributes only; ``type()``/``__class__`` refused, so
  the class (and its constructor) stays out of reach.
- **denied**: objects of interpreter internals (modules, frames, code) and of packages a cell must
  never drive directly (``os``, ``IPython``, ``duckdb``, the kernel's own internals …). Every
  attribute access on them is refused; this is a safety net behind the curated proxies.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import Any

#: Attribute set on classes a cell creates (cells cannot set dunder attributes themselves).
OWNED_MARK = "__athena_owned__"

OK, CLASS, SEALED, DENY = 0, 1, 2, 3

#: Packages (and modules) whose objects a cell may not use, even if one leaks out.
DEFAULT_DENIED_PREFIXES: tuple[str, ...] = (
    "os",
    "posix",
    "nt",
    "sys",
    "io",
    "_io",
    "subprocess",
    "_posixsubprocess",
    "socket",
    "_socket",
    "ssl",
    "_ssl",
    "signal",
    "threading",
    "_thread",
    "multiprocessing",
    "_multiprocessing",
    "concurrent",
    "asyncio",
    "_asyncio",
    "selectors",
    "select",
    "importlib",
    "_imp",
    "pkgutil",
    "inspect",
    "gc",
    "ctypes",
    "_ctypes",
    "pickle",
    "_pickle",
    "marshal",
    "shutil",
    "pathlib",
    "tempfile",
    "typing",
    "typing_extensions",
    "weakref",
    "_weakref",
    "code",
    "codeop",
    "pdb",
    "bdb",
    "runpy",
    "sqlite3",
    "_sqlite3",
    "duckdb",
    "_duckdb",
    "IPython",
    "ipykernel",
    "jupyter_client",
    "jupyter_core",
    "zmq",
    "tornado",
    "traitlets",
    "comm",
    "debugpy",
    "pydantic._internal",
    "RestrictedPython",
    "athena_kernel",
)

#: Exceptions to the denial above: value and facade modules a cell legitimately handles.
DEFAULT_ALLOWED_PREFIXES: tuple[str, ...] = (
    "athena_kernel.policy.errors",
    "athena_kernel.memory.models",
    "athena_kernel.memory.errors",
    "athena_kernel.memory.facade",
    "athena_kernel.memory.layers",
)

#: Interpreter internals: never usable from a cell, whatever module they claim.
_DENIED_TYPES: frozenset[type] = frozenset(
    {
        types.ModuleType,
        types.FrameType,
        types.CodeType,
        types.TracebackType,
        types.CellType,
    }
)


def _matches(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def is_owned_class(obj: Any) -> bool:
    """``obj`` is a class created by a cell."""
    return isinstance(obj, type) and getattr(obj, OWNED_MARK, False) is True


def is_owned(obj: Any) -> bool:
    """``obj`` is an instance of a class created by a cell."""
    return getattr(type(obj), OWNED_MARK, False) is True


def is_owned_super(obj: Any) -> bool:
    """``obj`` is ``super()`` inside a method of a class created by a cell."""
    return type(obj) is super and is_owned_class(obj.__thisclass__)


#: namedtuple's public API: underscore names only so they cannot clash with field names.
NAMEDTUPLE_API = frozenset({"_asdict", "_replace", "_make", "_fields", "_field_defaults"})


def is_namedtuple_class(cls: Any) -> bool:
    """``cls`` was made by ``collections.namedtuple`` itself (not a subclass adding methods).

    Such a class holds only what the factory generates: field getters, ``_make``, ``_replace``,
    ``_asdict``, ``__repr__`` … over a plain ``tuple``.
    """
    if not isinstance(cls, type) or cls.__bases__ != (tuple,):
        return False
    namespace = cls.__dict__
    fields = namespace.get("_fields")
    replace = namespace.get("_replace")
    return (
        type(fields) is tuple
        and all(type(f) is str for f in fields)
        and type(replace) is types.FunctionType
        and replace.__module__ == "collections"
    )


def namedtuple_api(obj: Any, name: str) -> bool:
    """Is ``obj.name`` namedtuple's own API (``p._asdict``, ``Point._make``)?

    True when the class that provides ``name`` (first in the MRO) is a namedtuple class; a
    subclass that overrides the name with its own code does not count.
    """
    if name not in NAMEDTUPLE_API:
        return False
    kind = obj if isinstance(obj, type) else type(obj)
    if not issubclass(kind, tuple):
        return False
    for klass in kind.__mro__:
        if name in klass.__dict__:
            return is_namedtuple_class(klass)
    return False


class TrustRegistry:
    """Classifies types for the guards (cached; one registry per sandbox runtime)."""

    def __init__(
        self,
        denied_prefixes: Iterable[str] = DEFAULT_DENIED_PREFIXES,
        allowed_prefixes: Iterable[str] = DEFAULT_ALLOWED_PREFIXES,
    ) -> None:
        self.denied_prefixes = tuple(denied_prefixes)
        self.allowed_prefixes = tuple(allowed_prefixes)
        self.sealed_types: set[type] = set()
        self.allowed_types: set[type] = set()
        #: Classes from curated modules a cell may subclass (filled by the module catalogue).
        self.base_types: set[type] = set()
        #: type -> verdict cache (the guards read it directly; cleared, never replaced).
        self.cached_instance_verdicts: dict[type, int] = {}
        self._class_verdicts: dict[type, int] = {}

    # ------------------------------------------------------------------ registration
    def seal(self, *objects: Any) -> None:
        """Seal the types of ``objects`` (instances) — e.g. the bound ``memory`` facade.

        Builtin types (a bound plain function, a dict) are not sealed: that would seal every
        function or dict; their attributes are dunders, which the guards refuse anyway.
        """
        for obj in objects:
            if type(obj).__module__ != "builtins":
                self.seal_type(type(obj))

    def seal_type(self, *kinds: type) -> None:
        """Seal ``kinds``: public instance attributes only, class unreachable."""
        self.sealed_types.update(kinds)
        self._forget()

    def allow_types(self, *kinds: type) -> None:
        """Let cells use objects of ``kinds`` although their module is denied."""
        self.allowed_types.update(kinds)
        self._forget()

    def allow_modules(self, *prefixes: str) -> None:
        """Let cells use objects of types defined under ``prefixes``."""
        self.allowed_prefixes = (*self.allowed_prefixes, *prefixes)
        self._forget()

    def allow_bases(self, *kinds: type) -> None:
        """Let cells subclass ``kinds`` (classes exported by curated modules)."""
        self.base_types.update(k for k in kinds if isinstance(k, type))

    def _forget(self) -> None:
        self.cached_instance_verdicts.clear()
        self._class_verdicts.clear()

    # ------------------------------------------------------------------ verdicts
    def module_denied(self, kind: type) -> bool:
        """Is ``kind`` defined in a denied package (and not explicitly allowed)?"""
        if kind in self.allowed_types or kind in self.sealed_types:
            return False
        module = getattr(kind, "__module__", None)
        if not isinstance(module, str):
            return False
        return _matches(module, self.denied_prefixes) and not _matches(
            module, self.allowed_prefixes
        )

    def instance_verdict(self, kind: type) -> int:
        """OK, CLASS (instances are classes: check the class itself), SEALED or DENY."""
        verdict = self.cached_instance_verdicts.get(kind)
        if verdict is None:
            if kind in _DENIED_TYPES:
                verdict = DENY
            elif issubclass(kind, type):
                verdict = CLASS
            elif kind in self.sealed_types:
                verdict = SEALED
            elif self.module_denied(kind):
                verdict = DENY
            else:
                verdict = OK
            if len(self.cached_instance_verdicts) > 50_000:
                self.cached_instance_verdicts.clear()
            self.cached_instance_verdicts[kind] = verdict
        return verdict

    def class_verdict(self, cls: type) -> int:
        """Verdict for attribute access on the class object ``cls`` itself."""
        verdict = self._class_verdicts.get(cls)
        if verdict is None:
            if cls in self.sealed_types:
                verdict = SEALED
            elif self.module_denied(cls):
                verdict = DENY
            else:
                verdict = OK
            if len(self._class_verdicts) > 50_000:
                self._class_verdicts.clear()
            self._class_verdicts[cls] = verdict
        return verdict

    def is_sealed(self, obj: Any) -> bool:
        """Is ``obj`` an instance of a sealed type?"""
        return type(obj) in self.sealed_types

    def may_subclass(self, base: Any) -> bool:
        """May a cell's class derive from ``base``?"""
        if not isinstance(base, type):
            return False
        if is_owned_class(base) or base in self.base_types:
            return True
        if is_namedtuple_class(base):  # class Point(namedtuple("Point", "x y")): ...
            return not self.module_denied(base)
        if base.__module__ == "builtins":
            return not issubclass(base, type) and base is not super
        return False
