"""IPv4 and IPv6 addresses (not loopback, unspecified, broadcast or netmasks)."""

from __future__ import annotations

import ipaddress
import re

from .entities import EntityType, Span
from .scan import TextView

_IPV4_SHAPE = re.compile(
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
)

# "version 1.2.3.4", "v1.2.3.4", "==1.2.3.4": a version, not an address
_VERSION_BEFORE = re.compile(
    r"(?i)(?:\b(?:version|ver|release|build|rev|revision|tag|v)\s*[:=]?\s*|[=<>~!]=\s*)\Z"
)

# IPv6: anchored on a ':' that starts "::" or is followed by two more hex groups and colons
# (so "12:34:56" is never a candidate), then widened to the whole address in Python
_IPV6_ANCHOR = re.compile(rb":(?=:|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)")
_RUN = re.compile(rb"[0-9A-Fa-f:.]*")
_RUN_BEFORE = re.compile(rb"[0-9A-Fa-f:.]*\Z")  # with endpos: the run that ends there
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def is_ipv4(text: str, start: int, value: str) -> bool:
    """True if ``value`` is a reportable IPv4 address: four decimal octets without leading
    zeros, not loopback (127/8), ``0.x.x.x``, broadcast or a netmask, and not written as a
    version (``version 1.2.3.4``, ``v1.2.3.4``, ``==1.2.3.4``)."""
    if not _IPV4_SHAPE.fullmatch(value):
        return False
    if _VERSION_BEFORE.search(text, max(0, start - 12), start):
        return False
    a, b, c, d = (int(part) for part in value.split("."))
    addr = a << 24 | b << 16 | c << 8 | d
    if a in (0, 127):
        return False
    if addr >> 24 == 255:  # netmasks and the broadcast address
        inverted = ~addr & 0xFFFFFFFF
        if inverted & (inverted + 1) == 0:
            return False
    return True


def _ipv6_reportable(value: str) -> bool:
    colons = value.count(":")
    if colons < 2 or ("::" not in value and colons != 7) or len(value) < 3:
        return False  # a MAC address, a time, a slice: not worth a parse
    try:
        addr = ipaddress.IPv6Address(value)
    except ValueError:
        return False
    if addr.is_loopback or addr.is_unspecified:
        return False
    if "::" in value:
        groups = [g for g in value.split(":") if g]
        # "1::2" is a slice in code, not an address: short compressed forms need a 4-digit group
        if len(groups) < 3 and not any(len(g) == 4 for g in groups):
            return False
    return True


def detect_ipv6(view: TextView) -> list[Span]:
    """IPv6 addresses (full or compressed, optionally ending in a dotted IPv4)."""
    raw = view.raw
    if b":" not in raw:
        return []
    spans: list[Span] = []
    pos = 0
    while True:
        m = _IPV6_ANCHOR.search(raw, pos)
        if m is None:
            return spans
        anchor = m.start()
        # widen to the run of address characters around the anchor: at most 40 before it,
        # 46 in all (scanned by the regex engine, not byte by byte in Python)
        start = _RUN_BEFORE.search(raw, max(0, anchor - 40), anchor).start()  # type: ignore[union-attr]
        end = _RUN.match(raw, anchor, min(len(raw), start + 46)).end()  # type: ignore[union-attr]
        while end > start and raw[end - 1] in b".:" and raw[end - 2 : end] != b"::":
            end -= 1  # a trailing ':' or '.' belongs to the sentence
        while start < end and raw[start] in b".:" and raw[start : start + 2] != b"::":
            start += 1  # "host:fe80::1": the ':' is the key's
        pos = max(end, anchor + 1)
        if (start and raw[start - 1] in _WORD) or (end < len(raw) and raw[end] in _WORD):
            continue
        value = view.text[start:end]
        if _ipv6_reportable(value):
            spans.append(Span(start, end, EntityType.IP_ADDRESS, "ip.v6"))
