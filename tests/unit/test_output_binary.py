"""One-line descriptions of binary MIME data, on real (tiny) image files built here."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from athena_kernel.output.binary import (
    describe_binary,
    format_size,
    image_dimensions,
    payload_size,
    svg_dimensions,
)
from athena_kernel.output.mime import is_binary_mime


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(width: int, height: int) -> bytes:
    """A valid greyscale PNG: signature, IHDR, zlib-compressed IDAT, IEND (with CRCs)."""
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def make_gif(width: int, height: int) -> bytes:
    """A GIF89a with a 2-colour table and one image of 1 pixel LZW data (code size 2)."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    lzw = bytes([0x44, 0x01])  # clear code 4, pixel 0, end code 5, in 3-bit codes
    return header + image + b"\x02" + bytes([len(lzw)]) + lzw + b"\x00\x3b"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg(width: int, height: int, exif_bytes: int = 0) -> bytes:
    """A baseline greyscale JPEG (JFIF, optional EXIF block before the frame header) whose
    scan encodes every 8×8 block as DC 0 + end-of-block with one-code Huffman tables."""
    out = b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if exif_bytes:
        out += _segment(0xE1, b"Exif\x00\x00" + b"\x00" * exif_bytes)
    out += _segment(0xDB, b"\x00" + b"\x01" * 64)
    out += _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    out += _segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    out += _segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    out += _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    bits = "00" * (-(-width // 8) * -(-height // 8))
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    return out + scan.replace(b"\xff", b"\xff\x00") + b"\xff\xd9"


def make_webp(kind: str, width: int, height: int) -> bytes:
    """RIFF/WEBP containers with a VP8 (lossy), VP8L (lossless) or VP8X (extended) header."""
    if kind == "VP8 ":
        frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\0" * 8
    elif kind == "VP8L":
        w, h = width - 1, height - 1
        bits = w | (h << 14)
        frame = b"\x2f" + struct.pack("<I", bits) + b"\0" * 8
    else:
        frame = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
        frame += (height - 1).to_bytes(3, "little")
    body = b"WEBP" + kind.encode() + struct.pack("<I", len(frame)) + frame
    return b"RIFF" + struct.pack("<I", len(body)) + body


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_png(640, 480), ("PNG", 640, 480)),
        (make_gif(31, 7), ("GIF", 31, 7)),
        (make_jpeg(24, 16), ("JPEG", 24, 16)),
        (make_jpeg(1920, 1080, exif_bytes=20_000), ("JPEG", 1920, 1080)),
        (make_webp("VP8 ", 300, 200), ("WebP", 300, 200)),
        (make_webp("VP8L", 300, 200), ("WebP", 300, 200)),
        (make_webp("VP8X", 4000, 3000), ("WebP", 4000, 3000)),
    ],
)
def test_image_dimensions_from_headers(data: bytes, expected: tuple[str, int, int]) -> None:
    assert image_dimensions(data) == expected


def test_describe_png_as_jupyter_sends_it() -> None:
    png = make_png(640, 480)
    line = describe_binary("image/png", b64(png))
    assert line == (
        f"[image/png 640×480, {format_size(len(png))} — not shown; "
        'ask with {"athena": {"binary": true}}]'
    )
    assert payload_size(b64(png)) == len(png)


def test_describe_base64_with_line_breaks_and_raw_bytes() -> None:
    jpeg = make_jpeg(24, 16)
    wrapped = base64.encodebytes(jpeg).decode("ascii")  # 76-char lines
    assert "24×16" in describe_binary("image/jpeg", wrapped)
    assert payload_size(wrapped) == len(jpeg)
    assert "24×16" in describe_binary("image/jpeg", jpeg)


def test_mismatched_type_and_unknown_data_are_reported() -> None:
    assert "GIF data" in describe_binary("image/png", b64(make_gif(2, 2)))
    line = describe_binary("image/png", b64(b"not an image at all"))
    assert line.startswith("[image/png 19 B — not shown")
    with_meta = describe_binary("image/png", b64(b"junk"), {"width": 10, "height": 5})
    assert "10×5" in with_meta


def test_svg_and_pdf() -> None:
    svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="48">'
    assert svg_dimensions(svg) == "64×48"
    assert describe_binary("image/svg+xml", svg).startswith("[image/svg+xml 64×48, ")
    assert svg_dimensions('<svg viewBox="0 0 10 20"></svg>') == "viewBox 0 0 10 20"
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    assert describe_binary("application/pdf", b64(pdf)).startswith("[application/pdf PDF 1.7, ")


def test_format_size() -> None:
    assert format_size(512) == "512 B"
    assert format_size(23_400) == "23.4 KB"
    assert format_size(1_500_000) == "1.5 MB"


@pytest.mark.parametrize(
    ("mime", "value", "binary"),
    [
        ("image/png", "iVBOR", True),
        ("image/svg+xml", "<svg/>", True),
        ("application/pdf", "JVBERi0", True),
        ("text/plain", "x", False),
        ("text/html", "<b>", False),
        ("application/json", {"a": 1}, False),
        ("application/vnd.jupyter.widget-view+json", {"model_id": "x"}, False),
        ("application/javascript", "alert(1)", False),
        ("application/x-custom", "QUJDREVGR0hJSktMTU5PUA==", True),
        ("application/x-custom", "plain words here, not base64", False),
    ],
)
def test_binary_mime_classification(mime: str, value: object, binary: bool) -> None:
    assert is_binary_mime(mime, value) is binary
