"""Payment card numbers: issuer prefix and length table plus the Luhn check."""

from __future__ import annotations

import re

from .checksums import luhn_valid

#: (first digits range low, high, allowed lengths): Visa, Mastercard, Amex, Discover, Diners,
#: JCB, UnionPay, Maestro, Mir, RuPay. Prefixes are compared on their own width.
_NETWORKS: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (6011, 6011, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, frozenset({16, 17, 18, 19})),
    (65, 65, frozenset({16, 17, 18, 19})),
    (300, 305, frozenset({14, 15, 16, 17, 18, 19})),  # Diners Club
    (36, 36, frozenset({14, 15, 16, 17, 18, 19})),
    (38, 39, frozenset({14, 15, 16, 17, 18, 19})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (1800, 1800, frozenset({15})),
    (2131, 2131, frozenset({15})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, frozenset(range(12, 20))),  # Maestro
    (56, 69, frozenset(range(12, 20))),
    (2200, 2204, frozenset({16, 17, 18, 19})),  # Mir
    (60, 60, frozenset({16})),  # RuPay
)

_CARD_CUE = re.compile(
    r"(?i)(?<![a-z])(?:card|cc|credit|debit|visa|master ?card|maestro|amex|payment|pan)(?![a-z])"
)


def _lengths_by_prefix() -> dict[str, frozenset[int]]:
    """First four digits -> card lengths some issuer uses with them (built once)."""
    table: dict[int, frozenset[int]] = {}
    for low, high, lengths in _NETWORKS:
        scale = 10 ** (4 - len(str(low)))  # the four-digit prefixes this range covers
        for first4 in range(low * scale, (high + 1) * scale):
            table[first4] = table.get(first4, frozenset()) | lengths
    return {str(k): v for k, v in table.items()}


_LENGTHS_BY_PREFIX = _lengths_by_prefix()


def card_network_ok(digits: str) -> bool:
    """True if ``digits`` starts with a known issuer prefix and has a length that issuer uses."""
    return len(digits) in _LENGTHS_BY_PREFIX.get(digits[:4], ())


def card_rule(text: str, start: int, value: str) -> str | None:
    """The rule by which ``value`` (at ``start`` in ``text``) is a card number, or ``None``.

    ``"credit_card"``: 13-19 digits passing Luhn with a known issuer prefix and length.
    ``"credit_card.cued"``: 12-19 digits passing Luhn within 40 characters after a cue such as
    ``card``, ``cc``, ``visa`` (issuers and test generators use prefixes outside any table).
    """
    digits = value.replace(" ", "").replace("-", "")
    if not 12 <= len(digits) <= 19:
        return None
    if len(digits) >= 13 and card_network_ok(digits):
        return "credit_card" if luhn_valid(digits) else None
    if _CARD_CUE.search(text, max(0, start - 40), start) and luhn_valid(digits):
        return "credit_card.cued"
    return None
