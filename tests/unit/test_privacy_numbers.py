"""Cards, US SSNs, IBANs and IP addresses: formats, checksums and hard negatives."""

from __future__ import annotations

import random

import pytest

from athena_kernel.privacy import EntityType, detect, numbers
from athena_kernel.privacy.scan import TextView


def of_type(text: str, entity_type: EntityType) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is entity_type]


def everything(text: str) -> list[tuple[str, str]]:
    return [(s.type.value, text[s.start : s.end]) for s in detect(text)]


# ---------------------------------------------------------------------------------- cards
@pytest.mark.parametrize(
    "card",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500005555555559",
        "2221000000000009",
        "378282246310005",
        "3782 822463 10005",
        "6011000990139424",
        "30569309025904",
        "3530111333300000",
        "4222222222222",
    ],
)
def test_cards_with_issuer_prefix_and_luhn(card: str) -> None:
    assert of_type(f"paid with {card}.", EntityType.CREDIT_CARD) == [card]


def test_short_or_unlisted_cards_need_a_card_cue() -> None:
    assert of_type("card number 501864667909 is lost", EntityType.CREDIT_CARD) == ["501864667909"]
    assert of_type("id 501864667909", EntityType.CREDIT_CARD) == []
    assert of_type("my card 3598899323053410", EntityType.CREDIT_CARD) == ["3598899323053410"]
    assert of_type("row 3598899323053410", EntityType.CREDIT_CARD) == []


@pytest.mark.parametrize(
    "text",
    [
        "order number 4111111111111112 shipped",  # fails Luhn
        "ts=1700000000000 ns=1700000000123456789",  # epoch ms / ns: no issuer starts with 17
        "[4405 3059 3128 2053 8841 3958]",  # a slice of an array of numbers
        "ptr 0x7ffd5e8c12345678",
    ],
)
def test_card_hard_negatives(text: str) -> None:
    assert of_type(text, EntityType.CREDIT_CARD) == []


# ------------------------------------------------------------------------------------ SSN
def test_dashed_ssn_anywhere_and_structural_rules() -> None:
    assert of_type("ssn 123-45-6789.", EntityType.US_SSN) == ["123-45-6789"]
    assert of_type("x 078-05-1120 y", EntityType.US_SSN) == ["078-05-1120"]
    for invalid in ("000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000"):
        assert of_type(f"id {invalid}", EntityType.US_SSN) == []


def test_undashed_ssn_needs_a_cue() -> None:
    assert of_type("SSN: 123 45 6789", EntityType.US_SSN) == ["123 45 6789"]
    assert of_type("social security number 123456789", EntityType.US_SSN) == ["123456789"]
    assert of_type("order 123456789 and 123 45 6789", EntityType.US_SSN) == []


# ----------------------------------------------------------------------------------- IBAN
@pytest.mark.parametrize(
    "iban",
    [
        "GB82WEST12345698765432",
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "de89370400440532013000",
        "FR1420041010050500013M02606",
    ],
)
def test_ibans(iban: str) -> None:
    assert of_type(f"transfer to {iban} to other accounts", EntityType.IBAN) == [iban]


def test_iban_hard_negatives() -> None:
    assert of_type("GB82WEST12345698765433", EntityType.IBAN) == []  # check digits
    assert of_type("GB82WEST12345698765432AB", EntityType.IBAN) == []  # part of a longer id
    digest = "de42" + "ab12" * 15  # a hex digest starting like a German IBAN
    assert of_type(digest, EntityType.IBAN) == []


# ------------------------------------------------------------------------------------- IP
@pytest.mark.parametrize(
    "ip",
    [
        "10.0.0.1",
        "192.168.1.20",
        "8.8.8.8",
        "2001:db8::8a2e:370:7334",
        "fe80::1",
        "6e40:4041:c617:e898:c11:40d2:c669:2eb4",
        "::ffff:192.0.2.1",
    ],
)
def test_ip_addresses(ip: str) -> None:
    assert of_type(f"from {ip}, port 22", EntityType.IP_ADDRESS) == [ip]


def test_ip_with_port_and_in_urls() -> None:
    assert of_type("http://10.1.2.3:8080/x", EntityType.IP_ADDRESS) == ["10.1.2.3"]
    assert of_type("http://[2001:db8::1]:80/", EntityType.IP_ADDRESS) == ["2001:db8::1"]


@pytest.mark.parametrize(
    "text",
    [
        "127.0.0.1",
        "0.0.0.0",
        "::1",
        "::",
        "netmask 255.255.255.0 255.255.255.255",
        "version 1.2.3.4",
        "v1.2.3.4",
        "pkg==1.2.3.4",
        "Version: 10.0.2.1",
        "1.2.3.4.5",
        "10.0.19041.1",
        "01.02.03.04",
        "x = data[1::2]",
        "std::vector<int>",
        "12:34:56",
        "mac 00:1a:2b:3c:4d:5e",
        "0.5 1.25 3.75",
    ],
)
def test_ip_hard_negatives(text: str) -> None:
    assert of_type(text, EntityType.IP_ADDRESS) == []


# ------------------------------------------------------------------------ hard negatives
@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05T14:22:31.123Z",
        "2024-03-05 14:22:31,456",
        "epoch 1709648551 ms 1709648551123",
        "uuid 0898555b-6ded-4723-a3f1-d073ed522d3e",
        "commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "release 1.26.4, v2.10.4, numpy==2.4.0",
        "order ORD-2023-000123",
        "at 0x7ffd5e8c1a30",
        "listening on :8080",
        'File "a.py", line 1234',
        "pi=3.14159 took 12.5ms, 1h 2m 3s",
        "due 2023-11-21 or 20231121 or 21/11/2023",
        "ISBN 978-3-16-148410-0",
        "total $1,234,567.89 (12.5%)",
        "#ff00aa 1,048,576 bytes",
    ],
)
def test_program_output_hard_negatives(text: str) -> None:
    assert everything(text) == []


def _all_matches(raw: bytes) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in numbers._NUMBERS.finditer(raw)]


def _matches_from_starts(raw: bytes) -> list[tuple[tuple[int, int], str | None]]:
    out, done = [], 0
    for pos in numbers.match_starts(raw).tolist():
        m = numbers._NUMBERS.match(raw, pos) if pos >= done else None
        if m is not None:
            out.append((m.span(), m.lastgroup))
            done = m.end()
    return out


def test_match_starts_miss_no_match() -> None:
    """Trying the number regex only where numpy says a match can start finds exactly what
    scanning every position finds (random texts built from number-shaped pieces)."""
    rng = random.Random(3)
    pieces = ["1", "12", "123", "1234", "123456", "4111111111111111", "-", " ", ".", "..",
              "DE", "GB82", "x", "_", "(", ")", "+", "a", "00", "01", "4111 1111 1111 1111",
              "123-45-6789", "10.0.0.1", ",", "ext", "#", "é",
              "DE89 3704 0044 0532 0130 00"]  # fmt: skip
    for _ in range(20000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))).encode("latin-1")
        assert _matches_from_starts(raw) == _all_matches(raw), raw


def test_long_text_takes_the_numpy_path_with_the_same_spans() -> None:
    sample = "card 4111 1111 1111 1111, ssn 123-45-6789, ip 10.1.2.3, DE89370400440532013000 "
    text = (sample + "loss=0.1234 step 12 of 400 at 2024-05-01 12:00:01\n") * 200
    assert len(text) > numbers._SHORT
    assert _matches_from_starts(text.encode()) == _all_matches(text.encode())
    view = TextView(text)
    spans = numbers.detect_numbers(view)
    assert len(spans) == 4 * 200
