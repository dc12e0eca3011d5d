"""Guarded attribute access: ``_getattr_``, ``_write_`` and the builtins built on them.

Every ``a.b`` in a cell becomes ``_getattr_(a, "b")`` and every ``a.b = v`` / ``a[k] = v`` becomes
``_write_(a).b = v``. These functions decide, per object:

- underscore attributes: only on the cell's own objects (classes a cell defined, their
  instances, ``super()`` in their methods); dunders beyond a short list never;
- interpreter internals (``gi_frame``, ``f_back``, ``tb_frame`` …) never;
- objects of denied packages (modules, ``os``, ``IPython``, ``duckdb`` …) never;
- ``str.format``/``format_map`` become the safe formatter; a few C entry points that build huge
  numbers (``int.from_bytes``, ``Decimal.as_integer_ratio``) are size-checked;
- writes only to the cell's own objects, functions, dicts, lists and other plain containers.
"""

from __future__ import annotations

import collections
import decimal
import types
from abc import ABCMeta
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ...policy.errors import AccessDenied, IntegerLimitExceeded, WriteDenied
from ...policy.vocabulary import (
    INTROSPECTION_ATTRS,
    MUTATING_SPECIALS,
    SAFE_DUNDER_READ,
    SPECIAL_METHODS,
    is_dunder,
)
from .arithmetic import Limits
from .formatting import make_format_functions
from .trust import (
    CLASS,
    DENY,
    SEALED,
    TrustRegistry,
    is_owned,
    is_owned_class,
    is_owned_super,
    namedtuple_api,
)

_MISSING: Any = object()
_ModuleType = types.ModuleType

#: Containers a cell may write into even though it did not create their class.
WRITABLE_TYPES: frozenset[type] = frozenset(
    {
        dict,
        list,
        bytearray,
        set,
        collections.OrderedDict,
        collections.defaultdict,
        collections.Counter,
        collections.deque,
        collections.ChainMap,
        collections.UserDict,
        collections.UserList,
        types.SimpleNamespace,
    }
)

#: Public attribute names that need a per-object decision (checked only for these names).
_SPECIAL_NAMES = frozenset(
    {"format", "format_map", "obj", "from_bytes", "as_integer_ratio", "model_rebuild", "register"}
    | {"model_config", "model_fields", "model_computed_fields"}
)


def _describe(obj: Any) -> str:
    kind = obj if isinstance(obj, type) else type(obj)
    module = getattr(kind, "__module__", "?")
    name = getattr(kind, "__qualname__", getattr(kind, "__name__", "?"))
    what = "class" if isinstance(obj, type) else "object"
    return f"{what} of type {module}.{name}" if what == "object" else f"class {module}.{name}"


