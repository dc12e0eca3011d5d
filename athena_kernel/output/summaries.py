"""Structure-aware text summaries of large Python values, within a character budget.

Instead of cutting a huge repr blindly, :func:`summarize` says what the value *is*: a list's
length, element types and first/last items; a dict's key and value types; a data frame's shape,
columns and head/tail rows; an array's shape, dtype and range; a long string's size, head and
tail. Work is bounded by the budget, not by the value: a 5,000,000-element list is never
repr'd in full, and an object whose ``__repr__`` raises or is huge still gets a summary.

Pure Python with no IPython or numpy import (numpy is used only when the value already is a
numpy array), so it runs the same inside the kernel and inside the sandboxed worker process.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .binary import image_dimensions
from .cuts import cut_point
from .reprs import (
    MAX_DEPTH,
    BriefRepr,
    brackets,
    count_noun,
    empty_repr,
    exc_line,
    int_digits,
    is_frame_like,
    is_numpy_array,
    is_plain_container,
    is_series_like,
    safe_repr,
    type_name,
)
from .tabular import MIN_BUDGET, cut_text, summarize_array, summarize_frame, summarize_series

#: Element types are counted exactly up to this many items, sampled beyond.
TYPE_COUNT_LIMIT = 200_000


# ------------------------------------------------------------------------------ type counts
def _type_counts(values: Iterable[Any], n: int, sample_from: Any = None) -> str:
    sampled = n > TYPE_COUNT_LIMIT
    if sampled:
        if isinstance(sample_from, (list, tuple)):
            step = max(1, n // TYPE_COUNT_LIMIT)
            values = sample_from[::step]
        else:
            values = islice(values, TYPE_COUNT_LIMIT)
    counts = Counter(map(type, values))
    total = sum(counts.values()) or 1
    parts = []
    for t, c in counts.most_common(5):
        name = t.__name__
        parts.append(f"{name} ~{100 * c / total:.0f}%" if sampled else f"{name} ×{c:,}")
    if len(counts) > 5:
        parts.append(f"+{len(counts) - 5} more types")
    text = ", ".join(parts)
    return f"{text} (sampled {total:,})" if sampled else text


def _nesting_depth(obj: Any, node_budget: int = 2000) -> tuple[int, bool]:
    """Deepest container nesting seen while visiting at most ``node_budget`` containers."""
    deepest = 0
    complete = True
    stack: list[tuple[Any, int]] = [(obj, 1)]
    seen: set[int] = set()
    while stack:
        item, depth = stack.pop()
        if not is_plain_container(item) or id(item) in seen:
            continue
        seen.add(id(item))
        deepest = max(deepest, depth)
        if len(seen) > node_budget:
            complete = False
            break
        children: Iterable[Any] = item.values() if isinstance(item, dict) else item
        for child in islice(children, 20):
            if is_plain_container(child):
                stack.append((child, depth + 1))
        if len(item) > 20:
            complete = False
    return deepest, complete


# ------------------------------------------------------------------------------ summaries
def summarize(obj: Any, max_chars: int = 2000, *, rendered: str | None = None) -> str:
    """A compact text/plain summary of ``obj`` of at most ``max_chars`` characters.

    ``rendered`` is the value's full text if the caller already has it (IPython's pretty repr);
    it is used for objects without a structure-aware summary instead of calling ``repr`` again.
    """
    max_chars = max(int(max_chars), 1)
    try:
        text = _summarize(obj, max_chars, rendered)
    except Exception as exc:  # a summary must never fail; fall back to a one-line description
        text = f"<{type_name(obj)} object; summary failed: {exc_line(exc)}>"
    if len(text) > max_chars:
        text = text[: max(max_chars - 1, 0)] + "…"
    return text


def _summarize(obj: Any, max_chars: int, rendered: str | None) -> str:
    t = type(obj)
    if isinstance(obj, str) and t.__repr__ is str.__repr__:
        return _summarize_str(obj, max_chars)
    if isinstance(obj, (bytes, bytearray, memoryview)) and t.__repr__ in (
        bytes.__repr__,
        bytearray.__repr__,
        memoryview.__repr__,
    ):
        return _summarize_bytes(obj, max_chars)
    if t is int:
        return _summarize_int(obj, max_chars)
    if is_plain_container(obj):
        return _summarize_container(obj, max_chars)
    if is_numpy_array(obj):
        return summarize_array(obj, max_chars)
    if is_frame_like(obj):
        return summarize_frame(obj, max_chars)
    if is_series_like(obj):
        return summarize_series(obj, max_chars)
    return _summarize_text_repr(obj, max_chars, rendered)


def _fit_sides(make: Callable[[int], tuple[str, str, int]], budget: int) -> tuple[str, str, int]:
    """The rendering ``make(side)`` with the largest ``side`` that fits ``budget`` (bisection:
    about a dozen renderings of at most ``budget`` characters each)."""
    best = make(0)
    lo, hi = 0, max(budget, 1)
    for _ in range(14):
        if hi - lo <= max(budget // 50, 1):
            break
        mid = (lo + hi) // 2
        candidate = make(mid)
        if len(candidate[0]) + len(candidate[1]) <= budget:
            best, lo = candidate, mid
        else:
            hi = mid
    return best


def _summarize_str(s: str, max_chars: int) -> str:
    n = len(s)
    lines = s.count("\n") + (0 if s.endswith("\n") or not s else 1)
    header = f"str: {count_noun(n, 'char')}, {count_noun(lines, 'line')}"
    budget = max_chars - len(header) - 1
    if budget < 20:
        return header
    marker_room = len(f"… {n:,} chars omitted …") + 2

    def make(side: int) -> tuple[str, str, int]:
        if side <= 0:
            return "", "", n
        head_end = cut_point(s, min(n, side * 6 // 10))
        tail_start = max(cut_point(s, n - side * 4 // 10, forward=True), head_end)
        return repr(s[:head_end]), repr(s[tail_start:]), tail_start - head_end

    head, tail, omitted = _fit_sides(make, budget - marker_room)
    if not head and not tail:
        return header
    return f"{header}\n{head}\n… {omitted:,} chars omitted …\n{tail}"


def _sniff_bytes(data: Any) -> str:
    try:
        head = bytes(data[: 64 * 1024])
    except Exception:
        return ""
    found = image_dimensions(head)
    if found:
        fmt, w, h = found
        return f" ({fmt} image {w}×{h})"
    if head.startswith(b"%PDF-"):
        return " (PDF document)"
    if head.startswith(b"PK\x03\x04"):
        return " (zip archive)"
    if head.startswith(b"\x1f\x8b"):
        return " (gzip data)"
    return ""


def _summarize_bytes(data: Any, max_chars: int) -> str:
    n = len(data) if not isinstance(data, memoryview) else data.nbytes
    header = f"{type(data).__name__}: {count_noun(n, 'byte')}{_sniff_bytes(data)}"
    budget = max_chars - len(header) - 1
    if budget < 20:
        return header
    raw = bytes(data) if isinstance(data, memoryview) else data
    marker_room = len(f"… {n:,} bytes omitted …") + 2

    def make(side: int) -> tuple[str, str, int]:
        if side <= 0:
            return "", "", n
        h = side // 4  # escapes like \x89 take 4 chars per byte
        head, tail = raw[:h], raw[max(h, n - h) :]
        return repr(bytes(head)), repr(bytes(tail)), n - len(head) - len(tail)

    head, tail, omitted = _fit_sides(make, budget - marker_room)
    if not head:
        return header
    return f"{header}\n{head}\n… {omitted:,} bytes omitted …\n{tail}"


def _summarize_int(value: int, max_chars: int) -> str:
    digits = int_digits(value)
    header = f"int: about {digits:,} digits (bit length {value.bit_length():,})"
    if digits <= 4000:
        text = repr(value)
        if len(header) + len(text) + 1 <= max_chars:
            return text
        side = max((max_chars - len(header) - 20) // 2, 1)
        return f"{header}\n{text[:side]}…{text[-side:]}"
    return header


def _summarize_container(obj: Any, max_chars: int) -> str:
    n = len(obj)
    is_dict = isinstance(obj, dict)
    noun = "key" if is_dict else "item"
    header = f"{type_name(obj)}: {count_noun(n, noun)}"
    if n:
        if is_dict:
            header += f"; key types: {_type_counts(obj.keys(), n)}"
            header += f"; value types: {_type_counts(obj.values(), n)}"
        else:
            header += f"; element types: {_type_counts(obj, n, obj)}"
        depth, complete = _nesting_depth(obj)
        if depth >= 3:
            header += f"; nesting depth {'' if complete else '≥ '}{depth}"
    budget = max_chars - len(header) - 1
    if n == 0 or budget < MIN_BUDGET:
        return header if n else f"{header}: {empty_repr(obj)}"
    body = _items_body(obj, n, budget)
    return f"{header}\n{body}" if body else header


def _head_tail_iters(obj: Any) -> tuple[Iterator[Any], Iterator[Any] | None]:
    if isinstance(obj, dict):
        return iter(obj.items()), reversed(obj.items())
    if isinstance(obj, (list, tuple, deque)):
        return iter(obj), reversed(obj)
    return iter(obj), None  # sets: iteration order only; no meaningful "last" items


def _items_body(obj: Any, n: int, budget: int) -> str:
    brief = BriefRepr(MAX_DEPTH - 1)
    is_dict = isinstance(obj, dict)
    indexed = isinstance(obj, (list, tuple, deque))
    head_iter, tail_iter = _head_tail_iters(obj)

    def show(item: Any, limit: int) -> str:
        if is_dict:
            k, v = item
            ks = brief.render(k, max(limit // 3, 8), 1)
            return f"{ks}: {brief.render(v, max(limit - len(ks) - 2, 8), 1)}"
        return brief.render(item, limit, 1)

    # choose a layout from the first few items: inline for short scalars, one per line otherwise
    probe = [show(x, 60) for x in islice(_head_tail_iters(obj)[0], 5)]
    inline = all(len(p) <= 24 and "\n" not in p for p in probe)
    per_item = max(24, budget // 6) if inline else max(60, budget // 4)
    omitted_room = len(f"… {n:,} more items (indices {n:,}–{n:,}) …") + 2
    room = budget - omitted_room
    heads: list[str] = []
    tails: list[str] = []
    used = 0
    take_head = True
    head_done = tail_done = False
    while len(heads) + len(tails) < n and not (head_done and tail_done):
        side_head = take_head or tail_iter is None or tail_done
        if side_head and head_done:
            break
        item = next(head_iter if side_head else tail_iter, None)  # type: ignore[arg-type]
        index = len(heads) if side_head else n - 1 - len(tails)
        text = show(item, per_item)
        line = text if inline else (f"[{index}] {text}" if indexed else text)
        cost = len(line) + (2 if inline else 1)
        if used + cost > room:
            if side_head:
                head_done = True
            else:
                tail_done = True
            if tail_iter is None:
                break
        else:
            (heads if side_head else tails).append(line)
            used += cost
        take_head = not take_head if tail_iter is not None else True
    tails.reverse()
    shown = len(heads) + len(tails)
    rest = n - shown
    if inline:
        open_, close = brackets(obj)
        parts = heads + ([f"…{rest:,} more…"] if rest else []) + tails
        return open_ + ", ".join(parts) + close
    lines = list(heads)
    if rest:
        noun = "key" if is_dict else "item"
        where = f" (indices {len(heads):,}–{n - len(tails) - 1:,})" if indexed else ""
        lines.append(f"… {count_noun(rest, 'more ' + noun)}{where} …")
    lines += tails
    return "\n".join(lines)


def _summarize_text_repr(
    obj: Any, max_chars: int, rendered: str | None, *, header: str | None = None
) -> str:
    text = rendered if rendered is not None else safe_repr(obj)
    if header is None and len(text) <= max_chars:
        return text
    header = header or f"{type_name(obj)} object; its repr is {count_noun(len(text), 'char')}"
    budget = max_chars - len(header) - 1
    if budget < MIN_BUDGET:
        return header
    return f"{header}\n{cut_text(text, budget)}"
