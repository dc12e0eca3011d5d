"""Per-request output options from execute-request metadata."""

from __future__ import annotations

import pytest

from athena_kernel.output.options import MAX_REQUEST_CHARS, parse_request_options


def test_valid_options() -> None:
    opts = parse_request_options({"athena": {"max_output_chars": 8000, "binary": True}})
    assert opts.max_output_chars == 8000
    assert opts.binary is True
    assert opts.notices == ()


@pytest.mark.parametrize("metadata", [None, {}, {"other": 1}, {"athena": {}}])
def test_absent_options_mean_defaults(metadata: object) -> None:
    opts = parse_request_options(metadata)  # type: ignore[arg-type]
    assert (opts.max_output_chars, opts.binary, opts.notices) == (None, None, ())


def test_whole_float_budget_is_accepted() -> None:
    assert parse_request_options({"athena": {"max_output_chars": 500.0}}).max_output_chars == 500


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("8000", "whole number"),
        (True, "whole number"),
        (12.5, "whole number"),
        (0, "between 1 and"),
        (-3, "between 1 and"),
        (MAX_REQUEST_CHARS + 1, "between 1 and"),
    ],
)
def test_bad_budget_is_ignored_with_a_notice(value: object, fragment: str) -> None:
    opts = parse_request_options({"athena": {"max_output_chars": value}})
    assert opts.max_output_chars is None
    assert len(opts.notices) == 1
    assert "max_output_chars" in opts.notices[0]
    assert fragment in opts.notices[0]
    assert "default" in opts.notices[0]


def test_bad_binary_flag_is_ignored_with_a_notice() -> None:
    opts = parse_request_options({"athena": {"binary": "yes", "max_output_chars": 100}})
    assert opts.binary is None
    assert opts.max_output_chars == 100
    assert "binary" in opts.notices[0] and "true or false" in opts.notices[0]


def test_namespace_must_be_an_object() -> None:
    opts = parse_request_options({"athena": 5})
    assert "must be an object" in opts.notices[0]


def test_near_miss_key_gets_did_you_mean_but_foreign_keys_do_not() -> None:
    opts = parse_request_options({"athena": {"max_output_char": 10, "cell_timeout": 5}})
    assert len(opts.notices) == 1
    assert 'did you mean "max_output_chars"' in opts.notices[0]