@dataclass
class AccessGuards:
    """The attribute/write guards of one sandbox runtime (plain functions after ``build``)."""

    registry: TrustRegistry
    limits: Limits
    max_decimal_prec: int

    def build(self, builtins_dict: dict[str, Any]) -> dict[str, Callable[..., Any]]:
        """Create the guard functions; ``builtins_dict`` identifies functions a cell defined."""
        registry = self.registry
        instance_verdict = registry.instance_verdict
        class_verdict = registry.class_verdict
        sealed = registry.sealed_types
        limits = self.limits

        def deny(rule: str, message: str, advice: str) -> AccessDenied:
            return AccessDenied(message, advice, rule=rule)

        def denied_object(obj: Any, name: str) -> AccessDenied:
            if type(obj) is _ModuleType:
                return deny(
                    "policy.import",
                    f"module objects are not available in the sandbox (asked for .{name})",
                    "import the module in the cell: you get its curated version",
                )
            return deny(
                "policy.private",
                f"{_describe(obj)} cannot be used from a cell (asked for .{name})",
                "use the documented API (memory.*, %apis) instead",
            )

        def underscore_attr(obj: Any, name: str) -> Any:
            """Attributes starting with '_': own objects only (and a few harmless dunders)."""
            own = is_owned(obj) or is_owned_class(obj) or is_owned_super(obj)
            if is_dunder(name):
                if name in SAFE_DUNDER_READ:
                    if name == "__class__" and type(obj) in sealed:
                        raise deny(
                            "policy.private",
                            f"the class of {_sealed_name(obj)} is not available",
                            "use its methods (see %apis)",
                        )
                    return getattr(obj, name)
                if name in SPECIAL_METHODS:
                    if own or name not in MUTATING_SPECIALS:
                        return getattr(obj, name)
                    raise deny(
                        "policy.dunder",
                        f"{name} can only be called on the cell's own objects, not on "
                        f"{_describe(obj)}",
                        "create a new object instead of re-initialising or mutating this one",
                    )
                if name == "__dict__" and own:
                    return getattr(obj, name)
                raise deny(
                    "policy.dunder",
                    f"attribute {name} is not available in the sandbox",
                    "interpreter internals are out of reach; use the object's public API",
                )
            if own:
                return getattr(obj, name)
            if namedtuple_api(obj, name):
                value = getattr(obj, name)
                # _field_defaults is the class's own dict: hand out a copy
                return dict(value) if type(value) is dict else value
            raise deny(
                "policy.private",
                f"private attribute {name} of {_describe(obj)} is not accessible",
                "use the public API (see %apis or dir(obj))",
            )

        safe_format, safe_format_map = make_format_functions(lambda o, n: guarded_getattr(o, n))

        def special_attr(obj: Any, name: str) -> Any:
            """Public names whose meaning depends on the object (format, from_bytes …)."""
            if name in ("format", "format_map"):
                func = safe_format if name == "format" else safe_format_map
                if isinstance(obj, str):
                    return partial(func, obj)
                if isinstance(obj, type) and issubclass(obj, str):
                    return func
            elif name == "obj" and isinstance(obj, AttributeError):
                raise deny(
                    "policy.introspection",
                    "AttributeError.obj is not available in the sandbox",
                    "use the error message (str(error)) instead",
                )
            elif name == "from_bytes" and isinstance(obj, type) and issubclass(obj, int):
                return partial(_checked_from_bytes, obj, limits)
            elif name == "as_integer_ratio" and isinstance(obj, decimal.Decimal):
                check_decimal(obj, limits)
            elif name == "model_rebuild" and isinstance(obj, type):
                raise deny(
                    "policy.private",
                    "model_rebuild() is not available in the sandbox",
                    "models returned by memory are ready to use as they are",
                )
            elif name == "register" and isinstance(obj, ABCMeta) and not is_owned_class(obj):
                raise deny(
                    "policy.write",
                    f"{_describe(obj)}.register() would change isinstance() for the whole kernel",
                    "register virtual subclasses only on abstract classes the cell defined",
                )
            elif name in ("model_config", "model_fields", "model_computed_fields"):
                value = getattr(obj, name)
                # the class's own dicts are shared with the kernel: hand out a copy
                return dict(value) if type(value) is dict else value
            return _MISSING

        def checked_getattr(obj: Any, name: str, default: Any, verdict: int) -> Any:
            """The slow path: denied/sealed objects, underscore and special names."""
            try:
                if verdict:
                    if verdict == CLASS:
                        verdict = class_verdict(obj)
                        if verdict == SEALED and name not in SAFE_DUNDER_READ:
                            raise deny(
                                "policy.private",
                                f"{_describe(obj)} is not available to cells",
                                "use the bound object (e.g. memory) instead of its class",
                            )
                    if verdict == DENY:
                        raise denied_object(obj, name)
                if name[:1] == "_":
                    return underscore_attr(obj, name)
                if name in INTROSPECTION_ATTRS:
                    raise deny(
                        "policy.introspection",
                        f"{name} (frame/code/generator internals) is not available",
                        "interpreter internals are out of reach from a cell",
                    )
                if name in _SPECIAL_NAMES:
                    value = special_attr(obj, name)
                    if value is not _MISSING:
                        return value
                value = getattr(obj, name)
            except AttributeError:  # AccessDenied included: a default hides the denial
                if default is _MISSING:
                    raise
                return default
            if type(value) is _ModuleType:
                if default is not _MISSING:
                    return default
                raise denied_object(value, name)
            return value

        verdicts_get = registry.cached_instance_verdicts.get
        plain_names: dict[str, bool] = {}
        watched = INTROSPECTION_ATTRS | _SPECIAL_NAMES
        module_type = _ModuleType

        def guarded_getattr(obj: Any, name: str, default: Any = _MISSING) -> Any:
            """``getattr`` for cells (see the module docstring for the rules)."""
            if type(name) is not str:
                raise TypeError(f"attribute name must be a str, not {type(name).__name__}")
            kind = type(obj)
            verdict = verdicts_get(kind)
            if verdict is None:
                verdict = instance_verdict(kind)
            plain = plain_names.get(name)
            if plain is None:
                plain = not name.startswith("_") and name not in watched
                if len(plain_names) > 100_000:
                    plain_names.clear()
                plain_names[name] = plain
            if verdict or not plain:
                return checked_getattr(obj, name, default, verdict)
            try:
                value = getattr(obj, name)
            except AttributeError:
                if default is _MISSING:
                    raise
                return default
            if type(value) is module_type:
                return checked_getattr(obj, name, default, verdict)
            return value

        def guarded_hasattr(obj: Any, name: str) -> bool:
            """``hasattr`` through the guarded getattr."""
            try:
                guarded_getattr(obj, name)
            except AttributeError:
                return False
            return True

        def guarded_dir(*args: Any) -> list[str]:
            """``dir(obj)``: the names a cell can reach (public, plus private ones of its own)."""
            if not args:
                raise TypeError("dir() needs an object in the sandbox; use %who to list variables")
            if len(args) > 1:
                raise TypeError(f"dir expected at most 1 argument, got {len(args)}")
            (obj,) = args
            if instance_verdict(type(obj)) == DENY:
                raise denied_object(obj, "__dir__")
            own = is_owned(obj) or is_owned_class(obj)
            return [
                n for n in dir(obj) if not n.startswith("__") and (own or not n.startswith("_"))
            ]

        writers = {
            decimal.Context: partial(
                DecimalContextWriter, max_prec=self.max_decimal_prec, limits=limits
            )
        }

        def guarded_write(obj: Any) -> Any:
            """``_write_``: the object itself if a cell may change it, else ``WriteDenied``."""
            kind = type(obj)
            if kind in WRITABLE_TYPES or getattr(kind, "__athena_owned__", False) is True:
                return obj
            if is_owned_class(obj):
                return obj
            if kind is types.FunctionType and obj.__builtins__ is builtins_dict:
                return obj
            writer = writers.get(kind)
            if writer is not None:
                return writer(obj)
            what = _sealed_name(obj) if type(obj) in sealed else _describe(obj)
            advice = "create your own object (or a dict) and change that"
            if hasattr(kind, "model_copy"):
                advice = (
                    "results are read-only: make a changed copy with obj.model_copy(update={...})"
                )
            raise WriteDenied(f"{what} cannot be modified from a cell", advice)

        def check_attr_name(obj: Any, name: Any, action: str) -> None:
            if type(name) is not str:
                raise TypeError(f"attribute name must be a str, not {type(name).__name__}")
            if is_dunder(name):
                raise deny(
                    "policy.dunder", f"cannot {action} attribute {name}", "use a public attribute"
                )
            if name.startswith("_") and not (is_owned(obj) or is_owned_class(obj)):
                raise deny(
                    "policy.private",
                    f"cannot {action} private attribute {name} of {_describe(obj)}",
                    "only the cell's own objects have private attributes it may change",
                )

        def guarded_setattr(obj: Any, name: str, value: Any) -> None:
            """``setattr`` for cells: public names, on objects the cell may change."""
            check_attr_name(obj, name, "set")
            setattr(guarded_write(obj), name, value)

        def guarded_delattr(obj: Any, name: str) -> None:
            """``delattr`` for cells: public names, on objects the cell may change."""
            check_attr_name(obj, name, "delete")
            delattr(guarded_write(obj), name)

        return {
            "getattr": guarded_getattr,
            "hasattr": guarded_hasattr,
            "dir": guarded_dir,
            "write": guarded_write,
            "setattr": guarded_setattr,
            "delattr": guarded_delattr,
            "format": safe_format,
            "format_map": safe_format_map,
        }


