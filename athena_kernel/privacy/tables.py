"""PERSON, ADDRESS and PHONE cells of tables whose header names such columns: CSV, TSV, ``;`` and
``|`` separated text (Markdown tables included) and ``DataFrame.to_string()`` layouts (a header
line of column names over aligned rows)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .entities import EntityType, Span
from .field_names import FieldKind, classify_field, field_words
from .keywords import COLUMN_WORDS
from .name_shapes import PERSON_HINT, looks_like_address, looks_like_person_name
from .phones import plausible_phone_cell
from .scan import TextView

_COLUMN_WORDS = frozenset(COLUMN_WORDS)
_LABEL = re.compile(r"^[A-Za-z_#][\w .#()/\-]{0,39}$")
_MARKDOWN_RULE = re.compile(r"[\s|:\-+=]+")
_DF_LABEL = re.compile(r"\S+(?: \S+)*")
_NOT_A_HEADER = re.compile(r"[\"']:|=|: |:$|[{}\[\]]")
_DELIMITERS = (",", "\t", "|", ";")
_PERSON_KINDS = (FieldKind.PERSON, FieldKind.PERSON_GENERIC)
_ADDRESS_KINDS = (FieldKind.ADDRESS, FieldKind.ADDRESS_GENERIC)
_COLUMN_KINDS = (*_PERSON_KINDS, *_ADDRESS_KINDS, FieldKind.PHONE)

Columns = dict[int, FieldKind]


def _lines_from(text: str, start: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line from the line starting at ``start`` on."""
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        yield start, end
        start = end + 1


def split_fields(text: str, start: int, end: int, delim: str) -> list[tuple[int, int]]:
    """(start, end) of each field of the delimited line ``text[start:end]``, whitespace and
    surrounding double quotes removed; a quoted field may contain the delimiter."""
    fields: list[tuple[int, int]] = []
    i = start
    while True:
        j = i
        while j < end and text[j] in " \t" and text[j] != delim:
            j += 1
        if j < end and text[j] == '"':
            close = j + 1
            while close < end:
                if text[close] == '"':
                    if close + 1 < end and text[close + 1] == '"':
                        close += 2
                        continue
                    break
                close += 1
            fields.append((j + 1, min(close, end)))
            k = text.find(delim, close, end) if close < end else -1
        else:
            k = text.find(delim, i, end)
            stop = end if k < 0 else k
            a, b = i, stop
            while a < b and text[a] in " \t\r":
                a += 1
            while b > a and text[b - 1] in " \t\r":
                b -= 1
            fields.append((a, b))
        if k < 0:
            return fields
        i = k + 1


def _classify_header(labels: list[str]) -> tuple[Columns, bool] | None:
    """Person/address columns of a header, and whether the header carries a person hint."""
    columns: Columns = {}
    for index, label in enumerate(labels):
        if not label:
            continue
        if not _LABEL.match(label):
            return None
        kind = classify_field(label)
        if kind in _COLUMN_KINDS:
            columns[index] = kind  # type: ignore[assignment]
    if not columns:
        return None
    hint = any(
        PERSON_HINT.search(label.lower().encode("latin-1", "replace"))
        and field_words(label) != ("name",)
        for label in labels
        if label
    )
    return columns, hint


def _cell_span(
    text: str, a: int, b: int, kind: FieldKind, hint: bool, label: str, rule: str
) -> Span | None:
    value = text[a:b]
    if not value.strip():
        return None
    if kind is FieldKind.PHONE:
        if plausible_phone_cell(value):
            return Span(a, b, EntityType.PHONE, rule)
        return None
    if kind is FieldKind.PERSON:
        ok = looks_like_person_name(value, strict=False)
    elif kind is FieldKind.PERSON_GENERIC:
        needs_hint = field_words(label) == ("name",)
        ok = looks_like_person_name(value, strict=True) and (hint or not needs_hint)
    else:
        ok = looks_like_address(value, strict=kind is FieldKind.ADDRESS_GENERIC)
    if not ok:
        return None
    etype = EntityType.PERSON if kind in _PERSON_KINDS else EntityType.ADDRESS
    return Span(a, b, etype, rule)


