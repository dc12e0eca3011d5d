"""The API catalogue behind ``%apis``, built by introspecting the real objects.

Nothing here is written by hand: namespaces are the public layer objects found on ``memory``,
functions are their public methods (signature, resolved type hints, docstring sections, the
fields of pydantic return models), saved procedures come from the store, magics from their
``Magics`` classes. So the catalogue cannot drift from the code.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .docstrings import parse_docstring

_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")
#: At most this many models are described for one return type (``memory.get`` returns 7).
MAX_RETURN_MODELS = 10


@dataclass
class Param:
    """One parameter of an API function."""

    name: str
    annotation: str = ""
    default: str | None = None  #: repr of the default; None when required
    kind: str = "positional or keyword"
    description: str = ""

    @property
    def required(self) -> bool:
        """True when the caller must pass it."""
        return self.default is None and self.kind not in ("*args", "**kwargs")


@dataclass
class ApiFunction:
    """One callable API: a memory method, a saved procedure, a magic."""

    path: str  #: e.g. ``memory.graph.relate``
    name: str
    signature: str  #: ``relate(source: str, ...) -> Relation``
    summary: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    returns: str = ""  #: the return type
    returns_doc: str = ""
    return_fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    raises: list[tuple[str, str]] = field(default_factory=list)
    example: str = ""
    kind: str = "function"  #: function | procedure | magic

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``--json``)."""
        data = asdict(self)
        data["return_fields"] = {
            model: [{"name": n, "type": t} for n, t in fields]
            for model, fields in self.return_fields.items()
        }
        data["raises"] = [{"type": t, "when": w} for t, w in self.raises]
        return data


@dataclass
class ApiNamespace:
    """A group of functions: ``memory.graph``, ``procedures``, ``magics`` …"""

    path: str
    summary: str
    functions: list[ApiFunction] = field(default_factory=list)

    def to_dict(self, *, detail: bool = False) -> dict[str, Any]:
        """Plain data; with ``detail`` every function in full."""
        data: dict[str, Any] = {"path": self.path, "summary": self.summary}
        if detail:
            data["functions"] = [f.to_dict() for f in self.functions]
        else:
            data["functions"] = [{"name": f.name, "summary": f.summary} for f in self.functions]
        return data


@dataclass
class Catalog:
    """Every namespace the agent can discover, in display order."""

    namespaces: list[ApiNamespace]

    def namespace(self, path: str) -> ApiNamespace | None:
        """The namespace at ``path``, if any."""
        return next((ns for ns in self.namespaces if ns.path == path), None)

    def function(self, path: str) -> ApiFunction | None:
        """The function at ``path`` (``memory.graph.relate``), if any."""
        parent, _, _ = path.rpartition(".")
        ns = self.namespace(parent)
        if ns is None:
            return None
        return next((f for f in ns.functions if f.path == path), None)

    def functions(self) -> Iterable[ApiFunction]:
        """Every function of every namespace."""
        for ns in self.namespaces:
            yield from ns.functions

    def paths(self) -> list[str]:
        """Every namespace and function path (for suggestions)."""
        return [p for ns in self.namespaces for p in (ns.path, *(f.path for f in ns.functions))]


# --------------------------------------------------------------------------- introspection
def public_methods(obj: Any) -> list[tuple[str, Callable[..., Any]]]:
    """The public methods defined on ``obj``'s class (not inherited from ``object``)."""
    methods = []
    for name, member in inspect.getmembers(type(obj)):
        if name.startswith("_") or not (inspect.isfunction(member) or inspect.ismethod(member)):
            continue
        if name in ("close",):  # lifecycle, not part of the agent-facing API
            continue
        methods.append((name, getattr(obj, name)))
    return methods


def layer_attributes(obj: Any) -> list[tuple[str, Any]]:
    """Public instance attributes of ``obj`` that are themselves API namespaces (layers)."""
    found = []
    for name, value in getattr(obj, "__dict__", {}).items():  # definition order
        if name.startswith("_") or callable(value) or isinstance(value, (str, int, float)):
            continue
        if public_methods(value):
            found.append((name, value))
    return found


def describe_namespace(path: str, obj: Any) -> list[ApiNamespace]:
    """``obj`` as a namespace, followed by its layer namespaces (``memory.events`` …)."""
    summary = plain(parse_docstring(type(obj).__doc__).summary)
    ns = ApiNamespace(
        path, summary, [describe_function(f"{path}.{n}", m) for n, m in public_methods(obj)]
    )
    result = [ns]
    for name, value in layer_attributes(obj):
        result.extend(describe_namespace(f"{path}.{name}", value))
    return result


