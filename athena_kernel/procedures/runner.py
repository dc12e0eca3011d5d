"""Run saved procedures through the sandbox: validated, restricted, limited, and recorded.

A procedure runs inside the cell that calls it (``procedures.NAME(...)`` or ``%procedure run``),
so the cell's time and memory limits, the output filter and PII tokenization all apply. Its code
is compiled exactly like a cell (policy, then the RestrictedPython transform) and executed with
the sandbox's guarded builtins in a namespace of its own. Each run is recorded (duration,
outcome) through the kernel's services.
"""

from __future__ import annotations

import inspect
import linecache
import time
import uuid
from types import CodeType
from typing import Any

from .source import ProcedureError, ProcedureShape, parse_source, shape_of


class ProcedureArgumentError(ProcedureError, TypeError):
    """A procedure was called with arguments its signature does not accept (not a run)."""


class SandboxCompiler:
    """Compiles and executes procedure code with a sandbox runtime (guards, builtins, proxies).

    Compilation mirrors the sandbox's own path for cells (size check, parse, policy, the
    RestrictedPython transform, with stack headroom and every internal failure turned into a
    :class:`PolicyViolation`); the result runs with the runtime's guarded builtins only.
    """

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

    def compile(self, name: str, version: int, code: str) -> CodeType:
        """Check ``code`` like a cell and return the restricted code object.

        Raises ProcedureError (syntax, no ``def name``) or PolicyViolation (the rule broken).
        """
        from ..policy import PolicyViolation, restrict_tree, validate_tree
        from ..policy.source import check_source_size, recursion_headroom, too_complex

        check_source_size(code, self.config)
        tree = parse_source(name, code)
        shape_of(name, tree)  # defines def name(...)
        try:
            with recursion_headroom():
                validate_tree(tree, self.config)
                restricted = restrict_tree(tree, self.config)
        except (PolicyViolation, KeyboardInterrupt):
            raise
        except (RecursionError, MemoryError) as exc:
            raise too_complex(exc, f"procedure {name!r}") from None
        except BaseException as exc:  # never let a transform failure fall through to running
            raise PolicyViolation(
                "policy.restricted",
                f"the sandbox could not transform procedure {name!r} ({type(exc).__name__}: {exc})",
                "simplify the code; if it is ordinary code, report this as a sandbox bug",
                line=1,
                col=0,
            ) from None
        filename = f"<procedure {name} v{version}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        return compile(restricted, filename, "exec")

    def load(self, name: str, version: int, code: str, names: dict[str, Any]) -> Any:
        """Compile ``code`` (see :meth:`compile`), run its module body with the sandbox's
        builtins in a fresh namespace holding ``names``, and return its function ``name``."""
        compiled = self.compile(name, version, code)
        namespace: dict[str, Any] = {
            "__builtins__": self.runtime.builtins,
            "__name__": f"procedure_{name}",
            **names,
        }
        exec(compiled, namespace)  # restricted code object, guarded builtins: the sandbox
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
        """Run procedure ``name`` (latest version, or ``version``) with the given arguments.

        Unknown names or versions and arguments the signature rejects raise before anything
        runs and are not recorded; everything else is a run, recorded with its duration and
        outcome (the exception propagates unchanged).
        """
        if self._compiler is None:
            raise ProcedureError("procedures cannot run here: no sandbox is available")
        record, shape = self.shape(name, version)
        names = {"memory": self._memory, **self._extra_names}
        call_args = (self._memory, *args) if shape.takes_memory else args
        start = time.perf_counter()
        ok, error, ran = False, None, True
        try:
            func = self._compiler.load(name, record.version, record.code, names)
            self._check_arguments(func, shape, args, kwargs)
            result = func(*call_args, **kwargs)
            ok = True
            return result
        except ProcedureArgumentError:
            ran = False  # the caller's mistake: nothing ran
            raise
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            if ran:
                self._record(name, record.version, ok, time.perf_counter() - start, error)

    @staticmethod
    def _check_arguments(
        func: Any, shape: ProcedureShape, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        """Bind the caller's arguments to the signature they see (``memory`` is implicit)."""
        signature = inspect.signature(func)
        params = list(signature.parameters.values())[1 if shape.takes_memory else 0 :]
        try:
            signature.replace(parameters=params).bind(*args, **kwargs)
        except TypeError as exc:
            raise ProcedureArgumentError(
                f"procedures.{shape.signature} cannot take these arguments: {exc}"
            ) from None

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
