"""``apis`` (bound for user code) and the browser behind ``%apis``: progressive disclosure.

``apis()`` → namespaces; ``apis("memory.graph")`` → its functions; ``apis("memory.graph.relate")``
→ everything about one function; ``apis(search="time range")`` → ranked matches.
"""

from __future__ import annotations

import difflib
import inspect
import re
from typing import Any

from . import render
from .catalog import (
    ApiFunction,
    ApiNamespace,
    Catalog,
    describe_function,
    describe_magic,
    describe_namespace,
)
from .search import search as search_catalog

_PATH = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*\Z")
#: Paths the browser fills itself (``register`` cannot take them over).
RESERVED = ("memory", "procedures", "magics")

PROCEDURES_SUMMARY = "Saved procedures: call procedures.NAME(...); manage them with %procedure."


class ApiListing:
    """One ``apis(...)`` answer: ``.text`` (what an agent reads), ``.markdown``, ``.data``."""

    def __init__(self, text: str, markdown: str, data: dict[str, Any], rich: bool) -> None:
        self.text = text
        self.markdown = markdown
        self.data = data
        self._rich = rich

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str | None:
        return self.markdown if self._rich else None


class ApiBrowser:
    """Builds the catalogue from the live objects and answers the three levels and search."""

    def __init__(
        self,
        memory: Any,
        *,
        magics: list[type] | None = None,
        procedures: Any = None,
        rich: bool = False,
    ) -> None:
        self._memory = memory
        self._magics = list(magics or [])
        self._procedures = procedures
        self.rich = rich
        self._registered: list[tuple[str, Any, str | None]] = []
        self._static: list[ApiNamespace] | None = None

    # ------------------------------------------------------------------ registration
    def register(self, path: str, obj: Any, *, summary: str | None = None) -> None:
        """Add an API bound later to the catalogue, introspected like ``memory``.

        An object with public methods becomes the namespace ``path`` (its public layer
        attributes become sub-namespaces); a function becomes the entry ``path`` of the
        namespace named by everything before its last dot (created if needed, with
        ``summary``). Registering a path again replaces it.

        Example: ``browser.register("kb", knowledge_base)``
        """
        if not isinstance(path, str) or not _PATH.match(path):
            raise ValueError(
                f"register: path {path!r} must be dotted public names such as 'kb' or "
                "'tools.fetch' (letters, digits, underscores; no leading underscore)"
            )
        if path.split(".")[0] in RESERVED:
            raise ValueError(
                f"register: path {path!r} is inside {path.split('.')[0]!r}, which %apis "
                "builds itself; choose another top-level name"
            )
        if inspect.isroutine(obj):
            if "." not in path:
                raise ValueError(
                    f"register: a function needs a namespace in its path, e.g. 'tools.{path}'"
                )
        elif not describe_namespace(path, obj)[0].functions:
            raise ValueError(
                f"register: {type(obj).__name__} object for {path!r} has no public methods; "
                "register an object with public methods, or a function"
            )
        self._registered = [r for r in self._registered if r[0] != path]
        self._registered.append((path, obj, summary))
        self._static = None

    def _static_namespaces(self) -> list[ApiNamespace]:
        namespaces = describe_namespace("memory", self._memory)
        for path, obj, summary in self._registered:
            if not inspect.isroutine(obj):
                found = describe_namespace(path, obj)
                if summary:
                    found[0].summary = summary
                namespaces.extend(found)
                continue
            parent = path.rpartition(".")[0]
            ns = next((n for n in namespaces if n.path == parent), None)
            if ns is None:
                ns = ApiNamespace(parent, summary or "")
                namespaces.append(ns)
            elif summary and not ns.summary:
                ns.summary = summary
            ns.functions.append(describe_function(path, obj))
        return namespaces

    # ------------------------------------------------------------------ catalogue
    def catalog(self, *, procedure_details: bool = True) -> Catalog:
        """Every namespace; saved procedures are read from the store each time."""
        if self._static is None:
            self._static = self._static_namespaces()
        namespaces = [ApiNamespace(ns.path, ns.summary, list(ns.functions)) for ns in self._static]
        if self._procedures is not None:
            namespaces.append(self._procedure_namespace(procedure_details))
        if self._magics:
            magics = self._magic_functions()
            summary = "Athena's magics: " + ", ".join(f.name for f in magics) + "."
            namespaces.append(ApiNamespace("magics", summary, magics))
        return Catalog(namespaces)

    def _procedure_namespace(self, details: bool) -> ApiNamespace:
        summaries = self._memory.procedures.list()
        functions = []
        for p in summaries:
            if details:
                functions.append(self._procedure_function(p))
            else:
                functions.append(
                    ApiFunction(
                        path=f"procedures.{p.name}",
                        name=p.name,
                        signature=f"{p.name}(…)",
                        summary=p.description,
                        kind="procedure",
                    )
                )
        return ApiNamespace("procedures", PROCEDURES_SUMMARY, functions)

    def _procedure_function(self, summary: Any) -> ApiFunction:
        from ..procedures.source import parse_source, shape_of

        record = self._memory.procedures.get(summary.name)
        try:
            shape = shape_of(summary.name, parse_source(summary.name, record.code))
        except Exception as exc:  # a stored version that no longer parses still gets listed
            return ApiFunction(
                path=f"procedures.{summary.name}",
                name=summary.name,
                signature=f"{summary.name}(…)",
                summary=f"(cannot be read: {exc})",
                kind="procedure",
            )
        stats = summary.stats
        runs = (
            f"v{record.version}; {stats.run_count} run{'s' * (stats.run_count != 1)}, "
            f"{stats.successes} ok"
            if stats.run_count
            else f"v{record.version}; never run"
        )
        call_args = ", ".join(p.name for p in shape.params if p.required)
        return ApiFunction(
            path=f"procedures.{summary.name}",
            name=summary.name,
            signature=shape.signature,
            summary=record.description or shape.summary or "(no description)",
            description="\n\n".join(x for x in (shape.description, runs) if x),
            params=shape.params,
            returns=shape.returns,
            example=f">>> procedures.{summary.name}({call_args})",
            kind="procedure",
        )

    def _magic_functions(self) -> list[ApiFunction]:
        functions: list[ApiFunction] = []
        for cls in self._magics:
            for kind in ("line", "cell"):
                for name, method_name in getattr(cls, "magics", {}).get(kind, {}).items():
                    if any(f.name == f"%{name}" for f in functions):
                        continue  # a line-and-cell magic is listed once
                    functions.append(describe_magic(name, kind, getattr(cls, method_name)))
        return functions

    # ------------------------------------------------------------------ answers
    def answer(self, path: str | None = None, *, search: str | None = None) -> ApiListing:
        """The listing for a level (None = top, a namespace, a function) or a search."""
        if search is not None:
            catalog = self.catalog()
            matches = search_catalog(catalog, search)
            return self._listing(
                render.search_text(search, matches),
                render.search_markdown(search, matches),
                render.search_json(search, matches),
            )
        if path is None or not path.strip():
            catalog = self.catalog(procedure_details=False)
            return self._listing(
                render.top_text(catalog), render.top_markdown(catalog), render.top_json(catalog)
            )
        path = path.strip().lstrip("%")
        catalog = self.catalog(procedure_details=path.startswith("procedures"))
        ns = catalog.namespace(path)
        if ns is not None:
            data = {"level": "namespace", **ns.to_dict()}
            return self._listing(render.namespace_text(ns), render.namespace_markdown(ns), data)
        func = catalog.function(path) or catalog.function(f"magics.{path}")
        if func is not None:
            data = {"level": "function", **func.to_dict()}
            return self._listing(render.function_text(func), render.function_markdown(func), data)
        close = difflib.get_close_matches(path, catalog.paths(), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; %apis lists namespaces"
        raise LookupError(f"no API named {path!r}{hint}")

    def _listing(self, text: str, markdown: str, data: dict[str, Any]) -> ApiListing:
        return ApiListing(text, markdown, data, self.rich)


class Apis:
    """Discover the APIs: apis(), apis("memory.graph"), apis("memory.graph.relate"),
    apis(search="time range"). Each answer has .text, .markdown and .data (JSON-ready)."""

    def __init__(self, browser: ApiBrowser) -> None:
        self._browser = browser

    def __call__(self, path: str | None = None, *, search: str | None = None) -> ApiListing:
        """List namespaces (no argument), a namespace's functions, one function in full, or
        search everything (``search="words"``).

        Example: ``apis("memory.graph.relate")``
        """
        return self._browser.answer(path, search=search)

    def __repr__(self) -> str:
        return 'apis(): discover the APIs — apis(), apis("memory"), apis(search="…")'
