"""``TextView.fields`` scans the text reversed for speed; it must find exactly the keys the
plain forward definition finds."""

from __future__ import annotations

import random
import re

import pytest

from athena_kernel.privacy.field_names import classify_field
from athena_kernel.privacy.keywords import VOCABULARY, trie_pattern
from athena_kernel.privacy.scan import Field, TextView

# The definition, read forwards: an opener or the start of the text, the whole key (an atomic
# group), an optional closing quote, up to three blanks, a separator.
_KEY = rb"(?=([A-Za-z_][A-Za-z0-9_.\-]{0,40}))\1"
_SEP = rb"([\"']?)[ \t]{0,3}(=>|:=|=(?!=)|:(?![=:/]))"
_FORWARD = re.compile(rb"[\s\"'{,(\[&?;|]" + _KEY + _SEP)
_FORWARD_AT_START = re.compile(_KEY + _SEP)


def forward_fields(text: str) -> list[Field]:
    raw = TextView(text).raw
    first = _FORWARD_AT_START.match(raw)
    matches = ([first] if first else []) + list(_FORWARD.finditer(raw))
    out = []
    for m in matches:
        kind = classify_field(m.group(1).decode("ascii"))
        if kind is not None:
            out.append(
                Field(m.start(1), m.end(1), kind, m.group(2).decode(), m.group(3).decode(), m.end())
            )
    return out


@pytest.mark.parametrize(
    "text",
    [
        "password=hunter2",
        ' "password": "x", api_key := 1, token => 2',
        "a==b password==x password::y url://password:z",
        "x" * 45 + "_password=1 " + "p" * 41 + "assword=2",
        "name='Ann' name = 'Bo' name    = 'Cy'",
        "\tphone:123 (phone:1) [phone:2] &phone=3 ?phone=4 ;phone=5 |phone=6 {phone:7}",
        "café password=1 ünïcode token:2",
        "1password=x -password=y .password=z _password=w",
        "password",
        "=password:",
        " " + "a" * 35 + "_token=1 " + "a" * 36 + "_token=2",  # keys of 41 and 42 characters
    ],
)
def test_reversed_scan_matches_the_forward_definition(text: str) -> None:
    assert TextView(text).fields == forward_fields(text)


def test_reversed_scan_matches_on_random_text() -> None:
    rng = random.Random(5)
    pieces = ["password", "token", "name", "phone", "email", "x", "1", "_", ".", "-", " ",
              "  ", "\t", "\n", '"', "'", "=", "==", ":", "::", "=>", ":=", "://", ",", "(",
              "{", "[", "&", "?", ";", "|", "é", "a" * 41]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert TextView(text).fields == forward_fields(text), text


def test_keyword_scan_on_re2_matches_python_re() -> None:
    """RE2 and Python's engine agree on the cue-word trie (leftmost-first, longest word)."""
    reference = re.compile(trie_pattern(VOCABULARY))
    rng = random.Random(11)
    pieces = [w.decode() for w in VOCABULARY] + ["s", "ed", "ing", " ", "_", "é", "\x00", "x"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        lower = TextView(text).lower
        expected = [(m.start(), m.group()) for m in reference.finditer(lower)]
        assert TextView(text).keywords == expected, text