def make_inplace_guards(
    guarded_getattr: Callable[..., Any],
    guarded_write: Callable[[Any], Any],
    inplacevar: Callable[[str, Any, Any], Any],
) -> tuple[Callable[..., None], Callable[..., None]]:
    """``(_inplace_attr_, _inplace_item_)``: ``obj.name op= value`` / ``obj[key] op= value``.

    Used for the operators whose result size is guarded (``*=``, ``**=``, ``<<=`` …); the other
    augmented assignments stay native (their target goes through ``_write_``).
    """

    def inplace_attr(obj: Any, name: str, op: str, value: Any) -> None:
        """``obj.name op= value`` with the write guard and a size-guarded operator."""
        target = guarded_write(obj)
        setattr(target, name, inplacevar(op, guarded_getattr(obj, name), value))

    def inplace_item(obj: Any, key: Any, op: str, value: Any) -> None:
        """``obj[key] op= value`` with the write guard and a size-guarded operator."""
        target = guarded_write(obj)
        target[key] = inplacevar(op, obj[key], value)

    return inplace_attr, inplace_item


def _sealed_name(obj: Any) -> str:
    return f"the bound {type(obj).__name__} object"


def _checked_from_bytes(kind: type, limits: Limits, data: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        size = len(data) * 8
    except TypeError:
        size = 0
    if size > limits.max_int_bits:
        raise AccessDenied(
            f"int.from_bytes of {len(data):,} bytes would exceed max_int_digits "
            f"({limits.max_int_digits:,} digits)",
            "use fewer bytes",
            rule="limit.int",
        )
    return kind.from_bytes(data, *args, **kwargs)


def check_decimal(value: decimal.Decimal, limits: Limits) -> None:
    """Refuse a Decimal whose exact value needs more than max_int_digits digits."""
    if value.is_finite() and abs(value.adjusted()) > limits.max_int_digits:
        raise IntegerLimitExceeded(
            f"this Decimal has an exponent of {value.adjusted():,}; numbers beyond "
            f"{limits.max_int_digits:,} digits (max_int_digits) are not allowed",
            "use a smaller exponent, or floats for magnitudes",
        )


class DecimalContextWriter:
    """Write proxy for ``decimal.Context``: precision and exponent range stay bounded."""

    _BOUNDED = ("prec", "Emax", "Emin")
    _FREE = ("rounding", "capitals", "clamp")

    def __init__(self, context: decimal.Context, *, max_prec: int, limits: Limits) -> None:
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "_max_prec", max_prec)
        object.__setattr__(self, "_limits", limits)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._FREE:
            setattr(self._context, name, value)
            return
        if name == "prec":
            if not isinstance(value, int) or not 1 <= value <= self._max_prec:
                raise WriteDenied(
                    f"decimal precision must be between 1 and {self._max_prec:,}",
                    "use a smaller precision",
                    rule="limit.cpu",
                )
        elif name in ("Emax", "Emin"):
            if not isinstance(value, int) or abs(value) > self._limits.max_int_digits:
                raise WriteDenied(
                    f"decimal {name} must be within ±{self._limits.max_int_digits:,} "
                    "(max_int_digits)",
                    "use a smaller exponent range",
                    rule="limit.int",
                )
        else:
            raise WriteDenied(
                f"decimal.Context.{name} cannot be changed from a cell",
                "set prec, rounding, Emax, Emin, capitals or clamp",
            )
        setattr(self._context, name, value)
