"""Normalised forms of detected values: the vault's key, so one value in two formats gets one
token (``Alice@X.com`` = ``alice@x.com``; ``+1 415 555 0100`` = ``(415) 555-0100``)."""

from __future__ import annotations

import ipaddress
import re

from .entities import EntityType

#: Region -> (country calling code, national trunk prefix) for numbers written without ``+``.
REGIONS: dict[str, tuple[str, str]] = {
    "US": ("1", "1"), "CA": ("1", "1"), "GB": ("44", "0"), "IE": ("353", "0"),
    "DE": ("49", "0"), "FR": ("33", "0"), "ES": ("34", ""), "IT": ("39", ""),
    "NL": ("31", "0"), "BE": ("32", "0"), "LU": ("352", ""), "CH": ("41", "0"),
    "AT": ("43", "0"), "SE": ("46", "0"), "NO": ("47", ""), "DK": ("45", ""),
    "FI": ("358", "0"), "IS": ("354", ""), "PL": ("48", ""), "CZ": ("420", ""),
    "SK": ("421", "0"), "HU": ("36", "06"), "PT": ("351", ""), "GR": ("30", ""),
    "RO": ("40", "0"), "BG": ("359", "0"), "HR": ("385", "0"), "SI": ("386", "0"),
    "EE": ("372", ""), "LV": ("371", ""), "LT": ("370", "8"), "UA": ("380", "0"),
    "RU": ("7", "8"), "TR": ("90", "0"), "IL": ("972", "0"), "AE": ("971", "0"),
    "SA": ("966", "0"), "EG": ("20", "0"), "ZA": ("27", "0"), "NG": ("234", "0"),
    "KE": ("254", "0"), "IN": ("91", "0"), "PK": ("92", "0"), "CN": ("86", "0"),
    "HK": ("852", ""), "TW": ("886", "0"), "JP": ("81", "0"), "KR": ("82", "0"),
    "SG": ("65", ""), "MY": ("60", "0"), "TH": ("66", "0"), "VN": ("84", "0"),
    "PH": ("63", "0"), "ID": ("62", "0"), "AU": ("61", "0"), "NZ": ("64", "0"),
    "BR": ("55", "0"), "MX": ("52", ""), "AR": ("54", "0"), "CL": ("56", ""),
    "CO": ("57", ""), "PE": ("51", "0"),
}  # fmt: skip

#: International call prefixes dialled before a country code (00 almost everywhere, 011 in NANP).
_EXIT_PREFIXES = ("00", "011")
_EXTENSION = re.compile(r"(?i)(?:x|ext\.?|#)\s*(\d{1,6})\s*$")


def check_region(region: str) -> str:
    """``region`` upper-cased if it is a supported default phone region, else ``ValueError``."""
    code = str(region).upper()
    if code not in REGIONS:
        raise ValueError(
            f"default_region={region!r} is not a supported phone region; use one of "
            f"{', '.join(sorted(REGIONS))} (ISO 3166 alpha-2)"
        )
    return code


def normalize_phone(value: str, region: str = "US") -> str:
    """E.164 form of a phone number (``+14155550100``), with ``;ext=N`` for an extension.

    A number without ``+`` or an international prefix is read as a national number of
    ``region``: its trunk prefix (``0`` in most of Europe, ``1`` in North America) is dropped
    and the region's calling code put in front.
    """
    ext_match = _EXTENSION.search(value)
    ext = ""
    if ext_match:
        ext = f";ext={ext_match.group(1)}"
        value = value[: ext_match.start()]
    value = value.replace("(0)", "")
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.lstrip().startswith("+"):
        return f"+{digits}{ext}"
    for prefix in _EXIT_PREFIXES:
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 8:
            if prefix == "011" and region not in ("US", "CA"):
                continue
            return f"+{digits[len(prefix) :]}{ext}"
    calling, trunk = REGIONS[region]
    if calling == "1":
        if len(digits) == 11 and digits.startswith("1"):
            return f"+{digits}{ext}"
        return f"+1{digits}{ext}"
    if trunk and digits.startswith(trunk):
        digits = digits[len(trunk) :]
    return f"+{calling}{digits}{ext}"


def _email(value: str, region: str) -> str:
    return value.strip().casefold()


def _digits(value: str, region: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _iban(value: str, region: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _ip(value: str, region: str) -> str:
    if ":" not in value:
        return value.strip()  # a validated dotted quad is already canonical
    try:
        return ipaddress.ip_address(value.strip()).compressed
    except ValueError:
        return value.strip().lower()


def _words(value: str, region: str) -> str:
    return " ".join(value.split()).casefold()  # str.split and re's \s: the same whitespace


def _as_is(value: str, region: str) -> str:
    return value


_NORMALIZERS = {
    EntityType.EMAIL: _email,
    EntityType.PHONE: normalize_phone,
    EntityType.CREDIT_CARD: _digits,
    EntityType.US_SSN: _digits,
    EntityType.IBAN: _iban,
    EntityType.IP_ADDRESS: _ip,
    EntityType.PERSON: _words,
    EntityType.ADDRESS: _words,
    EntityType.SECRET: _as_is,
}
assert set(_NORMALIZERS) == set(EntityType)


def normalize(entity_type: EntityType, value: str, region: str = "US") -> str:
    """The vault key of ``value``: case-folded e-mail, E.164 phone, digits-only card/SSN,
    upper-case compact IBAN, canonical IP, whitespace-collapsed case-folded name/address;
    secrets as they are."""
    return _NORMALIZERS[entity_type](value, region)
