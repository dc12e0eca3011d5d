"""OutputArchive (retention cap, dropped outputs, ranges) and %output argument parsing."""

from __future__ import annotations

import pytest

from athena_kernel.output.archive import OutputArchive, OutputNotAvailable
from athena_kernel.output.query import OutputQuery, parse_output_args, run_query


def test_append_returns_offsets_and_get_slices_like_python() -> None:
    archive = OutputArchive(1000)
    assert archive.append(1, "hello ") == (0, 6)
    assert archive.append(1, "world\n") == (6, 12)
    assert archive.get(1) == "hello world\n"
    assert archive.get(1, 6, 11) == "world"
    assert archive.get(1, -6) == "world\n"
    assert archive.get(None) == "hello world\n"  # latest
    assert archive.length(1) == 12


def test_oldest_outputs_are_dropped_first_with_a_clear_message() -> None:
    archive = OutputArchive(100)
    for n in range(1, 6):
        archive.append(n, str(n) * 30)
    assert archive.retained_chars <= 100
    assert archive.executions() == [3, 4, 5]
    with pytest.raises(
        OutputNotAvailable, match=r"\[1\] is no longer kept.*oldest.*\[3\] to \[5\]"
    ):
        archive.get(1)
    with pytest.raises(OutputNotAvailable, match=r"No output is recorded for execution \[99\]"):
        archive.get(99)
    assert archive.get(5) == "5" * 30


def test_one_execution_larger_than_the_cap_keeps_start_and_end() -> None:
    archive = OutputArchive(1000)
    text = "".join(f"{i:05d}\n" for i in range(1000))  # 6,000 chars
    for i in range(0, len(text), 700):
        archive.append(3, text[i : i + 700])
    assert archive.retained_chars == 1000
    assert archive.length(3) == 6000
    full = archive.get(3)
    assert full.startswith(text[:500])
    assert full.endswith(text[-500:])
    assert "chars 500–5,500 of output [3] were not kept" in full
    assert archive.get(3, 10, 20) == text[10:20]
    assert archive.get(3, 5900) == text[5900:]
    assert archive.get(3, 400, 600).startswith(text[400:500] + "\n[… chars 500–600")


def test_a_new_execution_evicts_a_huge_old_one() -> None:
    archive = OutputArchive(1000)
    archive.append(1, "x" * 5000)
    archive.append(2, "y" * 600)
    assert archive.executions() == [2]
    assert archive.retained_chars == 600


def test_empty_entries_and_limits() -> None:
    archive = OutputArchive(10, max_entries=2)
    for n in (1, 2, 3):
        archive.open(n)
    assert archive.executions() == [2, 3]
    assert archive.get(3) == ""
    with pytest.raises(ValueError, match="max_chars"):
        OutputArchive(-1)
    with pytest.raises(OutputNotAvailable, match="No output has been recorded"):
        OutputArchive(10).get()


def test_parse_output_args() -> None:
    assert parse_output_args("7 --range 2000:6000") == OutputQuery(7, 2000, 6000)
    assert parse_output_args("[7] --range=:-100 --max-chars 50,000") == OutputQuery(
        7, None, -100, max_chars=50_000
    )
    assert parse_output_args("--grep 'Traceback (most' --tail 3") == OutputQuery(
        grep="Traceback (most", tail_lines=3
    )
    assert parse_output_args("") == OutputQuery()


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("7 --range 10", "START:END"),
        ("7 --range a:b", "whole number"),
        ("7 --bogus 1", "unknown option '--bogus'"),
        ("7 8", "only one execution count"),
        ("7 --head 2 --tail 2", "not both"),
        ("7 --tail", "needs a value"),
        ("7 --head -1", "at least 0"),
        ("7 --grep ''", "non-empty"),
        ("7 --grep 'unclosed", "cannot parse"),
    ],
)
def test_parse_output_args_errors_name_the_problem(line: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="usage: %output") as info:
        parse_output_args(line)
    assert fragment in str(info.value)


def test_run_query_selects_ranges_lines_and_matches() -> None:
    archive = OutputArchive(10_000)
    archive.append(4, "".join(f"row {i}: {'ERROR' if i % 10 == 0 else 'ok'}\n" for i in range(50)))
    assert run_query(archive, OutputQuery(4, head_lines=2)) == "row 0: ERROR\nrow 1: ok\n"
    assert run_query(archive, OutputQuery(4, tail_lines=1)) == "row 49: ok\n"
    grep = run_query(archive, OutputQuery(4, grep="error"))
    assert grep.splitlines() == [f"{i + 1}: row {i}: ERROR" for i in range(0, 50, 10)]
    assert run_query(archive, OutputQuery(4, grep="error", tail_lines=1)) == "41: row 40: ERROR\n"
    assert "no line of output [4] contains 'nothing'" in run_query(
        archive, OutputQuery(4, grep="nothing")
    )
    assert run_query(archive, OutputQuery(4, 0, 6)) == "row 0:"
