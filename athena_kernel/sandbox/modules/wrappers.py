"""Replacements for the stdlib callables that are unsafe as they are (numbers: see numeric.py).

Each one keeps the original's behaviour for ordinary input and refuses the input that would
backtrack catastrophically (``re``), loop forever in C (``itertools.count`` under ``sum``), change
classes the kernel shares (``dataclass(json.JSONEncoder)``), reach objects a cell must not copy
(``copy.deepcopy(memory)``) or read files and URLs (``IPython.display.Image(filename=...)``).
"""

from __future__ import annotations

import copy as _copy
import dataclasses as _dataclasses
import functools
import hashlib as _hashlib
import itertools as _itertools
import re as _re
from collections.abc import Callable, Iterator
from typing import Any

from ...policy.errors import ComputationLimitExceeded, WriteDenied
from ..guards.iteration import interruptible
from ..guards.trust import is_owned_class
from .context import WrapContext
from .regex_safety import check_regex
from .standins import guarded_class

#: PBKDF2 iterations a cell may ask for (about a second of CPU at the top).
MAX_PBKDF2_ITERATIONS = 1_000_000
MAX_PBKDF2_DKLEN = 1024


# ------------------------------------------------------------------------------------- re
def re_functions(ctx: WrapContext) -> dict[str, Any]:
    """The ``re`` entry points, refusing patterns that can backtrack catastrophically."""

    def checked(name: str) -> Callable[..., Any]:
        original = getattr(_re, name)

        @functools.wraps(original)
        def wrapper(pattern: Any, *args: Any, **kwargs: Any) -> Any:
            flags = kwargs.get("flags", 0)
            if name in ("compile", "template") and args:
                flags = args[0]
            elif name in ("search", "match", "fullmatch", "findall", "finditer") and len(args) >= 2:
                flags = args[1]
            check_regex(pattern, flags if isinstance(flags, int) else 0)
            return original(pattern, *args, **kwargs)

        del wrapper.__wrapped__
        return wrapper

    names = (
        "compile",
        "search",
        "match",
        "fullmatch",
        "split",
        "findall",
        "finditer",
        "sub",
        "subn",
    )
    return {name: checked(name) for name in names}


