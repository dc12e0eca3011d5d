"""Class creation in cells: the ``__metaclass__`` hook and a ``type`` that cannot build classes.

RestrictedPython turns ``class A(B): ...`` into ``class A(B, metaclass=__metaclass__)``. Our hook
checks the bases (builtins, the cell's own classes and classes exported by curated modules — never
the kernel's classes), runs the real metaclass (so ``Enum``, ABCs and dataclasses work, including
``__prepare__``) and marks the class as owned by the cell. ``type(x)`` still answers the type of
``x``; the three-argument form, which would build a class around the hook, is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...policy.errors import AccessDenied, ClassDenied
from ...policy.vocabulary import GUARD_EXIT
from .trust import OWNED_MARK, TrustRegistry


def _most_derived_metaclass(bases: tuple[Any, ...]) -> type:
    winner: type = type
    for base in bases:
        meta = type(base)
        if issubclass(winner, meta):
            continue
        if issubclass(meta, winner):
            winner = meta
            continue
        raise TypeError(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
            "subclass of the metaclasses of all its bases"
        )
    return winner


class ClassFactory:
    """The object bound as ``__metaclass__``: checks bases, builds the class, marks it owned."""

    def __init__(self, registry: TrustRegistry) -> None:
        self._registry = registry

    def _check(self, name: str, bases: tuple[Any, ...]) -> type:
        for base in bases:
            if not self._registry.may_subclass(base):
                shown = getattr(base, "__qualname__", None) or type(base).__name__
                module = getattr(base, "__module__", "")
                where = f"{module}.{shown}" if module and module != "builtins" else shown
                raise ClassDenied(
                    f"class {name} cannot derive from {where}",
                    "derive from builtin types, your own classes or classes of the allowed "
                    "modules (e.g. enum.Enum, collections.UserDict)",
                )
        return _most_derived_metaclass(bases)

    def __prepare__(self, name: str, bases: tuple[Any, ...], **kwargs: Any) -> Any:
        """Run the real metaclass's ``__prepare__`` (``Enum`` needs its own namespace)."""
        meta = self._check(name, bases)
        prepare = getattr(meta, "__prepare__", None)
        return prepare(name, bases, **kwargs) if prepare is not None else {}

    def __call__(self, name: str, bases: tuple[Any, ...], namespace: Any, **kwargs: Any) -> type:
        """Create the class with its real metaclass and mark it as the cell's own."""
        meta = self._check(name, bases)
        cls = meta(name, bases, namespace, **kwargs)
        type.__setattr__(cls, OWNED_MARK, True)
        return cls

    def __repr__(self) -> str:
        return "<sandbox class factory>"


class _TypeMeta(type):
    """Makes ``isinstance(x, type)`` and ``issubclass(c, type)`` answer for the real ``type``."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, type)

    def __subclasscheck__(cls, subclass: Any) -> bool:
        return isinstance(subclass, type) and issubclass(subclass, type)


def make_safe_type(registry: TrustRegistry) -> type:
    """The sandbox's ``type``: ``type(x)`` works, ``type(name, bases, dict)`` is refused."""

    class SafeType(type, metaclass=_TypeMeta):
        """type(object) -> the object's type. (Creating classes: use a class statement.)"""

        def __new__(mcs, *args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and not kwargs:
                (obj,) = args
                if registry.is_sealed(obj):
                    raise AccessDenied(
                        f"type() of the bound {type(obj).__name__} object is not available",
                        "use its methods (see %apis)",
                    )
                return type(obj)
            raise ClassDenied(
                "type(name, bases, namespace) cannot create classes in the sandbox",
                "use a class statement",
            )

    SafeType.__name__ = SafeType.__qualname__ = "type"
    SafeType.__module__ = "builtins"
    return SafeType


def make_exit_guard(unswallowable: tuple[type[BaseException], ...]) -> Callable[[Any], Any]:
    """Decorator for ``__exit__`` methods a cell defines: they may not swallow an interrupt."""

    def guard_exit(method: Any) -> Any:
        """Wrap an ``__exit__`` method so an interrupt always propagates."""

        def __exit__(self: Any, exc_type: Any, exc: Any, tb: Any) -> Any:
            result = method(self, exc_type, exc, tb)
            if exc_type is not None and issubclass(exc_type, unswallowable):
                return False
            return result

        __exit__.__doc__ = getattr(method, "__doc__", None)
        return __exit__

    guard_exit.__name__ = GUARD_EXIT
    return guard_exit


def make_reraise_interrupt(
    unswallowable: tuple[type[BaseException], ...],
) -> Callable[[], None]:
    """``_reraise_interrupt_()``: first statement of every ``except`` block in a cell.

    Re-raises the exception being handled if it is an interrupt (the cell timeout arrives as
    ``KeyboardInterrupt``), so ``except:`` / ``except BaseException:`` loops cannot swallow it.
    """
    import sys

    def reraise_interrupt() -> None:
        """Re-raise the exception being handled if it is an interrupt."""
        if isinstance(sys.exc_info()[1], unswallowable):
            raise

    return reraise_interrupt
