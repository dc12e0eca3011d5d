"""Phone numbers: international, North-American, cued national formats; normalisation."""

from __future__ import annotations

import pytest

from athena_kernel.privacy import EntityType, detect
from athena_kernel.privacy.normalize import check_region, normalize_phone


def phones(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is EntityType.PHONE]


@pytest.mark.parametrize(
    "number",
    [
        "+1 415 555 0100",
        "+1-415-555-0100",
        "+1 (415) 555-0100",
        "+44 20 7946 0958",
        "+49 30 12345678",
        "+33 1 23 45 67 89",
        "+46 (0)8 928 571 38",
        "+447700677662",
        "(415) 555-0100",
        "415-555-0100",
        "415.555.0100",
        "001-415-555-0100",
        "1-415-555-0100",
        "(415) 555-0100 x1234",
        "675.792.5614x89902",
    ],
)
def test_numbers_found_anywhere(number: str) -> None:
    assert phones(f"result: {number} ok") == [number]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Phone: 0490 75 40 81", "0490 75 40 81"),
        ("Tel:\n020 7946 0958\n", "020 7946 0958"),
        ("call me on 07700 900123 tomorrow", "07700 900123"),
        ('{"mobile": "030 1234567"}', "030 1234567"),
        ("Desk: 5403926876", "5403926876"),
        ("416 60 039 office\n", "416 60 039"),
        ("Phone: 92 34 70", "92 34 70"),  # six digits need a label
        ("to stop receiving messages to 0688 872 49 99", "0688 872 49 99"),
    ],
)
def test_national_formats_need_a_cue(text: str, number: str) -> None:
    assert phones(text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "0490 75 40 81",  # no cue
        "call 2023-11-21 and 20231121",  # dates are not numbers to call
        "phone 10.0.0.1",  # an IP
        "call_count=12345678",  # an identifier, not the word "call"
        "processed 1234567 messages",  # a count near a weak cue
        "You can call 33 93 31",  # six digits without a label
        "x = +1.5 and +12.34",  # signed decimals
        "array([4405 3059 3128 2053 8841 3958])",
        "epoch 1709648551, pid 4242, port 8080",
        'Traceback: File "x.py", line 1234, in <module>',
    ],
)
def test_phone_hard_negatives(text: str) -> None:
    assert phones(text) == []


def test_normalisation_gives_e164() -> None:
    assert normalize_phone("+1 415 555 0100") == "+14155550100"
    assert normalize_phone("(415) 555-0100") == "+14155550100"
    assert normalize_phone("1-415-555-0100") == "+14155550100"
    assert normalize_phone("001-415-555-0100") == "+14155550100"
    assert normalize_phone("+46 (0)8 928 571 38") == "+46892857138"
    assert normalize_phone("020 7946 0958", "GB") == "+442079460958"
    assert normalize_phone("(415) 555-0100 x12") == "+14155550100;ext=12"


def test_unknown_region_is_a_clear_error() -> None:
    assert check_region("gb") == "GB"
    with pytest.raises(ValueError, match=r"default_region='XX'.*ISO 3166"):
        check_region("XX")
