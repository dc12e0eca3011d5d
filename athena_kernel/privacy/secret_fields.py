"""Secrets recognised by the name they are assigned to: ``password=...``, ``"api_key": "..."``,
``AWS_SECRET_ACCESS_KEY=...``, ``X-Api-Key: ...``, ``--token ...``.

A password field's value counts if it is not a placeholder and has 4+ characters; any other
secret field's value must also look random: 8+ characters, at most two words, at least 2
character classes (or 20+ characters) and at least :data:`ENTROPY_FLOOR` bits of Shannon entropy
per character. Code such
as ``token = os.environ["TOKEN"]`` or ``password = getpass()`` is not a value.
"""

from __future__ import annotations

import re

from .checksums import char_classes, shannon_entropy
from .entities import EntityType, Span
from .field_names import FieldKind, classify_field
from .field_values import bare_value, quoted_value, skip_blanks
from .placeholders import is_placeholder
from .scan import TextView

#: Minimum Shannon entropy (bits per character) of a non-password secret field's value.
ENTROPY_FLOOR = 2.5

_CLI_FLAG = re.compile(rb"--(?<![\w\-]--)([A-Za-z0-9][A-Za-z0-9\-]{0,40})(?:=|[ \t]+)(?![\-\s])")
_CODE_AFTER = re.compile(r"[ \t]*[(\[{]")
_SCHEME = re.compile(r"(?i)(?:bearer|basic|token|digest|negotiate|apikey|api-key|key)[ \t]+(?=\S)")
_IDENTIFIER_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def acceptable_secret(kind: FieldKind, value: str, key: str) -> bool:
    """Does ``value``, assigned to a field ``key`` of ``kind``, count as a secret?"""
    if is_placeholder(value) or (value.startswith("[") and value.endswith("]")):
        return False
    if kind is FieldKind.PASSWORD:
        if value.isdigit() and key.lower() == "pass":
            return False  # "pass=12 fail=0": a test count
        return len(value) >= 4 and len(set(value)) > 1
    if len(value) < 8:
        return False
    if len(value.split()) >= 3:
        return False  # three or more words: prose or code (a signature, a sentence), not a key
    if char_classes(value) < 2 and len(value) < 20:
        return False
    return shannon_entropy(value) >= ENTROPY_FLOOR


def _value_span(text: str, pos: int) -> tuple[int, int, bool] | None:
    """The value after a separator: (start, end, quoted)."""
    pos = skip_blanks(text, pos)
    if pos >= len(text):
        return None
    if text[pos] in "\"'`":
        span = quoted_value(text, pos)
        return (span[0], span[1], True) if span else None
    span = bare_value(text, pos)
    return (span[0], span[1], False) if span else None


def _is_code(text: str, end: int, value: str) -> bool:
    """``os.environ["X"]``, ``getpass()``, ``settings.API_KEY``: an expression, not a value."""
    return _CODE_AFTER.match(text, end) is not None or _IDENTIFIER_PATH.fullmatch(value) is not None


def detect_secret_fields(view: TextView) -> list[Span]:
    """Values of fields whose name says they are secrets (see the module docstring)."""
    text = view.text
    spans: list[Span] = []
    for field in view.fields:
        if field.kind is not FieldKind.PASSWORD and field.kind is not FieldKind.SECRET:
            continue
        if field.quote and (field.key_start == 0 or text[field.key_start - 1] != field.quote):
            continue
        got = _value_span(text, field.end)
        if got is None:
            continue
        vstart, vend, quoted = got
        scheme = _SCHEME.match(text, vstart, vend) if quoted else None
        if scheme:  # 'authorization': 'Token 9f8e...': the credential is after the scheme
            vstart = scheme.end()
        value = text[vstart:vend]
        if not quoted and _is_code(text, vend, value):
            continue
        key = text[field.key_start : field.key_end]
        if acceptable_secret(field.kind, value, key):
            rule = f"secret.field.{field.kind.value}"
            spans.append(Span(vstart, vend, EntityType.SECRET, rule))
    if b"--" in view.raw:
        for m in _CLI_FLAG.finditer(view.raw):
            kind = classify_field(m.group(1).decode("ascii"))
            if kind is not FieldKind.PASSWORD and kind is not FieldKind.SECRET:
                continue
            got = _value_span(text, m.end())
            if got is None:
                continue
            vstart, vend, _ = got
            if acceptable_secret(kind, text[vstart:vend], m.group(1).decode("ascii")):
                spans.append(Span(vstart, vend, EntityType.SECRET, "secret.cli_flag"))
    return spans
