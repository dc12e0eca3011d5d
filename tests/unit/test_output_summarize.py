"""Structure-aware summaries of large values, and the IPython text/plain formatter glue."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import OrderedDict, deque
from typing import Any

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from athena_kernel.output.formatter import install_summary_formatter
from athena_kernel.output.reprs import brief_repr, repr_exceeds
from athena_kernel.output.summaries import summarize


class FakeDtypes:
    """Like a pandas Series of dtypes: ``items()`` yields (column, dtype)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> Any:
        return iter(self._pairs)


class FakeFrame:
    """A small stand-in with pandas' DataFrame surface: shape, columns, dtypes, head, tail,
    and a table-like repr that grows with the number of rows (as pandas' does)."""

    def __init__(self, columns: dict[str, list[Any]], dtypes: dict[str, str]) -> None:
        self._data = columns
        self._dtypes = dtypes
        self.columns = list(columns)
        self.head_calls: list[int] = []

    @property
    def shape(self) -> tuple[int, int]:
        return (len(next(iter(self._data.values()), [])), len(self._data))

    @property
    def dtypes(self) -> FakeDtypes:
        return FakeDtypes([(c, self._dtypes[c]) for c in self.columns])

    def _slice(self, rows: slice) -> FakeFrame:
        return FakeFrame({c: v[rows] for c, v in self._data.items()}, self._dtypes)

    def head(self, n: int = 5) -> FakeFrame:
        self.head_calls.append(n)
        return self._slice(slice(0, n))

    def tail(self, n: int = 5) -> FakeFrame:
        return self._slice(slice(max(self.shape[0] - n, 0), None))

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        header = "     " + "  ".join(f"{c:>8}" for c in self.columns)
        rows = [
            f"{i:<5}" + "  ".join(f"{self._data[c][i]!s:>8}" for c in self.columns)
            for i in range(self.shape[0])
        ]
        return "\n".join([header, *rows])


class FakeSeries:
    """pandas Series surface: 1-D shape, dtype, name, head, tail."""

    def __init__(self, values: list[float], name: str) -> None:
        self._values = values
        self.name = name
        self.dtype = "float64"

    @property
    def shape(self) -> tuple[int]:
        return (len(self._values),)

    def head(self, n: int = 5) -> FakeSeries:
        return FakeSeries(self._values[:n], self.name)

    def tail(self, n: int = 5) -> FakeSeries:
        return FakeSeries(self._values[-n:], self.name)

    def __repr__(self) -> str:
        rows = [f"{i}    {v}" for i, v in enumerate(self._values)]
        return "\n".join([*rows, f"Name: {self.name}, dtype: {self.dtype}"])


class BadRepr:
    def __repr__(self) -> str:
        raise ValueError("cannot show this")


class HugeRepr:
    def __repr__(self) -> str:
        return "<" + "H" * 1_000_000 + ">"


# ------------------------------------------------------------------ containers
def test_huge_list_summary_is_bounded_and_informative() -> None:
    values = list(range(5_000_000))
    t0 = time.perf_counter()
    text = summarize(values, 600)
    assert time.perf_counter() - t0 < 5  # bounded work: never a full repr of 5M items
    assert len(text) <= 600
    header, body = text.split("\n", 1)
    assert header.startswith("list: 5,000,000 items; element types: int")
    assert body.startswith("[0, 1, 2, ")
    assert body.endswith(", 4999998, 4999999]")
    assert "more…" in body


def test_list_of_records_is_shown_one_per_line_with_indices() -> None:
    rows = [{"id": i, "name": f"user{i}", "tags": ["a", "b"]} for i in range(1000)]
    text = summarize(rows, 800)
    assert len(text) <= 800
    lines = text.splitlines()
    assert lines[0].startswith("list: 1,000 items; element types: dict ×1,000")
    assert lines[1] == "[0] {'id': 0, 'name': 'user0', 'tags': ['a', 'b']}"
    assert lines[-1] == "[999] {'id': 999, 'name': 'user999', 'tags': ['a', 'b']}"
    assert any(line.startswith("… ") and "more items (indices" in line for line in lines)


def test_mixed_types_are_counted() -> None:
    values: list[Any] = [1, 2, "a", None, 3.5] * 1000
    header = summarize(values, 400).splitlines()[0]
    assert "int ×2,000" in header and "str ×1,000" in header
    assert "NoneType ×1,000" in header and "float ×1,000" in header


