"""Render the catalogue at each level: compact plain text (agents), Markdown (people), JSON."""

from __future__ import annotations

from typing import Any

from .catalog import ApiFunction, ApiNamespace, Catalog
from .search import Match

#: The top level stays around this size however many APIs exist.
TOP_LEVEL_CHARS = 1000
HINT = 'drill in: %apis NAME · details: %apis NAME.FUNC · search: %apis --search "words"'


def _short(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` chars."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# --------------------------------------------------------------------------- plain text
def top_text(catalog: Catalog) -> str:
    """Level 0: the namespaces, one line each with a count (about 1,000 chars at most)."""
    count = sum(len(ns.functions) for ns in catalog.namespaces)
    lines = [f"{len(catalog.namespaces)} namespaces, {count} functions — {HINT}"]
    width = max((len(f"{ns.path} ({len(ns.functions)})") for ns in catalog.namespaces), default=0)
    budget = TOP_LEVEL_CHARS - len(lines[0])
    for shown, ns in enumerate(catalog.namespaces):
        head = f"{ns.path} ({len(ns.functions)})".ljust(width)
        line = f"{head}  {_short(ns.summary, 56)}"
        if budget - len(line) - 1 < 60 and shown < len(catalog.namespaces) - 1:
            rest = [n.path for n in catalog.namespaces[shown:]]
            lines.append(f"… {len(rest)} more: {_short(', '.join(rest), 120)}")
            break
        lines.append(line)
        budget -= len(line) + 1
    return "\n".join(lines)


def namespace_text(ns: ApiNamespace) -> str:
    """Level 1: each function's name, parameters and first docstring line."""
    lines = [f"{ns.path} — {ns.summary}" if ns.summary else ns.path]
    if not ns.functions:
        lines.append("  (nothing here yet)")
    for f in ns.functions:
        lines.append(f"  {_compact_call(f)}  {_short(f.summary, 90)}")
    if ns.functions:
        lines.append(f"details: %apis {ns.functions[0].path}")
    return "\n".join(lines)


def _compact_call(f: ApiFunction) -> str:
    """``name(required, …)`` for a function; a magic's name (its usage is one level down)."""
    if f.kind == "magic":
        return f.name
    shown = [p.name for p in f.params if p.required]
    if any(not p.required for p in f.params):
        shown.append("…")
    return f"{f.name}({', '.join(shown)})"


def function_text(f: ApiFunction) -> str:
    """Level 2: full signature, every parameter, return model fields, errors, example."""
    prefix = f.path.rpartition(".")[0]
    head = f.signature if f.kind == "magic" else f"{prefix}.{f.signature}"
    lines = [head, f.summary]
    if f.description:
        lines.append(f.description)
    if f.params:
        lines.append("parameters:")
        for p in f.params:
            ann = p.annotation or "any"
            need = "required" if p.required else f"default {p.default}"
            if p.kind in ("*args", "**kwargs"):
                need = p.kind
            text = f"  {p.name} ({ann}, {need})"
            lines.append(f"{text}: {p.description}" if p.description else text)
    if f.returns or f.returns_doc:
        lines.append(
            f"returns: {f.returns or '?'}" + (f" — {f.returns_doc}" if f.returns_doc else "")
        )
        for model, fields in f.return_fields.items():
            lines.append(f"  {model}: " + ", ".join(f"{n}: {t}" for n, t in fields))
    if f.raises:
        lines.append("raises:")
        lines.extend(f"  {t}: {w}" for t, w in f.raises)
    if f.example:
        lines.append("example:")
        lines.extend("  " + line for line in f.example.splitlines())
    return "\n".join(line for line in lines if line is not None)


def search_text(query: str, matches: list[Match]) -> str:
    """Ranked matches for a search, one line each."""
    if not matches:
        return f"no API matches {query!r} — try other words, or %apis to browse"
    lines = [f"{len(matches)} matches for {query!r} (details: %apis PATH):"]
    for m in matches:
        lines.append(f"  {m.function.path}  {_short(m.function.summary, 80)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- markdown
def top_markdown(catalog: Catalog) -> str:
    """Level 0 as Markdown."""
    rows = ["| namespace | functions | what it is |", "|---|---|---|"]
    rows += [f"| `{ns.path}` | {len(ns.functions)} | {ns.summary} |" for ns in catalog.namespaces]
    return "\n".join([f"**Athena APIs** — {HINT}", "", *rows])


def namespace_markdown(ns: ApiNamespace) -> str:
    """Level 1 as Markdown."""
    rows = [f"### `{ns.path}`", "", ns.summary, ""]
    rows += [f"- `{_compact_call(f)}` — {f.summary}" for f in ns.functions]
    return "\n".join(rows)


def function_markdown(f: ApiFunction) -> str:
    """Level 2 as Markdown."""
    prefix = f.path.rpartition(".")[0]
    head = f.signature if f.kind == "magic" else f"{prefix}.{f.signature}"
    rows = [f"```python\n{head}\n```", "", f.summary]
    if f.description:
        rows += ["", f.description]
    if f.params:
        rows += ["", "| parameter | type | default | meaning |", "|---|---|---|---|"]
        for p in f.params:
            default = "required" if p.required else f"`{p.default}`"
            rows.append(f"| `{p.name}` | `{p.annotation or 'any'}` | {default} | {p.description} |")
    if f.returns:
        rows += ["", f"**Returns** `{f.returns}` {f.returns_doc}".rstrip()]
        for model, fields in f.return_fields.items():
            rows.append(f"- `{model}`: " + ", ".join(f"`{n}: {t}`" for n, t in fields))
    if f.raises:
        rows += ["", "**Raises**"] + [f"- `{t}`: {w}" for t, w in f.raises]
    if f.example:
        rows += ["", "**Example**", "```python", f.example, "```"]
    return "\n".join(rows)


def search_markdown(query: str, matches: list[Match]) -> str:
    """Search results as Markdown."""
    if not matches:
        return f"No API matches *{query}*."
    return "\n".join(
        [f"**Matches for** *{query}*", ""]
        + [f"- `{m.function.path}` — {m.function.summary}" for m in matches]
    )


# --------------------------------------------------------------------------- json
def top_json(catalog: Catalog) -> dict[str, Any]:
    """Level 0 as plain data."""
    return {
        "level": "top",
        "namespaces": [
            {"path": ns.path, "count": len(ns.functions), "summary": ns.summary}
            for ns in catalog.namespaces
        ],
    }


def search_json(query: str, matches: list[Match]) -> dict[str, Any]:
    """Search results as plain data."""
    return {
        "level": "search",
        "query": query,
        "matches": [
            {"path": m.function.path, "summary": m.function.summary, "score": round(m.score, 3)}
            for m in matches
        ],
    }