def _delimited_table(text: str, line: tuple[int, int]) -> tuple[list[Span], int] | None:
    """Spans of a delimited table whose header is ``line``; and where the table ends."""
    start, end = line
    for delim in _DELIMITERS:
        if text.count(delim, start, end) < 1:
            continue
        header = split_fields(text, start, end, delim)
        labels = [text[a:b] for a, b in header]
        edge = delim == "|" and labels and not labels[0] and not labels[-1]
        if len(labels) - (2 if edge else 0) < 2:
            continue
        got = _classify_header(labels)
        if got is None:
            continue
        columns, hint = got
        spans: list[Span] = []
        table_end = end
        rows = 0
        for row_start, row_end in _lines_from(text, end + 1):
            if row_start == row_end or not text[row_start:row_end].strip():
                break
            if _MARKDOWN_RULE.fullmatch(text, row_start, row_end) and rows == 0:
                table_end = row_end
                continue
            fields = split_fields(text, row_start, row_end, delim)
            if len(fields) != len(header):
                break
            rows += 1
            table_end = row_end
            for index, kind in columns.items():
                a, b = fields[index]
                span = _cell_span(text, a, b, kind, hint, labels[index], "table.delimited")
                if span:
                    spans.append(span)
        if rows:
            return spans, table_end
    return None


def _frame_table(text: str, line: tuple[int, int]) -> tuple[list[Span], int] | None:
    """Spans of a ``DataFrame.to_string()``-style table whose header is ``line``."""
    start, end = line
    labels = [(m.start(), m.end(), m.group()) for m in _DF_LABEL.finditer(text, start, end)]
    if len(labels) < 2 or any(
        text[a - 1 : a] not in ("", "\n") and text[a - 2 : a] != "  " for a, _, _ in labels[1:]
    ):
        return None  # columns are at least two spaces apart
    got = _classify_header([label for _, _, label in labels])
    if got is None:
        return None
    columns, hint = got
    spans: list[Span] = []
    table_end = end
    rows = 0
    for row_start, row_end in _lines_from(text, end + 1):
        row = text[row_start:row_end]
        if not row.strip() or row.startswith("[") or len(row) < labels[0][0] - start:
            break
        rows += 1
        table_end = row_end
        for index, kind in columns.items():
            a, b, label = labels[index]
            prev_end = labels[index - 1][1] - start if index else 0
            cell = _aligned_cell(row, a - start, b - start, prev_end)
            if cell is None:
                continue
            span = _cell_span(
                text, row_start + cell[0], row_start + cell[1], kind, hint, label, "table.frame"
            )
            if span:
                spans.append(span)
    return (spans, table_end) if rows else None


def _aligned_cell(
    row: str, label_start: int, label_end: int, prev_end: int
) -> tuple[int, int] | None:
    """Cell under a column label: right-aligned to the label's end (pandas' default), else
    left-aligned to its start."""
    n = len(row)
    if (
        0 < label_end <= n
        and row[label_end - 1] != " "
        and (label_end == n or row[label_end] == " ")
    ):
        gap = row.rfind("  ", prev_end, label_end)
        a = gap + 2 if gap >= 0 else prev_end
        while a < label_end and row[a] == " ":
            a += 1
        return a, label_end
    if (
        label_start < n
        and row[label_start] != " "
        and (label_start == 0 or row[label_start - 1] == " ")
    ):
        stop = row.find("  ", label_start)
        b = n if stop < 0 else stop
        return label_start, b
    return None


def detect_tables(view: TextView) -> list[Span]:
    """PERSON/ADDRESS/PHONE cells of delimited and aligned tables (see the module docstring)."""
    text = view.text
    if "\n" not in text:
        return []
    spans: list[Span] = []
    done = -1
    for pos, _ in view.find_all(_COLUMN_WORDS):
        if pos <= done:
            continue
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        if line_end < 0:
            return spans  # a header needs rows below it
        done = line_end
        if _NOT_A_HEADER.search(text, line_start, line_end):
            continue  # "name": ..., name=..., Name: ...: a field, not a column header
        line = (line_start, line_end)
        found = _delimited_table(text, line) or _frame_table(text, line)
        if found:
            spans.extend(found[0])
            done = found[1]
        else:
            done = line_end
    return spans
