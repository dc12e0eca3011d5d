"""MIME-type classes of Jupyter bundles: which values are text (counted against the budget),
which are binary (base64 in Jupyter messages), and how long a value is as text."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

#: Binary families: Jupyter carries these base64-encoded; the agent profile describes them.
BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
#: application/* types that are text or JSON rather than binary.
TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/xml",
        "application/x-latex",
        "application/x-tex",
        "application/x-python",
        "application/x-sh",
        "application/sql",
        "application/yaml",
        "application/x-yaml",
        "application/toml",
        "application/xhtml+xml",
    }
)
#: Rich text types dropped first when a bundle is over budget (text/plain is always kept).
PLAIN = "text/plain"


#: application/* types known to be binary.
BINARY_APPLICATION_TYPES = frozenset(
    {
        "application/pdf",
        "application/octet-stream",
        "application/zip",
        "application/gzip",
        "application/x-tar",
        "application/wasm",
        "application/vnd.ms-excel",
        "application/msword",
    }
)
_BASE64 = re.compile(r"[A-Za-z0-9+/=\r\n]*")


def is_binary_mime(mime: str, value: Any = None) -> bool:
    """True for image/audio/video/font types and binary application/* types.

    ``image/svg+xml`` counts as binary here: it is an image, described rather than shown in
    the agent profile. An unknown ``application/*`` type is binary when its value is a string
    that looks like base64 (which is how Jupyter carries binary data).
    """
    mime = mime.lower()
    if mime.startswith(BINARY_PREFIXES):
        return True
    if not mime.startswith("application/"):
        return False
    if mime in BINARY_APPLICATION_TYPES or mime.startswith("application/vnd.openxmlformats"):
        return True
    if mime in TEXT_APPLICATION_TYPES or "json" in mime or mime.endswith("+xml"):
        return False
    if isinstance(value, str) and len(value) >= 16:
        return _BASE64.fullmatch(value[:512]) is not None
    return False


def is_json_mime(mime: str) -> bool:
    """True for JSON types (``application/json``, ``application/*+json``)."""
    mime = mime.lower()
    return mime == "application/json" or mime.endswith("+json")


def text_length(value: Any) -> int:
    """Characters of a bundle value as text: ``len`` of a string, else its compact JSON."""
    if isinstance(value, str):
        return len(value)
    try:
        return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    except (TypeError, ValueError, RecursionError):
        return len(str(value))


def utf8_size(text: str) -> int:
    """Bytes of ``text`` encoded as UTF-8 (lone surrogates counted as they would be sent)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def value_bytes(value: Any) -> int:
    """Bytes a bundle value takes on the wire (UTF-8 of a string, compact JSON otherwise)."""
    if isinstance(value, str):
        return utf8_size(value)
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    try:
        return utf8_size(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    except (TypeError, ValueError, RecursionError):
        return utf8_size(str(value))


def best_text(data: Mapping[str, Any]) -> str | None:
    """The most readable text representation in a bundle: text/plain, else another text type."""
    value = data.get(PLAIN)
    if isinstance(value, str):
        return value
    for mime, value in data.items():
        if is_binary_mime(mime, value):
            continue
        if isinstance(value, str):
            return value
        if is_json_mime(mime):
            try:
                return json.dumps(value, ensure_ascii=False, indent=1, default=str)
            except (TypeError, ValueError, RecursionError):
                return str(value)
    return None
