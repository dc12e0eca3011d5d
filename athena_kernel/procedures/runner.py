"""Run saved procedures through the sandbox: validated, restricted, limited, and recorded.

A procedure runs inside the cell that calls it (``procedures.NAME(...)`` or ``%procedure run``),
so the cell's time and memory limits, the output filter and PII tokenization all apply. Its code
is compiled exactly like a cell (policy, then the RestrictedPython transform) and executed with
the sandbox's guarded builtins in a namespace of its own. Each run is recorded (duration,
outcome) through the kernel's services.
"""

from __future__ import annotations

import linecache
import time
import uuid
from typing import Any

from .source import ProcedureError, ProcedureShape, parse_source, shape_of


class SandboxCompiler:
    """Compiles and executes procedure code with a sandbox runtime (guards, builtins, proxies)."""

    def __init__(self, runtime: Any, config: Any) -> None:
        self.runtime = runtime
        self.config = config

    @classmethod
    def for_settings(cls, settings: Any, bound_names: list[str]) -> SandboxCompiler:
        """A compiler with a runtime of its own (when no sandbox is installed, e.g. in the
        IPython extension): procedures still run restricted."""
        from ..policy import PolicyConfig
        from ..sandbox.runtime import SandboxRuntime

        config = PolicyConfig.from_settings(settings).with_bound_names(bound_names)
        return cls(SandboxRuntime(config), config)

    def load(self, name: str, version: int, code: str, names: dict[str, Any]) -> Any:
        """Validate, restrict and execute ``code``; return its function ``name``."""
        from ..policy import restrict_tree, validate_tree

        tree = parse_source(name, code)
        validate_tree(tree, self.config)
        shape_of(name, tree)  # defines def name(...)
        filename = f"<procedure {name} v{version}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        compiled = compile(restrict_tree(tree, self.config), filename, "exec")
        namespace: dict[str, Any] = {
            "__builtins__": self.runtime.builtins,
            "__name__": f"procedure_{name}",
            **names,
        }
        exec(compiled, namespace)
        return namespace[name]


class ProcedureRunner:
    """Fetches a procedure version from memory and runs it sandboxed, recording the run."""

    def __init__(self, memory: Any, services: Any, compiler: SandboxCompiler | None) -> None:
        self._memory = memory
        self._services = services
        self._compiler = compiler
        self._extra_names: dict[str, Any] = {}

    def attach(self, compiler: SandboxCompiler, **names: Any) -> None:
        """Use ``compiler`` (the installed sandbox's) and bind ``names`` in procedure code."""
        self._compiler = compiler
        self._extra_names.update(names)

    def shape(self, name: str, version: int | None = None) -> tuple[Any, ProcedureShape]:
        """The stored version and the shape of its function."""
        record = self._memory.procedures.get(name, version=version)
        return record, shape_of(name, parse_source(name, record.code))

    def run(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], *, version: int | None
    ) -> Any:
        """Run procedure ``name`` (latest version, or ``version``) with the given arguments."""
        if self._compiler is None:
            raise ProcedureError("procedures cannot run here: no sandbox is available")
        record, shape = self.shape(name, version)
        names = {"memory": self._memory, **self._extra_names}
        start = time.perf_counter()
        ok, error = False, None
        try:
            func = self._compiler.load(name, record.version, record.code, names)
            call_args = (self._memory, *args) if shape.takes_memory else args
            result = func(*call_args, **kwargs)
            ok = True
            return result
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self._record(name, record.version, ok, time.perf_counter() - start, error)

    def _record(self, name: str, version: int, ok: bool, seconds: float, error: str | None) -> None:
        try:
            self._services.call(
                "procedures.record_run",
                {
                    "run_id": uuid.uuid4().hex,
                    "name": name,
                    "version": version,
                    "ok": ok,
                    "duration_s": round(seconds, 6),
                    "error": error[:1000] if error else None,
                },
            )
        except Exception:
            pass  # statistics must never turn a run into a failure
