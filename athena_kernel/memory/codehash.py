"""How procedure code is normalised and hashed (shared by the store and exported files)."""

from __future__ import annotations

import hashlib


def normalise_code(code: str) -> str:
    """Code with trailing whitespace removed from every line and from the end."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines()).rstrip() + "\n"


def code_hash(code: str) -> str:
    """SHA-256 (hex, first 16 chars) of normalised code."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()[:16]
