"""``SandboxRuntime``: the guards, safe builtins and curated modules a cell's code runs with.

A runtime knows nothing about IPython or the kernel. The in-process sandbox installs one into the
kernel's shell; the worker process will install one into its own shell. Its ``builtins`` dict is
what a cell's ``__builtins__`` points to.
"""

from __future__ import annotations

import builtins as _builtins
import decimal
import operator
import sys
from collections.abc import Callable
from typing import Any

from ..policy import vocabulary as v
from ..policy.options import PolicyConfig
from .guards.access import AccessGuards, make_inplace_guards
from .guards.arithmetic import Limits, make_arithmetic_guards
from .guards.classes import ClassFactory, make_exit_guard, make_reraise_interrupt, make_safe_type
from .guards.iteration import LargeRange, make_safe_sum, safe_iter, safe_range
from .guards.output import PrintBudget, StreamWriter, make_print
from .guards.trust import TrustRegistry
from .modules.context import WrapContext
from .modules.importer import ModuleImporter
from .modules.numeric import cap_context
from .modules.proxy import ModuleProxy

#: Exceptions user code may never swallow (the cell timeout arrives as KeyboardInterrupt).
DEFAULT_UNSWALLOWABLE: tuple[type[BaseException], ...] = (KeyboardInterrupt,)

#: ``sys`` attributes exported by the curated ``sys`` whose (struct sequence) types cells may read.
_SYS_STRUCTS = ("version_info", "float_info", "int_info", "hash_info")

#: Plain builtins handed to cells as they are.
_PLAIN_BUILTINS = [
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "complex",
    "dict",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "hash",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "ord",
    "property",
    "repr",
    "reversed",
    "round",
    "set",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "super",
    "tuple",
    "zip",
    "memoryview",
    "Ellipsis",
    "NotImplemented",
    "None",
    "True",
    "False",
    "__build_class__",
]


def _exception_names() -> list[str]:
    return [
        name
        for name, value in vars(_builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    ]


class SandboxRuntime:
    """Guards, builtins and module proxies for one sandbox configuration."""

    def __init__(
        self,
        config: PolicyConfig,
        *,
        unswallowable: tuple[type[BaseException], ...] = DEFAULT_UNSWALLOWABLE,
    ) -> None:
        self.config = config
        self.limits = Limits.from_config(config)
        self.registry = TrustRegistry()
        self.unswallowable = unswallowable
        self.max_decimal_prec = max(100, config.max_int_digits)
        self.print_budget = PrintBudget(config.max_cell_output_chars)
        #: The dict cells see as ``__builtins__`` (filled below; its identity never changes).
        self.builtins: dict[str, Any] = {}
        self._sealed: list[Any] = []
        self._saved_decimal: list[decimal.Context] = []

        arithmetic = make_arithmetic_guards(self.limits)
        access = AccessGuards(self.registry, self.limits, self.max_decimal_prec).build(
            self.builtins
        )
        self.guards: dict[str, Callable[..., Any]] = {**arithmetic, **access}
        self.streams = {
            "stdout": StreamWriter(self.print_budget, "stdout"),
            "stderr": StreamWriter(self.print_budget, "stderr"),
        }
        context = WrapContext(
            self.limits, self.guards, self.sealed_objects, self.max_decimal_prec, self.streams
        )
        self.importer = ModuleImporter(
            config.allowed_modules, context, on_class=self.registry.allow_bases
        )
        self.importer.preload()  # before the worker closes the file system
        self.registry.seal_type(ModuleProxy)
        self.registry.allow_types(LargeRange, StreamWriter, *_ipython_result_types())
        self.registry.allow_types(*(type(getattr(sys, n)) for n in _SYS_STRUCTS))
        self.builtins.update(self._make_builtins())

    # ------------------------------------------------------------------ builtins
    def _make_builtins(self) -> dict[str, Any]:
        g = self.guards
        inplace_attr, inplace_item = make_inplace_guards(g["getattr"], g["write"], g["inplacevar"])
        names: dict[str, Any] = {name: getattr(_builtins, name) for name in _PLAIN_BUILTINS}
        names.update({name: getattr(_builtins, name) for name in _exception_names()})
        names.update(
            {
                "getattr": g["getattr"],
                "hasattr": g["hasattr"],
                "setattr": g["setattr"],
                "delattr": g["delattr"],
                "dir": g["dir"],
                "pow": g["pow"],
                "divmod": g["divmod"],
                "range": safe_range,
                "iter": safe_iter,
                "sum": make_safe_sum(operator.add),
                "print": make_print(self.print_budget, g["getattr"], self.streams["stdout"]),
                "type": make_safe_type(self.registry),
                "display": _display,
                "__import__": self.importer,
                # guards the transformed code calls
                v.GETATTR: g["getattr"],
                v.WRITE: g["write"],
                v.GETITEM: operator.getitem,
                v.GETITER: iter,
                v.INPLACEVAR: g["inplacevar"],
                v.INPLACE_ATTR: inplace_attr,
                v.INPLACE_ITEM: inplace_item,
                v.SLICE: slice,
                v.METACLASS: ClassFactory(self.registry),
                v.POW: g["pow"],
                v.MUL: g["mul"],
                v.LSHIFT: g["lshift"],
                v.FLOORDIV: g["floordiv"],
                v.MOD: g["mod"],
                v.RERAISE: make_reraise_interrupt(self.unswallowable),
                v.GUARD_EXIT: make_exit_guard(self.unswallowable),
            }
        )
        return names

    # ------------------------------------------------------------------ sealed objects
    def seal(self, *objects: Any) -> None:
        """Register objects bound for cells (``memory`` …): public attributes only."""
        for obj in objects:
            if not any(obj is known for known in self._sealed):
                self._sealed.append(obj)
        self.registry.seal(*objects)

    def sealed_objects(self) -> list[Any]:
        """Bound objects and curated modules (never copied by ``copy.deepcopy``)."""
        return [*self._sealed, *self.importer.proxies()]

    # ------------------------------------------------------------------ per cell
    def enter_cell(self) -> None:
        """Start of a cell: reset the print budget, bound the decimal context."""
        self.print_budget.reset()
        current = decimal.getcontext()
        self._saved_decimal.append(current)
        decimal.setcontext(cap_context(current, self.limits, self.max_decimal_prec))

    def exit_cell(self) -> None:
        """End of a cell: restore the decimal context the kernel had."""
        if self._saved_decimal:
            decimal.setcontext(self._saved_decimal.pop())


def _ipython_result_types() -> tuple[type, ...]:
    """IPython objects cells legitimately receive (display handles, %timeit -o, %%capture)."""
    from IPython.core.display_functions import DisplayHandle
    from IPython.core.magics.execution import TimeitResult
    from IPython.utils.capture import CapturedIO, RichOutput

    return (DisplayHandle, TimeitResult, CapturedIO, RichOutput)


def _display(*objs: Any, **kwargs: Any) -> Any:
    """display(*objs, **kwargs): show objects with IPython's rich display."""
    from IPython.display import display

    return display(*objs, **kwargs)
