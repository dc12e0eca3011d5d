"""Bounded reprs: repr-like text whose cost is bounded by a character limit, not by the value.

Shared by the summaries: :func:`brief_repr` (containers show as many items as fit, then
``…+N more``), :func:`repr_exceeds` (a cheap lower bound on a repr's length), :func:`safe_repr`
(survives a raising ``__repr__``) and duck-typed detection of arrays and data frames. Pure
Python; numpy and pandas are never imported.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

#: Containers nested deeper than this are shown as ``[…N items]``.
MAX_DEPTH = 4


# ------------------------------------------------------------------------------ helpers
def type_name(obj: Any) -> str:
    """The type's name (qualified for types outside builtins/collections)."""
    t = type(obj)
    return t.__name__ if t.__module__ in ("builtins", "collections") else t.__qualname__


def count_noun(n: int, word: str) -> str:
    """``1 item`` / ``2,000 items``."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def safe_repr(obj: Any) -> str:
    """``repr(obj)``, or a placeholder naming the error if ``__repr__`` raises."""
    try:
        text = repr(obj)
    except Exception as exc:  # any user-defined __repr__ may fail
        return f"<{type_name(obj)} object at {id(obj):#x}; repr raised {exc_line(exc)}>"
    if not isinstance(text, str):  # pragma: no cover - repr() enforces str
        return f"<{type_name(obj)} object at {id(obj):#x}>"
    return text


def exc_line(exc: BaseException) -> str:
    """``ValueError: first line of the message`` (bounded), for "repr raised ..." notes."""
    try:
        message = str(exc)
    except Exception:
        message = ""
    message = message.splitlines()[0][:120] if message else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def int_digits(value: int) -> int:
    """Decimal digits of ``value`` (from its bit length: no str conversion, no digit limit)."""
    bits = abs(value).bit_length()
    return max(1, int(bits * math.log10(2)) + 1)


def is_numpy_array(obj: Any) -> bool:
    """True for numpy arrays (detected without importing numpy)."""
    t = type(obj)
    return t.__module__ == "numpy" and hasattr(obj, "shape") and hasattr(obj, "dtype")


def is_frame_like(obj: Any) -> bool:
    """True for objects that behave like a pandas/polars DataFrame (2-D ``shape``, ``columns``,
    ``dtypes``, ``head`` and ``tail``), detected without importing pandas."""
    try:
        shape = obj.shape
    except Exception:
        return False
    return (
        isinstance(shape, tuple)
        and len(shape) == 2
        and not isinstance(obj, type)
        and all(hasattr(obj, a) for a in ("columns", "dtypes", "head", "tail"))
        and not is_numpy_array(obj)
    )


def is_series_like(obj: Any) -> bool:
    """True for objects that behave like a pandas Series (1-D ``shape``, ``dtype``, ``head``,
    ``tail``), excluding numpy arrays."""
    try:
        shape = obj.shape
    except Exception:
        return False
    return (
        isinstance(shape, tuple)
        and len(shape) == 1
        and not isinstance(obj, type)
        and all(hasattr(obj, a) for a in ("dtype", "head", "tail"))
        and not is_numpy_array(obj)
    )


def array_dims(obj: Any) -> str:
    """``shape (3, 4), dtype float64`` of an array-like."""
    try:
        shape = tuple(int(d) for d in obj.shape)
        return f"shape {shape}, dtype {obj.dtype}"
    except Exception:
        return "array"


# ------------------------------------------------------------------------------ bounded repr
class BriefRepr:
    """repr-like rendering that stops after a character limit (work proportional to it)."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.active: set[int] = set()

    def render(self, obj: Any, limit: int, depth: int = 0) -> str:
        """repr-like text of ``obj`` of at most ``limit`` characters."""
        limit = max(limit, 1)
        t = type(obj)
        if obj is None or t in (bool, float, complex):
            text = repr(obj)
        elif t is int:
            if int_digits(obj) > max(limit, 30):
                text = f"<int with {int_digits(obj):,} digits>"
            else:
                text = repr(obj)
        elif is_plain_text_or_bytes(obj):
            text = repr(obj[: limit + 1])
        elif is_plain_container(obj):
            return self._container(obj, limit, depth)
        elif is_numpy_array(obj):
            text = f"<ndarray {array_dims(obj)}>"
        elif is_frame_like(obj):
            rows, cols = obj.shape
            text = f"<{type_name(obj)} {rows:,} rows × {cols:,} columns>"
        else:
            text = safe_repr(obj)
        return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"

    def _container(self, obj: Any, limit: int, depth: int) -> str:
        open_, close = brackets(obj)
        n = len(obj)
        if n == 0:
            text = empty_repr(obj)
            return text if len(text) <= limit else text[: limit - 1] + "…"
        key = id(obj)
        if key in self.active:
            return {list: "[...]", dict: "{...}"}.get(type(obj), "(...)")
        if depth >= self.max_depth:
            unit = "key" if isinstance(obj, dict) else "item"
            return f"{open_}…{count_noun(n, unit)}{close}"
        self.active.add(key)
        try:
            parts: list[str] = []
            used = len(open_) + len(close)
            reserve = len(f", …+{n:,} more")  # room to say how many items are left out
            items: Iterable[Any] = obj.items() if isinstance(obj, dict) else obj
            shown = 0
            for item in items:
                sep = 2 if parts else 0
                still_more = reserve if shown + 1 < n else 0
                room = limit - used - sep - still_more
                if room < 3:
                    break
                if isinstance(obj, dict):
                    k, v = item
                    ks = self.render(k, max(room // 2, 3), depth + 1)
                    vs = self.render(v, max(room - len(ks) - 2, 3), depth + 1)
                    part = f"{ks}: {vs}"
                else:
                    part = self.render(item, room, depth + 1)
                if len(part) > room:
                    break
                parts.append(part)
                used += len(part) + sep
                shown += 1
            if shown < n:
                parts.append(f"…+{n - shown:,} more")
            if isinstance(obj, tuple) and n == 1 and shown == 1:
                parts[0] += ","
            return open_ + ", ".join(parts) + close
        finally:
            self.active.discard(key)


def is_plain_text_or_bytes(obj: Any) -> bool:
    """str/bytes/bytearray (or subclasses keeping the builtin repr)."""
    t = type(obj)
    return (isinstance(obj, str) and t.__repr__ is str.__repr__) or (
        isinstance(obj, (bytes, bytearray)) and t.__repr__ in (bytes.__repr__, bytearray.__repr__)
    )


def is_plain_container(obj: Any) -> bool:
    """Builtin containers (and subclasses that keep the builtin repr, or a named one)."""
    if isinstance(obj, (list, dict, set, frozenset, deque)):
        return True
    if isinstance(obj, tuple):
        return type(obj).__repr__ is tuple.__repr__
    return False


def brackets(obj: Any) -> tuple[str, str]:
    """Opening and closing text of a container's repr: ``[``/``]``, ``deque([``/``])``, ..."""
    t = type(obj)
    if isinstance(obj, deque):
        return f"{t.__name__}([", "])"
    if isinstance(obj, frozenset):
        return f"{t.__name__}({{", "})"
    base = {list: ("[", "]"), tuple: ("(", ")"), dict: ("{", "}"), set: ("{", "}")}
    for kind, pair in base.items():
        if isinstance(obj, kind):
            if t is kind:
                return pair
            return f"{t.__name__}({pair[0]}", f"{pair[1]})"
    return "(", ")"  # pragma: no cover - only plain containers get here


def empty_repr(obj: Any) -> str:
    """repr of an empty container (``[]``, ``set()``, ``deque([])``)."""
    if type(obj) in (list, tuple, dict):
        return repr(obj)
    open_, close = brackets(obj)
    if isinstance(obj, (set, frozenset)) and type(obj) is set:
        return "set()"
    return open_ + close


def brief_repr(obj: Any, limit: int = 200, *, max_depth: int = MAX_DEPTH) -> str:
    """A repr of ``obj`` of at most ``limit`` characters, built with work bounded by ``limit``.

    Containers show as many items as fit, then ``…+N more``; nesting deeper than ``max_depth``
    shows as ``[…N items]``; huge integers show their digit count; failing reprs name the error.
    """
    return BriefRepr(max_depth).render(obj, limit)


# ------------------------------------------------------------------------------ size estimate
def repr_exceeds(obj: Any, limit: int, *, max_seq_length: int = 1000) -> bool:
    """True when ``obj``'s repr is certainly longer than ``limit`` characters.

    A cheap lower bound for builtin containers, strings, bytes and ints (visits at most about
    ``limit`` nodes); ``max_seq_length`` mirrors IPython's pretty printer, which shows at most
    that many items per container. False means "unknown or short", not "short".
    """
    total = 0
    stack: list[tuple[Any, int]] = [(obj, 0)]
    seen: set[int] = set()
    visited = 0
    while stack:
        item, depth = stack.pop()
        visited += 1
        if visited > limit + 1 or depth > 100:
            break
        t = type(item)
        if t is str or t is bytes or t is bytearray:
            total += len(item) + 2
        elif t is int:
            total += int_digits(item) if item.bit_length() > 64 else len(str(item))
        elif is_plain_container(item):
            if id(item) in seen:
                continue
            seen.add(id(item))
            n = len(item)
            shown = min(n, max_seq_length) if max_seq_length else n
            per_item = 4 if isinstance(item, dict) else 2  # ": " + ", " / ", "
            total += 2 + shown * per_item
            values: Iterator[Any] = iter(item.items()) if isinstance(item, dict) else iter(item)
            for child in islice(values, shown):
                if isinstance(item, dict):
                    stack.append((child[0], depth + 1))
                    stack.append((child[1], depth + 1))
                else:
                    stack.append((child, depth + 1))
                if len(stack) > limit:
                    break
        else:
            total += 1
        if total > limit:
            return True
    return total > limit
