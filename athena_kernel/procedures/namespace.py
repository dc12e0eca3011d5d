"""``procedures``: saved procedures as callables: ``procedures.NAME(...)``, ``.NAME.v3(...)``."""

from __future__ import annotations

import re
from typing import Any

from .runner import ProcedureRunner
from .source import ProcedureError, check_name

_VERSION = re.compile(r"v(\d+)\Z")


class ProcedureHandle:
    """One saved procedure. Call it to run the latest version; ``.v3(...)`` runs version 3."""

    def __init__(self, runner: ProcedureRunner, name: str, version: int | None = None) -> None:
        self._runner = runner
        self._name = name
        self._version = version

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the procedure (through the sandbox) and return its result."""
        return self._runner.run(self._name, args, kwargs, version=self._version)

    def __getattr__(self, attr: str) -> ProcedureHandle:
        match = _VERSION.match(attr)
        if match and self._version is None:
            return ProcedureHandle(self._runner, self._name, int(match.group(1)))
        raise AttributeError(
            f"procedures.{self._name} has no attribute {attr!r}: call it, or pick a version "
            f"with procedures.{self._name}.v1(...), .v2(...) …"
        )

    @property
    def signature(self) -> str:
        """How to call it, e.g. ``deploy_checklist(tag='deploy')``."""
        return self._runner.shape(self._name, self._version)[1].signature

    @property
    def description(self) -> str:
        """The description it was saved with."""
        return self._runner.shape(self._name, self._version)[0].description

    def __repr__(self) -> str:
        try:
            record, shape = self._runner.shape(self._name, self._version)
        except Exception as exc:
            return f"<procedure {self._name}: {exc}>"
        desc = f" — {record.description}" if record.description else ""
        return f"procedures.{shape.signature} [v{record.version}]{desc}"


class ProceduresNamespace:
    """Saved procedures by name: ``procedures.weekly_report(...)``. See ``%procedure list``."""

    def __init__(self, runner: ProcedureRunner, memory: Any) -> None:
        self._runner = runner
        self._memory = memory

    def __getattr__(self, name: str) -> ProcedureHandle:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            check_name(name)
        except ProcedureError as exc:
            raise AttributeError(str(exc)) from None
        from ..memory.errors import NotFoundError

        try:
            self._memory.procedures.get(name)
        except NotFoundError:
            known = self.names()
            hint = f"; saved: {', '.join(known)}" if known else "; none saved yet"
            raise AttributeError(
                f"no procedure named {name!r}{hint} — save one with %%procedure save {name}"
            ) from None
        return ProcedureHandle(self._runner, name)

    def names(self) -> list[str]:
        """Names of the saved procedures."""
        return [p.name for p in self._memory.procedures.list()]

    def __dir__(self) -> list[str]:
        try:
            return self.names()  # completion of procedures.<TAB>
        except Exception:
            return []

    def __repr__(self) -> str:
        try:
            found = self._memory.procedures.list()
        except Exception as exc:
            return f"<procedures: {exc}>"
        if not found:
            return "procedures: none saved yet (%%procedure save NAME)"
        lines = [f"procedures ({len(found)}):"]
        lines += [f"  {p.name} v{p.latest_version} — {p.description}" for p in found]
        return "\n".join(lines)
