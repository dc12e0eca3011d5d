"""Traceback compaction on real IPython tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from athena_kernel.output.tracebacks import (
    bound_evalue,
    compact_traceback,
    is_internal_frame,
    plain_traceback_text,
    shorten_paths,
)


@pytest.fixture(scope="module")
def shell() -> InteractiveShell:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    return InteractiveShell.instance(config=config)


@pytest.fixture
def run(shell: InteractiveShell) -> Iterator[Any]:
    """Run a cell and return the traceback list IPython would send in the error message."""
    captured: dict[str, list[str]] = {}

    def capture(etype: Any, evalue: Any, stb: list[str]) -> None:
        captured["stb"] = stb

    original = shell._showtraceback
    shell._showtraceback = capture  # type: ignore[method-assign]

    def run_cell(code: str, mode: str = "Context") -> list[str]:
        shell.run_line_magic("xmode", mode)
        captured.clear()
        shell.run_cell(code)
        return captured["stb"]

    try:
        yield run_cell
    finally:
        shell._showtraceback = original  # type: ignore[method-assign]
        shell.run_line_magic("xmode", "Context")


def test_context_traceback_is_compacted(run: Any) -> None:
    stb = run("import json\ndef load(text):\n    return json.loads(text)\nload('{bad')\n")
    assert any("\x1b[" in line for line in stb)  # the real thing is coloured
    out = compact_traceback(stb)
    text = "\n".join(out)
    assert "\x1b" not in text
    assert out[0] == "Traceback (most recent call last):"
    assert "----" not in out[0]
    assert any(line.startswith("Cell In[") and "line 4" in line for line in out)
    assert "return json.loads(text)" in text
    # library frames: shortened path, the failing line only
    assert "python3.11/json/decoder.py" in text or "json/decoder.py" in text
    assert "/root/" not in text and "~/" not in text
    assert out[-1].startswith("JSONDecodeError: Expecting property name")
    assert len(text) < len(plain_traceback_text(stb))


def test_ipython_internal_frames_are_dropped(run: Any) -> None:
    stb = run("def f():\n    return 1 / 0\nget_ipython().ev('f()')\n", mode="Plain")
    raw = plain_traceback_text(stb)
    assert "IPython/core/interactiveshell.py" in raw
    out = compact_traceback(stb)
    text = "\n".join(out)
    assert "interactiveshell.py" not in text
    assert "return 1 / 0" in text
    assert out[-1] == "ZeroDivisionError: division by zero"


def test_athena_kernel_frames_are_dropped(run: Any) -> None:
    stb = run(
        "from athena_kernel.output.query import parse_output_args\nparse_output_args('--bogus 1')\n"
    )
    assert "athena_kernel/output/query.py" in plain_traceback_text(stb)
    out = compact_traceback(stb)
    assert not any("athena_kernel" in line for line in out[:-1])
    assert any("parse_output_args('--bogus 1')" in line for line in out)
    assert out[-1].startswith("ValueError: unknown option '--bogus'")


def test_chained_exceptions_keep_both_errors(run: Any) -> None:
    stb = run(
        "def f():\n"
        "    try:\n"
        "        {}['k']\n"
        "    except KeyError as e:\n"
        "        raise RuntimeError('lookup failed') from e\n"
        "f()\n"
    )
    text = "\n".join(compact_traceback(stb))
    assert "KeyError: 'k'" in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.endswith("RuntimeError: lookup failed")


def test_syntax_error_keeps_caret_line(run: Any) -> None:
    out = compact_traceback(run("x = (1,\n"))
    text = "\n".join(out)
    assert "x = (1," in text
    assert "^" in text
    assert text.endswith("SyntaxError: incomplete input")


def test_long_traceback_is_bounded_and_keeps_the_ends(run: Any) -> None:
    # sixty distinct functions (IPython itself folds repeats of one frame)
    chain = "".join(f"def f{i}():\n    return f{i + 1}()\n" for i in range(60))
    stb = run(chain + "def f60():\n    raise ValueError('bottom reached')\nf0()\n")
    full = compact_traceback(stb, max_chars=10**9)
    assert len("\n".join(full)) > 2000
    out = compact_traceback(stb, max_chars=800)
    text = "\n".join(out)
    assert len(text) <= 800
    assert out[-1] == "ValueError: bottom reached"
    assert "--> 123 f0()" in text  # the outermost user frame: which cell line started it
    assert "raise ValueError('bottom reached')" in text  # the innermost frame
    assert any("traceback entries omitted" in line for line in out)


def test_huge_exception_message_keeps_head_and_tail() -> None:
    message = "KeyError: " + "x" * 50_000 + " END"
    out = compact_traceback(["Traceback (most recent call last):", message], max_chars=1000)
    assert out[-1].startswith("KeyError: xxx")
    assert out[-1].endswith(" END")
    assert "chars of the message omitted" in out[-1]
    assert len(bound_evalue("y" * 10_000, 500)) <= 500


def test_standard_python_frames_are_recognised() -> None:
    assert is_internal_frame('  File "/x/site-packages/ipykernel/kernelbase.py", line 5, in run')
    assert not is_internal_frame('  File "/x/site-packages/numpy/core/fromnumeric.py", line 5')
    assert is_internal_frame("File ~/.venv/lib/python3.11/site-packages/IPython/core/x.py:12, in f")
    assert shorten_paths("File /home/alice/.venv/lib/python3.11/site-packages/numpy/a.py:1") == (
        "File site-packages/numpy/a.py:1"
    )
