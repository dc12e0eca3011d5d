"""Inputs built to make regular expressions backtrack: detection must stay linear.

Each input is large enough that a super-linear pattern would run for minutes; a watchdog turns
such a hang into a failure (this is a bound, not a speed measurement: speed is in bench/).
"""

from __future__ import annotations

import threading

import pytest

from athena_kernel.privacy import Vault, detect

SIZE = 200_000
WATCHDOG_SECONDS = 20.0

ADVERSARIAL = {
    "digits": "1" * SIZE,
    "digit groups": "12 34 " * (SIZE // 6),
    "dashed digits": "123-" * (SIZE // 4),
    "dots": "1." * (SIZE // 2),
    "at signs": "a@" * (SIZE // 2),
    "dotted words": "a." * (SIZE // 2),
    "email-ish": ("a" * 60 + "@" + "b" * 60 + ".") * (SIZE // 122),
    "hex colons": "ab:" * (SIZE // 3),
    "double colons": "1::" * (SIZE // 3),
    "key=": "password=" * (SIZE // 9),
    "json keys": '"name": ' * (SIZE // 8),
    "labels": "Name: " * (SIZE // 6),
    "base64 run": "eyJ" + "A" * SIZE,
    "pem without end": "-----BEGIN PRIVATE KEY-----\n" + ("A" * 64 + "\n") * (SIZE // 65),
    "many pem begins": "-----BEGIN PRIVATE KEY-----" * (SIZE // 27),
    "plus runs": "+1 " * (SIZE // 3),
    "parentheses": "(1)" * (SIZE // 3),
    "url userinfo": "://a:" * (SIZE // 5),
    "csv header then junk": "name,email\n" + "x," * (SIZE // 2),
    "spaces": "phone " + " " * SIZE + "1",
}


def _bounded(fn, arg) -> object:  # type: ignore[no-untyped-def]
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(fn(arg)), daemon=True)
    worker.start()
    worker.join(WATCHDOG_SECONDS)
    assert not worker.is_alive(), f"{fn.__qualname__} did not finish: super-linear behaviour"
    return result[0]


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_detect_finishes_on_adversarial_input(name: str) -> None:
    spans = _bounded(detect, ADVERSARIAL[name])
    assert isinstance(spans, list)
    previous = -1
    for span in spans:  # still a valid result: sorted, non-overlapping
        assert span.start >= previous and span.end > span.start
        previous = span.end


def test_tokenize_finishes_on_a_text_full_of_values() -> None:
    text = " ".join(f"user{i}@example.com 10.0.{i % 256}.{i // 256 + 1}" for i in range(8000))
    vault = Vault()
    out = _bounded(vault.tokenize, text)
    assert isinstance(out, str) and "@" not in out
    assert len(vault) == 16000
