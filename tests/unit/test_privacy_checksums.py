"""Luhn, IBAN mod-97, entropy and character classes."""

from __future__ import annotations

import pytest

from athena_kernel.privacy.checksums import (
    IBAN_LENGTHS,
    char_classes,
    iban_valid,
    luhn_valid,
    shannon_entropy,
)


@pytest.mark.parametrize(
    "digits",
    ["4111111111111111", "5500005555555559", "378282246310005", "6011000990139424", "0"],
)
def test_luhn_accepts_valid_numbers(digits: str) -> None:
    assert luhn_valid(digits)


@pytest.mark.parametrize("digits", ["4111111111111112", "1234567812345678", "", "41111x11"])
def test_luhn_rejects_invalid_numbers(digits: str) -> None:
    assert not luhn_valid(digits)


@pytest.mark.parametrize(
    "iban",
    [
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "gb82west12345698765432",
        "FR1420041010050500013M02606",
        "NO9386011117947",
    ],
)
def test_iban_accepts_valid_numbers(iban: str) -> None:
    assert iban_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "GB82WEST12345698765433",  # check digits
        "GB82WEST1234569876543",  # length for GB
        "XX82WEST12345698765432",  # unknown country
        "GB82-WEST-1234",
    ],
)
def test_iban_rejects_invalid_numbers(iban: str) -> None:
    assert not iban_valid(iban)


def test_iban_length_table_has_the_common_countries() -> None:
    assert IBAN_LENGTHS["DE"] == 22 and IBAN_LENGTHS["GB"] == 22 and IBAN_LENGTHS["NO"] == 15


def test_entropy_and_classes() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
    assert char_classes("abc") == 1
    assert char_classes("aB3-") == 4
