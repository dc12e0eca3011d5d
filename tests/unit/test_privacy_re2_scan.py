"""``match_spans`` (RE2's Match called directly) gives exactly what the wrapper's finditer
gives, on Latin-1 bytes, for patterns that cannot match the empty string (as the detector's)."""

from __future__ import annotations

import random

import pytest

from athena_kernel.privacy.re2_scan import latin1_re2, match_spans


@pytest.mark.parametrize(
    "pattern",
    [rb"phone|tel(?:ephone)?", rb"a+", rb"\d+", rb"caf\xe9|x", rb"(?:ab|a)(c)?", rb"b\x00?"],
)
def test_match_spans_equal_finditer(pattern: bytes) -> None:
    regex = latin1_re2(pattern)
    rng = random.Random(1)
    alphabet = [b"a", b"b", b"c", b"1", b"22", b" ", b"phone", b"tel", b"caf\xe9", b"\x00", b"x"]
    for _ in range(500):
        data = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 15)))
        assert list(match_spans(regex, data)) == [m.span() for m in regex.finditer(data)], data


def test_latin1_bytes_are_single_characters() -> None:
    regex = latin1_re2(rb"caf.")
    assert list(match_spans(regex, b"un caf\xe9 noir")) == [(3, 7)]