def test_dict_summary_shows_key_and_value_types_and_both_ends() -> None:
    data = {f"k{i}": [i] * 3 for i in range(100_000)}
    text = summarize(data, 500)
    assert len(text) <= 500
    assert text.startswith("dict: 100,000 keys; key types: str ×100,000; value types: list")
    assert "'k0': [0, 0, 0]" in text and "'k99999': [99999, 99999, 99999]" in text


@pytest.mark.parametrize(
    ("value", "start"),
    [
        (set(range(50_000)), "set: 50,000 items"),
        (frozenset(range(50_000)), "frozenset: 50,000 items"),
        (deque(range(50_000)), "deque: 50,000 items"),
        (tuple(range(50_000)), "tuple: 50,000 items"),
        (OrderedDict((i, i) for i in range(50_000)), "OrderedDict: 50,000 keys"),
    ],
)
def test_other_containers(value: Any, start: str) -> None:
    text = summarize(value, 300)
    assert text.startswith(start)
    assert len(text) <= 300


def test_deep_nesting_is_depth_limited() -> None:
    nested: list[Any] = []
    current = nested
    for i in range(200):
        child: list[Any] = [i]
        current.append(child)
        current = child
    text = summarize(nested, 300)
    assert "nesting depth" in text.splitlines()[0]
    assert "…2 items]" in text
    assert len(text) <= 300


def test_recursive_structures_do_not_loop() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    assert brief_repr(loop, 100) == "[1, [...]]"
    big = list(range(10_000))
    big.append(big)
    assert len(summarize(big, 300)) <= 300


# ------------------------------------------------------------------ scalars and buffers
def test_long_string_shows_size_head_and_tail() -> None:
    text = "".join(f"line {i}\n" for i in range(100_000))
    out = summarize(text, 400)
    assert len(out) <= 400
    lines = out.splitlines()
    assert lines[0] == f"str: {len(text):,} chars, 100,000 lines"
    assert lines[1].startswith("'line 0\\nline 1\\n")
    assert "chars omitted" in lines[2]
    assert lines[3].endswith("line 99999\\n'")


def test_bytes_show_size_type_and_preview() -> None:
    png_head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x02"
    out = summarize(png_head + b"\x00" * 100_000, 300)
    assert out.splitlines()[0] == f"bytes: {len(png_head) + 100_000:,} bytes (PNG image 640×480)"
    assert "bytes omitted" in out
    assert len(out) <= 300
    assert summarize(bytearray(b"ab" * 10_000), 200).startswith("bytearray: 20,000 bytes")


def test_huge_int_does_not_hit_the_digit_limit() -> None:
    out = summarize(10**20_000, 200)
    assert out.startswith("int: about 20,001 digits")


# ------------------------------------------------------------------ arrays and frames
def test_numpy_array_summary() -> None:
    arr = np.arange(1_000_000, dtype=np.float64).reshape(1000, 1000)
    out = summarize(arr, 500)
    assert len(out) <= 500
    header = out.splitlines()[0]
    assert header.startswith("ndarray: shape (1000, 1000), dtype float64, 7.6 MiB")
    assert "min 0" in header and "max 999999" in header
    assert "..." in out  # numpy's own elision


