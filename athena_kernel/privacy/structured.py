"""PERSON and ADDRESS values given away by the field they sit in: JSON and Python-repr keys
(``"name": "Alice Smith"``, ``{'customer_name': ...}``), ``key=value`` log fields
(``customer_name=Alice``, ``name='Alice Smith'``), ``Label: value`` lines (``Name: Alice
Smith``, ``Address: 1 Main St, Springfield``) and e-mail headers (``From: Alice Smith
<alice@example.com>``, also as dict keys).

Only the value becomes a span. Field names are classified by :mod:`.field_names`; generic
fields (``name``) also need a name-shaped value and a person hint nearby (``email``, ``phone``,
``age``...), so ``{"name": "Super Widget", "price": 9}`` is left alone.
"""

from __future__ import annotations

import re

from .entities import EntityType, Span
from .field_names import FieldKind
from .field_values import bare_value, line_value, quoted_value, skip_blanks
from .mail_headers import display_names
from .name_shapes import looks_like_address, looks_like_person_name, person_hint_in_record
from .scan import Field, TextView

# "First Name: ..." at the start of a line: a label may contain spaces
_LABEL_PREFIX = re.compile(r"(?:^|\n)[ \t]{0,8}((?:[A-Za-z]{1,20}[ \t]){1,3})\Z")
_KEY_OPENERS = frozenset(" \t\r\n{,([|;&?\"'")
_NAME_AND_ADDRESS = re.compile(r"(.{1,100}?)[ \t]*<[^<>\s@]{1,64}@[^<>\s]{1,255}>")
_LINE_CUT = re.compile(r"\t| {2,}|[,;|]")
_STRUCTURAL_KINDS = frozenset(
    (FieldKind.PERSON, FieldKind.PERSON_GENERIC, FieldKind.ADDRESS, FieldKind.ADDRESS_GENERIC,
     FieldKind.MAIL_HEADER)
)  # fmt: skip
_ADDRESS_KINDS = (FieldKind.ADDRESS, FieldKind.ADDRESS_GENERIC)


def _key_span(text: str, field: Field) -> tuple[int, int] | None:
    """(start, end) of the whole key, or None if the match is not really a key."""
    start, end = field.key_start, field.key_end
    if field.quote:
        return (start, end) if start and text[start - 1] == field.quote else None
    if start and text[start - 1] not in _KEY_OPENERS:
        return None
    if field.sep == ":" and start and text[start - 1] in " \t":
        label = _LABEL_PREFIX.search(text, max(0, start - 64), start)
        if label:
            return label.start(1), end
    return start, end


def _value(text: str, field: Field) -> tuple[int, int] | None:
    pos = skip_blanks(text, field.end)
    if pos >= len(text):
        return None
    ch = text[pos]
    if field.kind is FieldKind.MAIL_HEADER and not field.quote and field.sep == ":":
        return line_value(text, pos)  # From: "Smith, Alice" <alice@example.com>, ...
    if ch in "\"'":
        return quoted_value(text, pos, max_len=300)
    if ch in "{[(<\n\r":
        return None  # a nested structure (its own keys are examined), or a value on another line
    if field.sep == ":" and not field.quote:
        span = line_value(text, pos)  # "Name: Alice Smith" runs to the end of the line
        if span and field.kind not in _ADDRESS_KINDS and field.kind is not FieldKind.MAIL_HEADER:
            cut = _LINE_CUT.search(text, span[0], span[1])
            if cut:
                span = (span[0], cut.start())
        return span
    return bare_value(text, pos)


def detect_structured(view: TextView) -> list[Span]:
    """PERSON/ADDRESS values of person, address and mail-header fields."""
    text = view.text
    spans: list[Span] = []
    for field in view.fields:
        if field.kind not in _STRUCTURAL_KINDS:
            continue
        key = _key_span(text, field)
        if key is None:
            continue
        got = _value(text, field)
        if got is None:
            continue
        vstart, vend = got
        value = text[vstart:vend]
        stripped = value.strip()
        if not stripped:
            continue
        vstart += len(value) - len(value.lstrip())
        vend = vstart + len(stripped)
        if field.kind is FieldKind.MAIL_HEADER:
            if "@" in stripped:
                spans.extend(display_names(text, vstart, vend))
            continue
        span = _classify_value(view, field.kind, key, vstart, vend, stripped)
        if span is not None:
            spans.append(span)
    return spans


def _classify_value(
    view: TextView, kind: FieldKind, key: tuple[int, int], vstart: int, vend: int, value: str
) -> Span | None:
    text = view.text
    if kind is FieldKind.PERSON or kind is FieldKind.PERSON_GENERIC:
        both = "<" in value and _NAME_AND_ADDRESS.fullmatch(value)  # "Alice <alice@x.com>"
        if both:
            name = both.group(1).strip().strip('"')
            start = text.find(name, vstart, vend)
            if start < 0 or not looks_like_person_name(name, strict=True):
                return None
            return Span(start, start + len(name), EntityType.PERSON, "person.field")
        if kind is FieldKind.PERSON:
            if looks_like_person_name(value, strict=False):
                return Span(vstart, vend, EntityType.PERSON, "person.field")
            return None
        if not looks_like_person_name(value, strict=True):
            return None
        if text[key[0] : key[1]].lower() == "name" and not person_hint_in_record(
            view.lower, key[0], vend
        ):
            return None
        return Span(vstart, vend, EntityType.PERSON, "person.generic_field")
    if not any(ch.isdigit() for ch in value) and looks_like_person_name(value, strict=True):
        return None  # "Billing address: Sara Schwarz" (the address follows on the next lines)
    if looks_like_address(value, strict=kind is FieldKind.ADDRESS_GENERIC):
        return Span(vstart, vend, EntityType.ADDRESS, "address.field")
    return None
