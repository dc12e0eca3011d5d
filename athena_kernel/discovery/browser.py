"""``apis`` (bound for user code) and the browser behind ``%apis``: progressive disclosure.

``apis()`` → namespaces; ``apis("memory.graph")`` → its functions; ``apis("memory.graph.relate")``
→ everything about one function; ``apis(search="time range")`` → ranked matches.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

from . import render
from .catalog import ApiFunction, ApiNamespace, Catalog, describe_namespace, plain
from .docstrings import parse_docstring
from .search import search as search_catalog

PROCEDURES_SUMMARY = "Saved procedures: call procedures.NAME(...); manage them with %procedure."
MAGICS_SUMMARY = "Athena's magics: %apis, %procedure, %output, %sandbox."


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
        self._static: list[ApiNamespace] | None = None

    # ------------------------------------------------------------------ catalogue
    def catalog(self, *, procedure_details: bool = True) -> Catalog:
        """Every namespace; saved procedures are read from the store each time."""
        if self._static is None:
            self._static = describe_namespace("memory", self._memory)
        namespaces = list(self._static)
        if self._procedures is not None:
            namespaces.append(self._procedure_namespace(procedure_details))
        if self._magics:
            namespaces.append(ApiNamespace("magics", MAGICS_SUMMARY, self._magic_functions()))
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
            f"v{record.version}; {stats.run_count} runs, {stats.successes} ok"
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
        functions = []
        for cls in self._magics:
            for kind in ("line", "cell"):
                for name, method_name in getattr(cls, "magics", {}).get(kind, {}).items():
                    method = getattr(cls, method_name)
                    doc = inspect.getdoc(method) or ""
                    parsed = parse_docstring(doc)
                    usage = next(
                        (ln.strip() for ln in doc.splitlines() if ln.strip().startswith("%")),
                        ("%%" if kind == "cell" else "%") + name,
                    )
                    if any(f.name == f"%{name}" for f in functions):
                        continue
                    functions.append(
                        ApiFunction(
                            path=f"magics.{name}",
                            name=f"%{name}",
                            signature=usage,
                            summary=plain(parsed.summary),
                            description=plain(parsed.description),
                            kind="magic",
                        )
                    )
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