def test_summarize_does_not_import_numpy_or_ipython() -> None:
    """The package runs in the sandboxed worker too: no numpy/IPython import of its own."""
    code = (
        "import sys; from athena_kernel.output import OutputFilter, summarize;"
        "summarize(list(range(10**5)), 300);"
        "print('numpy' in sys.modules, 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_frame_like_summary_shows_shape_columns_and_rows() -> None:
    n = 100_000
    frame = FakeFrame(
        {
            "id": list(range(n)),
            "score": [i / 7 for i in range(n)],
            "name": [f"n{i}" for i in range(n)],
        },
        {"id": "int64", "score": "float64", "name": "object"},
    )
    out = summarize(frame, 800)
    assert len(out) <= 800
    lines = out.splitlines()
    assert lines[0] == "FakeFrame: 100,000 rows × 3 columns"
    assert lines[1] == "columns: 'id' int64, 'score' float64, 'name' object"
    assert "first 5 rows:" in out and "last 5 rows:" in out
    assert "99999" in out
    assert max(frame.head_calls) <= 5  # never asked for more rows than it shows


def test_wide_frame_lists_columns_within_budget() -> None:
    cols = {f"column_{i}": [1, 2, 3] for i in range(300)}
    frame = FakeFrame(cols, dict.fromkeys(cols, "int64"))
    out = summarize(frame, 600)
    assert len(out) <= 600
    assert "…+" in out.splitlines()[1] and "more" in out.splitlines()[1]


def test_series_like_summary() -> None:
    out = summarize(FakeSeries([float(i) for i in range(10_000)], "price"), 400)
    assert out.startswith("FakeSeries 'price': 10,000 values, dtype float64")
    assert "first 5 rows:" in out and "9999.0" in out


# ------------------------------------------------------------------ hostile objects
def test_repr_that_raises_is_survived() -> None:
    out = summarize(BadRepr(), 200)
    assert "BadRepr" in out and "repr raised ValueError: cannot show this" in out
    assert "repr raised ValueError" in summarize([BadRepr()] * 1000, 400)


def test_huge_repr_is_cut_with_head_and_tail() -> None:
    out = summarize(HugeRepr(), 300)
    assert out.startswith("HugeRepr object; its repr is 1,000,002 chars")
    assert "chars omitted" in out
    assert out.endswith("H>")
    assert len(out) <= 300


def test_repr_exceeds_is_a_lower_bound() -> None:
    assert repr_exceeds(list(range(10_000)), 2000)
    assert repr_exceeds("x" * 3000, 2000)
    assert repr_exceeds({i: "v" * 10 for i in range(500)}, 2000)
    assert not repr_exceeds(list(range(100)), 2000)
    assert not repr_exceeds(HugeRepr(), 2000)  # unknown objects: not certain


# ------------------------------------------------------------------ IPython formatter glue
@pytest.fixture(scope="module")
def shell() -> Any:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # nothing written to disk
    return InteractiveShell.instance(config=config)


def _plain(shell: Any, obj: Any) -> str:
    return shell.display_formatter.format(obj)[0]["text/plain"]


def test_formatter_keeps_small_values_byte_identical(shell: Any) -> None:
    values = [list(range(30)), {"a": [1, 2, 3]}, "text", 3.25, FakeFrame({"a": [1]}, {"a": "i8"})]
    before = [_plain(shell, v) for v in values]
    uninstall = install_summary_formatter(shell, lambda: 2000)
    try:
        assert [_plain(shell, v) for v in values] == before
    finally:
        uninstall()


def test_formatter_summarizes_large_values_and_survives_bad_reprs(shell: Any) -> None:
    summaries: list[int] = []
    uninstall = install_summary_formatter(shell, lambda: 500, lambda: summaries.append(1))
    try:
        assert _plain(shell, list(range(5_000_000))).startswith("list: 5,000,000 items")
        assert len(summaries) == 1
        assert _plain(shell, [1, 2]) == "[1, 2]"
        assert len(summaries) == 1
        assert _plain(shell, "y" * 10_000).startswith("str: 10,000 chars")
        assert _plain(shell, HugeRepr()).startswith("HugeRepr object; its repr is")
        assert "repr raised ValueError" in _plain(shell, BadRepr())
        assert len(_plain(shell, list(range(400)))) <= 500  # pretty output over budget
    finally:
        uninstall()
    assert _plain(shell, list(range(400))).startswith("[0,\n 1,\n")


def test_formatter_keeps_precision_magic_and_budget_switch(shell: Any) -> None:
    budget = {"value": 100}
    uninstall = install_summary_formatter(shell, lambda: budget["value"])
    try:
        shell.run_line_magic("precision", "3")
        assert _plain(shell, 3.14159) == "3.142"
        assert _plain(shell, "z" * 300).startswith("str: 300 chars")
        budget["value"] = 0  # off
        assert _plain(shell, "z" * 300) == repr("z" * 300)
    finally:
        shell.run_line_magic("precision", "")
        uninstall()


def test_install_rejects_a_bad_budget(shell: Any) -> None:
    with pytest.raises(TypeError, match="budget must be an int"):
        install_summary_formatter(shell, "2000")  # type: ignore[arg-type]
