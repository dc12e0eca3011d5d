"""Parse Google-style docstrings (summary, Args, Returns, Raises, Example) for ``%apis``."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Returns|Return|Yields|Raises|Example|Examples|Note|Notes)"
    r":\s*$"
)
_ITEM = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")


@dataclass
class ParsedDoc:
    """The parts of a docstring ``%apis`` shows."""

    summary: str = ""
    description: str = ""
    args: dict[str, str] = field(default_factory=dict)
    returns: str = ""
    raises: list[tuple[str, str]] = field(default_factory=list)
    example: str = ""


def parse_docstring(doc: str | None) -> ParsedDoc:
    """Split a Google-style docstring into summary, description and sections."""
    text = inspect.cleandoc(doc or "")
    if not text:
        return ParsedDoc()
    lines = text.splitlines()
    parsed = ParsedDoc()
    body: list[str] = []
    section: str | None = None
    sections: dict[str, list[str]] = {}
    for line in lines:
        match = _SECTION.match(line.strip()) if not line.startswith((" ", "\t")) else None
        if match:
            section = match.group(1)
            sections.setdefault(section, [])
            continue
        if section is None:
            body.append(line)
        else:
            sections[section].append(line)
    paragraphs = "\n".join(body).strip().split("\n\n")
    parsed.summary = " ".join(paragraphs[0].split()) if paragraphs else ""
    parsed.description = "\n\n".join(p.strip() for p in paragraphs[1:] if p.strip())
    for name in ("Args", "Arguments", "Parameters"):
        if name in sections:
            parsed.args.update(_items(sections[name]))
    for name in ("Returns", "Return", "Yields"):
        if name in sections:
            parsed.returns = " ".join(" ".join(sections[name]).split())
    if "Raises" in sections:
        parsed.raises = list(_items(sections["Raises"]).items())
    for name in ("Example", "Examples"):
        if name in sections:
            parsed.example = inspect.cleandoc("\n".join(sections[name]))
    return parsed


def _items(lines: list[str]) -> dict[str, str]:
    """``name (type): text`` items with indented continuation lines."""
    items: dict[str, str] = {}
    current: str | None = None
    base_indent: int | None = None
    for raw in lines:
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip())
        if base_indent is None:
            base_indent = indent
        match = _ITEM.match(raw.strip()) if indent <= base_indent else None
        if match:
            current = match.group(1).lstrip("*")
            items[current] = match.group(3).strip()
        elif current is not None:
            items[current] = (items[current] + " " + raw.strip()).strip()
    return items
