"""Summaries of tabular and array values: numpy arrays, pandas-like frames and series.

Detection is duck-typed (see :mod:`.reprs`); numpy is used only through the array's own module
when the value already is a numpy array, pandas is never imported.
"""

from __future__ import annotations

import sys
from itertools import islice
from typing import Any

from .cuts import head_tail_cut
from .reprs import array_dims, brief_repr, count_noun, exc_line, safe_repr, type_name

#: Array statistics (min/max/mean) are computed up to this many elements.
ARRAY_STATS_LIMIT = 50_000_000
#: Smallest budget a summary is laid out for; smaller budgets get the header only.
MIN_BUDGET = 40


def cut_text(text: str, budget: int) -> str:
    """``text`` shortened to ``budget`` characters around a "… N chars omitted …" line."""
    return head_tail_cut(text, budget, lambda omitted, _s, _e: f"… {omitted:,} chars omitted …")


def summarize_array(arr: Any, max_chars: int) -> str:
    """Shape, dtype, size, min/max/mean and numpy's own elided rendering of an array."""
    np = sys.modules.get("numpy")
    header = f"ndarray: {array_dims(arr)}"
    try:
        header += f", {_format_bytes(int(arr.nbytes))}"
    except Exception:
        pass
    if np is None:  # pragma: no cover - a numpy array implies numpy is imported
        return header
    try:
        size = int(arr.size)
        if 0 < size <= ARRAY_STATS_LIMIT and arr.dtype.kind in "biuf":
            with np.errstate(all="ignore"):
                lo, hi, mean = arr.min(), arr.max(), arr.mean(dtype="float64")
            header += f"; min {_number(lo)}, max {_number(hi)}, mean {_number(mean)}"
            if arr.dtype.kind == "f":
                nans = int(np.isnan(arr).sum())
                if nans:
                    header += f", {nans:,} NaN"
    except Exception:
        pass
    budget = max_chars - len(header) - 1
    if budget < MIN_BUDGET:
        return header
    width = 100
    for edge in (3, 2, 1):
        try:
            text = np.array2string(
                arr, threshold=2 * edge + 1, edgeitems=edge, max_line_width=width, separator=", "
            )
        except Exception as exc:
            return f"{header}\n<array2string failed: {exc_line(exc)}>"
        if len(text) <= budget:
            return f"{header}\n{text}"
    return f"{header}\n{cut_text(text, budget)}"


def _number(value: Any) -> str:
    value = value.item() if hasattr(value, "item") else value
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def _format_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"  # pragma: no cover


def _columns_line(frame: Any, budget: int) -> str:
    try:
        dtypes = frame.dtypes
        pairs = list(islice(dtypes.items(), 200)) if hasattr(dtypes, "items") else None
        if pairs is None:
            pairs = list(zip(islice(iter(frame.columns), 200), islice(iter(dtypes), 200)))
    except Exception as exc:
        return f"columns: <unavailable: {exc_line(exc)}>"
    try:
        total = len(frame.columns)
    except Exception:
        total = len(pairs)
    parts: list[str] = []
    used = len("columns: ")
    for name, dtype in pairs:
        part = f"{brief_repr(name, 40)} {dtype}"
        if used + len(part) + 2 > budget - 20:
            break
        parts.append(part)
        used += len(part) + 2
    rest = total - len(parts)
    return "columns: " + ", ".join(parts) + (f", …+{rest:,} more" if rest > 0 else "")


def _frame_rows(frame: Any, budget: int, rows: int) -> str:
    if rows == 0 or budget < MIN_BUDGET:
        return ""
    for k in (5, 3, 2, 1):
        k = min(k, rows)
        try:
            head = safe_repr(frame.head(k))
            tail = safe_repr(frame.tail(k)) if rows > k else ""
        except Exception as exc:
            return f"<head/tail failed: {exc_line(exc)}>"
        text = f"first {count_noun(k, 'row')}:\n{head}"
        if tail:
            text += f"\nlast {count_noun(k, 'row')}:\n{tail}"
        if len(text) <= budget:
            return text
    half = max(budget // 2 - 20, 10)
    text = f"first row:\n{cut_text(head, half)}"
    if tail:
        text += f"\nlast row:\n{cut_text(tail, half)}"
    return text


def summarize_frame(frame: Any, max_chars: int) -> str:
    """Shape, columns with dtypes, and head/tail rows of a pandas-like data frame."""
    rows, cols = frame.shape
    header = f"{type_name(frame)}: {rows:,} rows × {cols:,} columns"
    budget = max_chars - len(header) - 1
    if budget < MIN_BUDGET:
        return header
    columns = _columns_line(frame, min(budget, max(budget // 3, 120)))
    body = _frame_rows(frame, budget - len(columns) - 1, rows)
    return "\n".join(p for p in (header, columns, body) if p)


def summarize_series(series: Any, max_chars: int) -> str:
    """Name, length, dtype and head/tail values of a pandas-like series."""
    (n,) = series.shape
    name = getattr(series, "name", None)
    named = f" {brief_repr(name, 60)}" if name is not None else ""
    header = f"{type_name(series)}{named}: {count_noun(n, 'value')}, dtype {series.dtype}"
    budget = max_chars - len(header) - 1
    body = _frame_rows(series, budget, n)
    return f"{header}\n{body}" if body else header
