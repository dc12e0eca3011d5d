"""The benign cases as data: enough of them, well formed, and outputs every kernel prints as is."""

from __future__ import annotations

import pytest
from benign_cases import BenignCase, all_cases, mask_durations, stock_cases

from athena_kernel.privacy import detect

pytestmark = pytest.mark.benign

#: Expected output per case stays well inside the agent profile's 2,000-character budget.
MAX_EXPECTED_CHARS = 1000


def expected_texts(case: BenignCase) -> list[str]:
    texts = [case.stdout, case.stderr, case.result or "", *case.displays]
    if case.error:
        texts.extend(case.error)
    return [t for t in texts if t]


def test_there_are_at_least_80_cases_with_unique_names() -> None:
    cases = all_cases()
    assert len(cases) >= 80
    assert len({c.name for c in cases}) == len(cases)
    assert len(stock_cases()) >= 60  # the sandbox benchmark times these against stock


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_expected_output_is_small_and_free_of_pii(case: BenignCase) -> None:
    texts = expected_texts(case)
    assert sum(map(len, texts)) <= MAX_EXPECTED_CHARS
    for text in texts:
        # PII is tokenized in Athena's output: an expectation containing some could never match
        assert detect(text) == [], f"{case.name}: {detect(text)} in {text!r}"


def test_semicolon_case_is_the_only_silent_one() -> None:
    """A silent case checks little; only the one about suppressing the result may be silent."""
    silent = [c.name for c in all_cases() if not expected_texts(c)]
    assert silent == ["semicolon_suppresses_result"]


@pytest.mark.parametrize(
    ("cell", "needs"),
    [
        ("memory.recall('x')", True),
        ("%time hits = memory.recall('x')", True),
        ("%%time\nx = memory.stats()", True),
        ("print('memory')", False),
        ("memory_size = 3\nmemory_size", False),
        ("import json\njson.dumps({'memory': 1})", False),
        ("x = 1 +", False),  # unparsable: decided by the word, which is absent
        ("x = 1 + memory", True),
    ],
)
def test_needs_athena_detection(cell: str, needs: bool) -> None:
    assert BenignCase("probe", cell, stdout="x").needs_athena is needs


def test_setup_cells_count_for_needs_athena() -> None:
    case = BenignCase("probe", "print(t)", stdout="x", setup=("t = memory.tasks.list()",))
    assert case.needs_athena


def test_mask_durations() -> None:
    text = "CPU times: user 3 µs, sys: 1e+03 ns, total: 4.05 µs\nWall time: 1.2 s\n"
    assert mask_durations(text) == "CPU times: user <T>, sys: <T>, total: <T>\nWall time: <T>\n"
    assert mask_durations("7.5 ms ± 120 µs per loop") == "<T> ± <T> per loop"
    assert mask_durations("3 items in 2 sets") == "3 items in 2 sets"


def test_unknown_normalizer_is_refused() -> None:
    with pytest.raises(ValueError, match="normalize='timing' is unknown"):
        BenignCase("probe", "x", normalize="timing")


def test_xfail_applies_only_to_its_isolation_modes() -> None:
    case = BenignCase("probe", "x", xfail="why", xfail_isolation=("process",))
    assert case.xfail_reason("process") == "why"
    assert case.xfail_reason("inprocess") is None
    assert case.xfail_reason(None) is None
    assert BenignCase("probe", "x").xfail_reason("process") is None
