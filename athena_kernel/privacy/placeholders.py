"""Values that stand in for a secret without being one (``***``, ``<token>``, ``${PASSWORD}``)."""

from __future__ import annotations

import re

from .wordlists import words as _words

_PLACEHOLDER_WORDS = _words(
    """
    none null nil undefined true false empty unset notset not_set redacted hidden masked
    secret password passwd token apikey api_key changeme xxx xxxx todo tbd placeholder
    example dummy sample value string str required optional default env
    """
)
_PLACEHOLDER = re.compile(
    r"^(?:[*xX.#•\-_?]+|<[^<>]{0,60}>|\$\{[^{}]{0,60}\}|\$[A-Z_][A-Z0-9_]{0,60}|%\([^)]{0,40}\)s"
    r"|\{\{?[^{}]{0,60}\}?\}|\[[A-Z_]{1,20}_(?:\d{1,9}|REDACTED)\]|your[_\-][\w\-]{0,40}"
    r"|[\w\-]{0,20}(?:_here|-here))$",
    re.IGNORECASE,
)


def is_placeholder(value: str) -> bool:
    """True for values that only stand in for a secret: masks, template variables, ``None``."""
    stripped = value.strip().strip("\"'")
    if not stripped:
        return True
    return stripped.lower() in _PLACEHOLDER_WORDS or _PLACEHOLDER.match(stripped) is not None
