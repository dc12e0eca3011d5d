"""One-line descriptions of binary MIME payloads (images, PDFs, audio...) for the agent profile.

Dimensions are read from the file headers without decoding the whole payload: PNG (IHDR), GIF
(logical screen), JPEG (SOF marker), WebP (VP8/VP8L/VP8X), BMP, and SVG (width/height/viewBox
of the root element).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Mapping
from typing import Any

#: Bytes of a payload decoded to look for dimensions (JPEG's SOF can follow a large EXIF block).
HEADER_BYTES = 256 * 1024
#: Request-metadata hint shown in every description.
ASK_HINT = 'ask with {"athena": {"binary": true}}'

_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_ATTR = re.compile(r"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def format_size(n: int) -> str:
    """Human-readable byte count: ``512 B``, ``23.4 KB``, ``1.2 MB`` (decimal units)."""
    if n < 1000:
        return f"{n} B"
    for unit in ("KB", "MB", "GB"):
        n_f = n / 1000
        if n_f < 1000 or unit == "GB":
            return f"{n_f:.1f} {unit}"
        n = int(n_f)
    return f"{n} B"  # pragma: no cover - loop always returns


def payload_size(value: str | bytes) -> int:
    """Size in bytes of a payload: decoded size for base64 text, ``len`` for raw bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    n = len(value)
    for ws in ("\n", "\r", " ", "\t"):
        if ws in value:
            n -= value.count(ws)
    stripped_end = value.rstrip()
    pad = len(stripped_end) - len(stripped_end.rstrip("="))
    return max(0, n * 3 // 4 - pad)


def _header_bytes(value: str | bytes, limit: int = HEADER_BYTES) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value[:limit])
    chunk = value[: (limit * 4 // 3) + 64]
    chunk = "".join(chunk.split())
    chunk = chunk[: len(chunk) - len(chunk) % 4]
    try:
        return base64.b64decode(chunk, validate=False)
    except (binascii.Error, ValueError):
        return b""


def image_dimensions(head: bytes) -> tuple[str, int, int] | None:
    """``(format, width, height)`` read from the first bytes of a PNG/GIF/JPEG/WebP/BMP file."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24 and head[12:16] == b"IHDR":
        w, h = struct.unpack(">II", head[16:24])
        return "PNG", w, h
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        w, h = struct.unpack("<HH", head[6:10])
        return "GIF", w, h
    if head.startswith(b"\xff\xd8"):
        dims = _jpeg_dimensions(head)
        return ("JPEG", *dims) if dims else None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        dims = _webp_dimensions(head)
        return ("WebP", *dims) if dims else None
    if head[:2] == b"BM" and len(head) >= 26:
        w, h = struct.unpack("<ii", head[18:26])
        return "BMP", w, abs(h)
    return None


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            i += 1  # tolerate padding/garbage between segments
            continue
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2  # markers without a length
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _JPEG_SOF:
            if i + 9 > n:
                return None
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return w, h
        if marker == 0xDA or length < 2:  # start of scan: no SOF before it
            return None
        i += 2 + length
    return None


def _webp_dimensions(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        b0, b1, b2, b3 = data[21:25]
        w = 1 + (((b1 & 0x3F) << 8) | b0)
        h = 1 + (((b3 & 0x0F) << 10) | (b2 << 2) | ((b1 & 0xC0) >> 6))
        return w, h
    if chunk == b"VP8X" and len(data) >= 30:
        w = 1 + int.from_bytes(data[24:27], "little")
        h = 1 + int.from_bytes(data[27:30], "little")
        return w, h
    return None


def svg_dimensions(svg: str) -> str | None:
    """``"640×480"`` (or ``"viewBox 0 0 64 48"``) from the root ``<svg>`` element, if given."""
    match = _SVG_ROOT.search(svg[:16384])
    if not match:
        return None
    attrs = {k.lower(): v.strip() for k, v in _SVG_ATTR.findall(match.group(0))}
    if "width" in attrs and "height" in attrs:
        return f"{attrs['width']}×{attrs['height']}"
    if "viewbox" in attrs:
        return f"viewBox {attrs['viewbox']}"
    return None


def _metadata_dimensions(metadata: Mapping[str, Any] | None) -> str | None:
    if not isinstance(metadata, Mapping):
        return None
    w, h = metadata.get("width"), metadata.get("height")
    if isinstance(w, (int, float)) and isinstance(h, (int, float)):
        return f"{int(w)}×{int(h)}"
    return None


def describe_binary(
    mime: str,
    value: Any,
    metadata: Mapping[str, Any] | None = None,
    *,
    hint: str = ASK_HINT,
) -> str:
    """One line describing a binary MIME value: type, dimensions when known, size, and how to get
    it, e.g. ``[image/png 640×480, 23.4 KB — not shown; ask with {"athena": {"binary": true}}]``.

    ``value`` is what a Jupyter bundle carries: base64 text for binary types, markup text for
    ``image/svg+xml``; raw ``bytes`` are accepted too. ``metadata`` is the bundle's metadata for
    this type (``{"width": ..., "height": ...}``), used when the header gives no dimensions.
    """
    details: list[str] = []
    if isinstance(value, str) and mime.lower() == "image/svg+xml":
        size = len(value.encode("utf-8", "surrogatepass")) if not value.isascii() else len(value)
        dims = svg_dimensions(value) or _metadata_dimensions(metadata)
        if dims:
            details.append(dims)
    elif isinstance(value, (str, bytes, bytearray, memoryview)):
        size = payload_size(value)
        head = _header_bytes(value)
        found = image_dimensions(head)
        if found:
            fmt, w, h = found
            details.append(f"{w}×{h}")
            expected = mime.lower().split("/")[-1]
            if fmt.lower() not in (expected, "jpeg" if expected == "jpg" else expected):
                details.append(f"{fmt} data")
        elif head.startswith(b"%PDF-"):
            version = head[5:8].decode("ascii", "replace")
            details.append(f"PDF {version}")
        else:
            dims = _metadata_dimensions(metadata)
            if dims:
                details.append(dims)
    else:
        size = 0
        details.append(f"unexpected {type(value).__name__} value")
    details.append(format_size(size))
    return f"[{mime} {', '.join(details)} — not shown; {hint}]"