def describe_function(
    path: str, func: Callable[..., Any], *, kind: str = "function"
) -> ApiFunction:
    """An :class:`ApiFunction` from a real callable (signature, hints, docstring, models)."""
    name = path.rpartition(".")[2]
    doc = parse_docstring(inspect.getdoc(func))
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        sig = None
    hints = _type_hints(func)
    params: list[Param] = []
    if sig is not None:
        for p in sig.parameters.values():
            if p.name == "self":
                continue
            ann = hints.get(p.name, p.annotation)
            params.append(
                Param(
                    name=p.name,
                    annotation="" if ann is inspect.Parameter.empty else format_type(ann),
                    default=None if p.default is inspect.Parameter.empty else repr(p.default),
                    kind=_kind(p),
                    description=doc.args.get(p.name, ""),
                )
            )
    ret = hints.get("return", sig.return_annotation if sig is not None else inspect.Parameter.empty)
    returns = "" if ret is inspect.Parameter.empty else format_type(ret)
    return ApiFunction(
        path=path,
        name=name,
        signature=render_signature(name, params, returns),
        summary=plain(doc.summary),
        description=plain(doc.description),
        params=params,
        returns=returns,
        returns_doc=doc.returns,
        return_fields=model_fields(ret),
        raises=doc.raises,
        example=doc.example,
        kind=kind,
    )


def plain(text: str) -> str:
    """Docstring markup made plain: ````code```` -> ```code```."""
    return text.replace("``", "`")


def _kind(p: inspect.Parameter) -> str:
    return {
        inspect.Parameter.POSITIONAL_ONLY: "positional",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional or keyword",
        inspect.Parameter.KEYWORD_ONLY: "keyword",
        inspect.Parameter.VAR_POSITIONAL: "*args",
        inspect.Parameter.VAR_KEYWORD: "**kwargs",
    }[p.kind]


def _type_hints(func: Callable[..., Any]) -> dict[str, Any]:
    target = getattr(func, "__func__", func)
    try:
        return typing.get_type_hints(target)
    except Exception:
        return {}


def format_type(annotation: Any) -> str:
    """A short, readable type: ``list[Hit]``, ``str | None`` (module paths dropped)."""
    if isinstance(annotation, str):
        text = annotation
    elif isinstance(annotation, type) and not typing.get_args(annotation):
        text = annotation.__name__
    else:
        text = inspect.formatannotation(annotation)
    text = text.replace("typing.", "").replace("NoneType", "None")
    return _QUALIFIED.sub(r"\1", text)


def render_signature(name: str, params: list[Param], returns: str) -> str:
    """``name(a: int, *, b: str = 'x') -> T`` from :class:`Param` records."""
    parts: list[str] = []
    star_done = False
    for p in params:
        if p.kind == "keyword" and not star_done:
            parts.append("*")
            star_done = True
        if p.kind == "*args":
            star_done = True
            parts.append(f"*{p.name}")
            continue
        if p.kind == "**kwargs":
            parts.append(f"**{p.name}")
            continue
        text = p.name + (f": {p.annotation}" if p.annotation else "")
        if p.default is not None:
            text += f" = {p.default}" if p.annotation else f"={p.default}"
        parts.append(text)
    arrow = f" -> {returns}" if returns else ""
    return f"{name}({', '.join(parts)}){arrow}"


def model_fields(annotation: Any) -> dict[str, list[tuple[str, str]]]:
    """Fields of every pydantic model a return annotation reaches, in reading order.

    ``list[Plan]`` gives Plan's fields and then PlanStep's (a model used by one of Plan's
    fields), so an agent sees the whole shape of what it gets back; each model appears once.
    """
    found: dict[str, list[tuple[str, str]]] = {}
    queue = _models_in(annotation, depth=0)
    seen: list[type] = []
    while queue and len(seen) < MAX_RETURN_MODELS:
        model = queue.pop(0)
        if model in seen:
            continue
        seen.append(model)
        fields = getattr(model, "model_fields", {})
        found[model.__name__] = [(n, format_type(f.annotation)) for n, f in fields.items()]
        for f in fields.values():
            queue.extend(m for m in _models_in(f.annotation, depth=0) if m not in seen)
    return found


def _models_in(annotation: Any, depth: int) -> list[type]:
    if depth > 4:
        return []
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return [annotation]
    models: list[type] = []
    for arg in typing.get_args(annotation):
        for model in _models_in(arg, depth + 1):
            if model not in models:
                models.append(model)
    return models


# --------------------------------------------------------------------------- magics
def describe_magic(name: str, kind: str, method: Callable[..., Any]) -> ApiFunction:
    """An :class:`ApiFunction` for a magic, from its docstring.

    The docstring's paragraph that starts with ``%`` is the usage (the signature shown); a
    first line written as ``%name args — what it does`` gives both usage and summary.
    """
    doc = inspect.getdoc(method) or ""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc) if p.strip()]
    usage, summary, rest = "", "", []
    for i, para in enumerate(paragraphs):
        if not usage and para.startswith("%"):
            head, sep, tail = para.partition(" — ")
            if i == 0 and sep:
                usage, summary = head, tail[:1].upper() + tail[1:]
            else:
                usage = para
        elif not summary and i == 0:
            summary = para
        else:
            rest.append(para)
    prefix = "%%" if kind == "cell" else "%"
    return ApiFunction(
        path=f"magics.{name}",
        name=f"%{name}",
        signature=usage or f"{prefix}{name}",
        summary=plain(summary),
        description=plain("\n\n".join(rest)),
        kind="magic",
    )
