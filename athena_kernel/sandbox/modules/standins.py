"""Stand-in classes: a curated module's class whose constructor checks its arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def guarded_class(
    real: type,
    *,
    before: Callable[[tuple[Any, ...], dict[str, Any]], None] | None = None,
    after: Callable[[Any], Any] | None = None,
) -> type:
    """A stand-in for class ``real`` whose constructor checks its arguments and result.

    ``isinstance(x, Stand_in)`` answers for ``real``, instances are real instances, and the
    stand-in can be subclassed (subclasses are checked too).
    """
    holder: dict[str, type] = {}

    class GuardedMeta(type(real)):  # type: ignore[misc]
        # Answer for ``real`` by MRO, never through ``real``'s own (ABC) machinery: ABCMeta asks
        # every subclass of ``real`` — this stand-in among them — and would recurse forever.
        def __instancecheck__(cls, instance: Any) -> bool:
            if cls is holder["cls"]:
                return real in type(instance).__mro__
            return cls in type(instance).__mro__

        def __subclasscheck__(cls, subclass: Any) -> bool:
            if not isinstance(subclass, type):
                raise TypeError("issubclass() arg 1 must be a class")
            if cls is holder["cls"]:
                return real in subclass.__mro__
            return cls in subclass.__mro__

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            if before is not None:
                before(args, kwargs)
            if cls is holder["cls"]:
                result = real(*args, **kwargs)
            else:
                result = super().__call__(*args, **kwargs)
            return after(result) if after is not None else result

    namespace = {
        "__module__": real.__module__,
        "__qualname__": real.__qualname__,
        "__doc__": real.__doc__,
        "__slots__": (),
    }
    stand_in = GuardedMeta(real.__name__, (real,), namespace)
    holder["cls"] = stand_in
    return stand_in