# ------------------------------------------------------------------------------ itertools
def _generator(name: str, factory: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        return interruptible(factory(*args, **kwargs))

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = (
        f"{factory.__doc__}\n\n(Sandbox: iterates through Python so the cell stays interruptible.)"
    )
    return wrapper


def itertools_functions(ctx: WrapContext) -> dict[str, Any]:
    """count, cycle, repeat and the combinatoric iterators, as interruptible generators."""
    names = (
        "count",
        "cycle",
        "repeat",
        "product",
        "permutations",
        "combinations",
        "combinations_with_replacement",
    )
    return {name: _generator(name, getattr(_itertools, name)) for name in names}


# --------------------------------------------------------------- class decorators with effects
def _own_classes_only(decorator: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``decorator`` that refuses classes the cell did not define (it changes them in place)."""

    def check(cls: Any) -> None:
        if not is_owned_class(cls):
            raise WriteDenied(
                f"{name}() changes the class it decorates; {cls!r} is shared with the kernel",
                "decorate classes defined in the cell",
            )

    def guarded(cls: Any = None, /, **options: Any) -> Any:
        if cls is None:

            def apply(target: Any) -> Any:
                check(target)
                return decorator(target, **options)

            return apply
        check(cls)
        return decorator(cls, **options)

    guarded.__name__ = guarded.__qualname__ = name
    guarded.__doc__ = decorator.__doc__
    return guarded


def dataclasses_functions(ctx: WrapContext) -> dict[str, Any]:
    """``dataclass`` for the cell's own classes only."""
    return {"dataclass": _own_classes_only(_dataclasses.dataclass, "dataclass")}


def functools_functions(ctx: WrapContext) -> dict[str, Any]:
    """``total_ordering`` for the cell's own classes only."""
    return {"total_ordering": _own_classes_only(functools.total_ordering, "total_ordering")}


# ------------------------------------------------------------------------------- operator
def operator_functions(ctx: WrapContext) -> dict[str, Any]:
    """The ``operator`` functions that need the sandbox's size and write guards."""
    guards = ctx.guards
    write = guards["write"]

    def setitem(obj: Any, key: Any, value: Any, /) -> None:
        """Same as obj[key] = value (the object must be writable by the cell)."""
        write(obj)[key] = value

    def delitem(obj: Any, key: Any, /) -> None:
        """Same as del obj[key] (the object must be writable by the cell)."""
        del write(obj)[key]

    return {
        "pow": guards["pow"],
        "mul": guards["mul"],
        "lshift": guards["lshift"],
        "floordiv": guards["floordiv"],
        "mod": guards["mod"],
        "ipow": guards["ipow"],
        "imul": guards["imul"],
        "ilshift": guards["ilshift"],
        "ifloordiv": guards["ifloordiv"],
        "imod": guards["imod"],
        "setitem": setitem,
        "delitem": delitem,
    }


# -------------------------------------------------------------------------------- hashlib
def hashlib_functions(ctx: WrapContext) -> dict[str, Any]:
    """``pbkdf2_hmac`` with bounded work; the algorithm sets as frozensets."""

    def pbkdf2_hmac(
        hash_name: str, password: Any, salt: Any, iterations: int, dklen: Any = None
    ) -> bytes:
        """Password-based key derivation function 2 (iterations and dklen bounded)."""
        if not isinstance(iterations, int) or iterations > MAX_PBKDF2_ITERATIONS:
            raise ComputationLimitExceeded(
                f"pbkdf2_hmac with {iterations!r} iterations would run too long to interrupt",
                f"use at most {MAX_PBKDF2_ITERATIONS:,} iterations",
            )
        if dklen is not None and (not isinstance(dklen, int) or dklen > MAX_PBKDF2_DKLEN):
            raise ComputationLimitExceeded(
                f"pbkdf2_hmac dklen={dklen!r} is too large", f"use dklen <= {MAX_PBKDF2_DKLEN}"
            )
        return _hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, dklen)

    return {
        "pbkdf2_hmac": pbkdf2_hmac,
        # frozen copies: the real ones are mutable sets shared with the whole process
        "algorithms_available": frozenset(_hashlib.algorithms_available),
        "algorithms_guaranteed": frozenset(_hashlib.algorithms_guaranteed),
    }


# ----------------------------------------------------------------------------------- copy
def copy_functions(ctx: WrapContext) -> dict[str, Any]:
    """copy/deepcopy that hand back bound facades and curated modules instead of copying them."""

    def _is_sealed(obj: Any) -> bool:
        return any(obj is sealed for sealed in ctx.sealed_objects())

    def copy(x: Any) -> Any:
        """Shallow copy operation on arbitrary Python objects."""
        return x if _is_sealed(x) else _copy.copy(x)

    def deepcopy(x: Any, memo: Any = None) -> Any:
        """Deep copy operation on arbitrary Python objects (bound objects are kept, not copied)."""
        table = {} if memo is None else memo
        if not isinstance(table, dict):
            raise TypeError("deepcopy memo must be a dict")
        for sealed in ctx.sealed_objects():
            table.setdefault(id(sealed), sealed)
        return _copy.deepcopy(x, table)

    return {"copy": copy, "deepcopy": deepcopy}


# ------------------------------------------------------------------------------------ sys
def sys_functions(ctx: WrapContext) -> dict[str, Any]:
    """``sys.stdout``/``sys.stderr``: writers that forward to the kernel's current streams."""
    return {"stdout": ctx.streams["stdout"], "stderr": ctx.streams["stderr"]}


# -------------------------------------------------------------------------- IPython.display
def _refuse_files_and_urls(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """IPython display objects read ``filename=``/``url=`` (or a path/URL given as data)."""
    import os

    for key in ("filename", "url", "path"):
        if kwargs.get(key) is not None:
            raise WriteDenied(
                f"display objects cannot load {key}= in the sandbox (no files, no network)",
                "pass the content itself, e.g. HTML('<b>text</b>') or Image(data=png_bytes)",
                rule="policy.name",
            )
    data = args[0] if args else kwargs.get("data")
    if isinstance(data, str):
        looks_remote = data.lower().startswith(("http://", "https://", "ftp://", "file:"))
        try:
            looks_local = len(data) < 4096 and "\n" not in data and os.path.exists(data)
        except (ValueError, OSError):
            looks_local = False
        if looks_remote or looks_local:
            raise WriteDenied(
                "display objects cannot load a file or URL in the sandbox",
                "pass the content itself, e.g. HTML('<b>text</b>')",
                rule="policy.name",
            )


def ipython_display_functions(ctx: WrapContext) -> dict[str, Any]:
    """IPython's display classes, unable to read files or fetch URLs."""
    from IPython import display as real

    names = ("HTML", "Markdown", "Latex", "Math", "JSON", "SVG", "Pretty", "Image", "Code")
    return {
        name: guarded_class(getattr(real, name), before=_refuse_files_and_urls) for name in names
    }
