"""Keep long C-level loops interruptible.

A signal (the cell timeout) is only acted on between Python bytecodes. ``sum(range(10**14))``,
``max(itertools.count())`` or ``any(iter(int, 1))`` run entirely in C and would never see it. The
sandbox hands out *sources* that step through Python code: ``range`` beyond
:data:`NATIVE_RANGE_LIMIT` items becomes a :class:`LargeRange` whose iterator is a generator, the
unbounded ``itertools`` helpers and ``iter(callable, sentinel)`` become generators too. A C
consumer then resumes a Python frame for every item, and the interrupt gets through.
"""

from __future__ import annotations

import builtins
import numbers
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: ``range`` objects up to this many items stay native (a C loop over them takes < 0.2 s).
NATIVE_RANGE_LIMIT = 10_000_000

_NUMBER_TYPES = (int, float, complex, numbers.Number)


def interruptible(iterable: Iterable[Any]) -> Iterator[Any]:
    """Iterate ``iterable`` through a Python frame, so a pending signal is seen per item."""
    # not ``yield from``: its resume path (JUMP_BACKWARD_NO_INTERRUPT) skips the signal check
    for item in iterable:  # noqa: UP028
        yield item


class LargeRange:
    """A ``range`` too long for C loops: same behaviour, iterated by a Python generator."""

    __slots__ = ("_range",)

    def __init__(self, native: range) -> None:
        self._range = native

    @property
    def start(self) -> int:
        """First value."""
        return self._range.start

    @property
    def stop(self) -> int:
        """End (exclusive)."""
        return self._range.stop

    @property
    def step(self) -> int:
        """Step."""
        return self._range.step

    def __iter__(self) -> Iterator[int]:
        return interruptible(self._range)

    def __reversed__(self) -> Iterator[int]:
        return interruptible(reversed(self._range))

    def __len__(self) -> int:
        return len(self._range)

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __getitem__(self, index: Any) -> Any:
        item = self._range[index]
        return _wrap_range(item) if isinstance(item, range) else item

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LargeRange):
            return self._range == other._range
        return self._range == other

    def __hash__(self) -> int:
        return hash(self._range)

    def __bool__(self) -> bool:
        return bool(self._range)

    def __repr__(self) -> str:
        return repr(self._range)

    def count(self, value: Any) -> int:
        """Occurrences of ``value`` (0 or 1)."""
        return self._range.count(value)

    def index(self, value: Any) -> int:
        """Position of ``value``; ValueError if absent."""
        return self._range.index(value)


def _range_length(native: range) -> int:
    try:
        return len(native)
    except OverflowError:
        return NATIVE_RANGE_LIMIT + 1


def _wrap_range(native: range) -> range | LargeRange:
    return native if _range_length(native) <= NATIVE_RANGE_LIMIT else LargeRange(native)


def safe_range(*args: Any) -> range | LargeRange:
    """``range(...)``; very long ranges iterate through Python so the cell stays interruptible."""
    return _wrap_range(range(*args))


def safe_iter(obj: Any, *sentinel: Any) -> Iterator[Any]:
    """``iter(obj)``; ``iter(callable, sentinel)`` steps through Python (it can be endless)."""
    if not sentinel:
        return iter(obj)
    if len(sentinel) > 1:
        raise TypeError(f"iter expected at most 2 arguments, got {1 + len(sentinel)}")
    return interruptible(iter(obj, sentinel[0]))


def make_safe_sum(add: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    """``sum``: numbers in C; anything else (lists, tuples …) in Python, so it can be stopped."""
    native_sum = builtins.sum

    def safe_sum(iterable: Iterable[Any], /, start: Any = 0) -> Any:
        """sum(iterable, /, start=0): the total of ``start`` and the items of ``iterable``."""
        if isinstance(start, _NUMBER_TYPES):
            return native_sum(iterable, start)
        if isinstance(start, (str, bytes, bytearray)):
            raise TypeError(f"sum() can't sum {type(start).__name__} [use ''.join(seq) instead]")
        total = start
        for item in iterable:
            total = add(total, item)
        return total

    return safe_sum
