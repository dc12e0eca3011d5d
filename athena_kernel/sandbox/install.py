"""``install_sandbox(shell, settings, names=...)``: wire the sandbox into an IPython shell.

What it does to the shell (and undoes in :meth:`Sandbox.uninstall`):

- appends the policy + RestrictedPython AST transformer (kept last, re-registered every cell);
- adds input checks: a size check before IPython tokenises the cell, a deep-nesting check after;
- points the user namespace's ``__builtins__`` at the sandbox's builtins, replaces
  ``get_ipython`` with the magics-only facade, removes IPython's ``exit``/``quit``/``open``;
- binds ``names`` (``memory`` …) and re-binds everything before every cell and after every magic
  (``%reset -f`` and ``del memory`` cannot break the sandbox or lose ``memory``);
- applies the per-cell limits (memory, recursion, print ceiling, bounded decimal context);
- routes ``user_expressions`` and ``shell.ev``/``shell.ex`` through the same checks, keeps
  ``obj?`` away from private attributes, and gives MemoryError/RecursionError a clear message.
"""

from __future__ import annotations

import ast
import os
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

from ..namespace import NamespaceBinder
from ..policy.ast_transformer import SandboxAstTransformer
from ..policy.errors import (
    MemoryLimitExceeded,
    PolicyViolation,
    RecursionLimitExceeded,
    SandboxError,
)
from ..policy.options import PolicyConfig
from ..policy.source import check_parsable_nesting, check_source_size
from ..policy.transform import restrict_tree
from ..policy.validator import validate_tree
from .limits import MemoryLimit, RecursionLimit
from .runtime import SandboxRuntime
from .shell_facade import ShellFacade

#: Names IPython puts in the user namespace that would bypass the sandbox.
_IPYTHON_ESCAPES = ("exit", "quit", "open")

EventListener = Callable[[str, str], None]


def install_sandbox(shell: Any, settings: Any, *, names: Mapping[str, Any]) -> Sandbox:
    """Install the sandbox into ``shell`` with ``names`` bound for cells; return it."""
    sandbox = Sandbox(shell, settings, names=names)
    sandbox.install()
    return sandbox


def rule_for(error: BaseException | None) -> str | None:
    """The rule id an execution error corresponds to (for audit events), or ``None``."""
    if error is None:
        return None
    rule = getattr(error, "rule", None)  # PolicyViolation, SandboxError, the kernel's timeout
    if isinstance(rule, str):
        return rule
    if isinstance(error, MemoryError):
        return "limit.memory"
    if isinstance(error, RecursionError):
        return "limit.recursion"
    return None


class Sandbox:
    """The sandbox installed in one shell (see the module docstring)."""

    def __init__(self, shell: Any, settings: Any, *, names: Mapping[str, Any]) -> None:
        self.shell = shell
        self.names = dict(names)
        self._binder = NamespaceBinder(shell, {n: (lambda v=o: v) for n, o in self.names.items()})
        self.config = PolicyConfig.from_settings(settings).with_bound_names(self.names)
        self.runtime = SandboxRuntime(self.config)
        self.runtime.seal(*self.names.values())
        self.facade = ShellFacade(shell, self.config, after_magic=self.reinstall)
        self.runtime.seal(self.facade)
        self._get_ipython = _make_get_ipython(self.facade)
        self.runtime.builtins["get_ipython"] = self._get_ipython
        self.transformer = SandboxAstTransformer(self.config, on_reject=self._on_reject)
        self.memory_limit = MemoryLimit(self.config.memory_limit_bytes)
        self.recursion_limit = RecursionLimit(self.config.max_recursion_depth)
        self.installed = False
        self._guard_cache: tuple[int, tuple[str, ...]] = (-1, ())
        self._listeners: list[EventListener] = []
        self._saved_ns: dict[str, Any] = {}
        self._saved_attrs: dict[str, Any] = {}
        self._saved_custom_exc: tuple[Any, Any] | None = None
        self._escape_objects: list[Any] = []

    # ------------------------------------------------------------------ install / uninstall
    def install(self) -> None:
        """Wire everything into the shell (idempotent)."""
        if self.installed:
            return
        shell = self.shell
        for key in ("__builtins__", "get_ipython", *_IPYTHON_ESCAPES):
            if key in shell.user_ns:
                self._saved_ns[key] = shell.user_ns[key]
        # IPython's own exit/quit/open objects (re-added by %reset): removed before every cell
        self._escape_objects = [self._saved_ns[k] for k in _IPYTHON_ESCAPES if k in self._saved_ns]
        exiter = getattr(shell, "exiter", None)
        if exiter is not None:
            self._escape_objects.append(exiter)
        for attr in ("user_expressions", "ev", "ex", "_ofind"):
            if attr in vars(shell):
                self._saved_attrs[attr] = vars(shell)[attr]
        shell.user_expressions = self.user_expressions
        shell.ev = self.evaluate
        shell.ex = self.execute
        original_ofind = type(shell)._ofind.__get__(shell)
        shell._ofind = lambda oname, namespaces=None: original_ofind(
            oname if _public_path(oname) else "", namespaces
        )
        self._saved_custom_exc = (shell.custom_exceptions, getattr(shell, "CustomTB", None))
        # every error of a cell: name the limit behind MemoryError/RecursionError and drop the
        # sandbox's own frames (guards) from tracebacks
        shell.set_custom_exc((Exception,), self._show_sandbox_error)
        # the policy refuses async code, so IPython's per-cell "needs an event loop?" compile
        # is pure cost; %autoawait is refused in the sandbox, so nothing turns it back on
        self._saved_attrs["autoawait"] = shell.autoawait
        shell.autoawait = False
        completer = getattr(shell, "Completer", None)
        if completer is not None and hasattr(completer, "completions"):
            self._saved_attrs["omit__names"] = completer.omit__names
            completer.omit__names = 2
            original_completions = type(completer).completions.__get__(completer)
            completer.completions = lambda text, offset: (
                c for c in original_completions(text, offset) if _public_completion(c.text)
            )
        shell.events.register("pre_execute", self._pre_execute)
        shell.events.register("post_execute", self._post_execute)
        self.installed = True
        self.reinstall()

    def uninstall(self) -> None:
        """Remove everything :meth:`install` added and restore what it replaced."""
        if not self.installed:
            return
        shell = self.shell
        for hook, name in (
            (self._pre_execute, "pre_execute"),
            (self._post_execute, "post_execute"),
        ):
            try:
                shell.events.unregister(name, hook)
            except ValueError:
                pass
        _remove(shell.ast_transformers, self.transformer)
        _remove(shell.input_transformers_cleanup, self.check_cell_size)
        _remove(shell.input_transformers_post, self.check_cell_nesting)
        for attr in ("user_expressions", "ev", "ex", "_ofind"):
            if attr in self._saved_attrs:
                setattr(shell, attr, self._saved_attrs[attr])
            elif attr in vars(shell):
                delattr(shell, attr)
        if "autoawait" in self._saved_attrs:
            shell.autoawait = self._saved_attrs.pop("autoawait")
        completer = getattr(shell, "Completer", None)
        if completer is not None and "omit__names" in self._saved_attrs:
            completer.omit__names = self._saved_attrs["omit__names"]
            vars(completer).pop("completions", None)
        if self._saved_custom_exc is not None:
            exceptions, handler = self._saved_custom_exc
            shell.custom_exceptions = exceptions
            if handler is not None:
                shell.CustomTB = handler
        for key in ("__builtins__", "get_ipython", *_IPYTHON_ESCAPES):
            if key in self._saved_ns:
                shell.user_ns[key] = self._saved_ns[key]
        while self.memory_limit._depth:
            self.memory_limit.exit()
        while self.recursion_limit._depth:
            self.recursion_limit.exit()
        self.installed = False

    def reinstall(self) -> None:
        """Put builtins, guards, ``get_ipython`` and the bound names back (idempotent, cheap)."""
        if not self.installed:
            return
        shell = self.shell
        ns, hidden = shell.user_ns, shell.user_ns_hidden
        if ns.get("__builtins__") is not self.runtime.builtins:
            ns["__builtins__"] = self.runtime.builtins
        if ns.get("get_ipython") is not self._get_ipython:
            ns["get_ipython"] = self._get_ipython
            hidden["get_ipython"] = self._get_ipython
        for key in _IPYTHON_ESCAPES:
            if key in ns and any(ns[key] is known for known in self._escape_objects):
                del ns[key]
                hidden.pop(key, None)
        for key in self._guard_names():
            if key in ns:
                del ns[key]  # a guard name in the namespace would shadow the guard
        self._binder.bind()
        transformers = shell.ast_transformers
        if not transformers or transformers[-1] is not self.transformer:
            _remove(transformers, self.transformer)
            transformers.append(self.transformer)
        if self.check_cell_size not in shell.input_transformers_cleanup:
            shell.input_transformers_cleanup.insert(0, self.check_cell_size)
        if self.check_cell_nesting not in shell.input_transformers_post:
            shell.input_transformers_post.append(self.check_cell_nesting)

    def _guard_names(self) -> tuple[str, ...]:
        """The sandbox's ``_x_`` builtins (guards), recomputed only when the builtins change.

        Checked per cell against the namespace, never the other way round: the namespace grows
        by an ``_iN`` entry per cell, so walking it made every cell slower than the last.
        """
        builtins = self.runtime.builtins
        if self._guard_cache[0] != len(builtins):
            names = tuple(k for k in builtins if k.startswith("_") and k != "__builtins__")
            self._guard_cache = (len(builtins), names)
        return self._guard_cache[1]

    def bind(self, name: str, obj: Any) -> None:
        """Bind another object for cells (sealed: public attributes only)."""
        self.names[name] = obj
        self._binder.add(name, lambda: obj)
        self.config = self.config.with_bound_names([name])
        self.transformer.config = self.config
        object.__setattr__(self.facade, "_config", self.config)
        self.runtime.seal(obj)
        self.reinstall()

    # ------------------------------------------------------------------ per-cell hooks
    def _pre_execute(self) -> None:
        self.reinstall()
        self.runtime.enter_cell()
        self.memory_limit.enter()
        self.recursion_limit.enter()

    def _post_execute(self) -> None:
        try:
            self.recursion_limit.exit()
        finally:
            try:
                self.memory_limit.exit()
            finally:
                self.runtime.exit_cell()
        result = getattr(self.shell, "last_execution_result", None)
        error = getattr(result, "error_in_exec", None) if result is not None else None
        rule = rule_for(error)
        if rule is not None and not isinstance(error, PolicyViolation):
            self._emit(rule, str(error))

    # ------------------------------------------------------------------ input checks
    def check_cell_size(self, lines: list[str]) -> list[str]:
        """Input transformer (first): refuse oversized cells before IPython tokenises them."""
        try:
            check_source_size("".join(lines), self.config)
        except PolicyViolation as violation:
            self._on_reject(violation)
            raise
        return lines

    def check_cell_nesting(self, lines: list[str]) -> list[str]:
        """Input transformer (last): refuse nesting IPython's own parser would choke on."""
        try:
            check_parsable_nesting("".join(lines))
        except PolicyViolation as violation:
            self._on_reject(violation)
            raise
        return lines

    # ------------------------------------------------------------------ guarded evaluation
    def _compile(self, source: str, mode: str) -> Any:
        check_source_size(source, self.config)
        try:
            tree = ast.parse(source, "<sandbox>", mode)
        except (RecursionError, MemoryError) as exc:
            from ..policy.source import too_complex

            raise too_complex(exc) from None
        validate_tree(tree, self.config)
        return compile(restrict_tree(tree, self.config), "<sandbox>", mode)

    def evaluate(self, expr: str) -> Any:
        """``shell.ev``: evaluate an expression under the sandbox."""
        self.reinstall()
        return eval(self._compile(expr, "eval"), self.shell.user_global_ns, self.shell.user_ns)

    def execute(self, cmd: str) -> None:
        """``shell.ex``: execute statements under the sandbox."""
        self.reinstall()
        exec(self._compile(cmd, "exec"), self.shell.user_global_ns, self.shell.user_ns)

    def user_expressions(self, expressions: Mapping[str, str]) -> dict[str, Any]:
        """``user_expressions`` of an execute request, evaluated under the sandbox."""
        shell = self.shell
        out: dict[str, Any] = {}
        for key, expr in expressions.items():
            try:
                if not isinstance(expr, str):
                    raise PolicyViolation("policy.syntax", "expressions must be text", "send text")
                out[key] = shell._format_user_obj(self.evaluate(expr))
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                if isinstance(exc, PolicyViolation):
                    self._on_reject(exc)
                out[key] = shell._user_obj_error()
        return out

    # ------------------------------------------------------------------ errors and events
    def add_listener(self, listener: EventListener) -> None:
        """Call ``listener(rule, message)`` for every rejection and every limit hit."""
        self._listeners.append(listener)

    def _on_reject(self, violation: PolicyViolation) -> None:
        self._emit(violation.rule, str(violation))

    def _emit(self, rule: str, message: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(rule, message)
            except Exception:
                pass

    def _show_sandbox_error(
        self, shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
    ) -> None:
        """Custom exception handler for every error a cell raises.

        Names the limit behind a bare MemoryError/RecursionError, and drops the sandbox's own
        frames (guards) from the traceback so it ends at the cell line that failed.
        """
        if isinstance(value, (MemoryError, RecursionError)) and not isinstance(
            value, (SandboxError, PolicyViolation)
        ):
            if isinstance(value, RecursionError):
                limit = self.config.max_recursion_depth
                value = RecursionLimitExceeded(
                    f"maximum recursion depth exceeded: cells may nest about {limit:,} "
                    "calls (max_recursion_depth)",
                    "use a loop or an explicit stack instead of deep recursion",
                )
            else:
                value = MemoryLimitExceeded(
                    "the cell ran out of memory: a cell may grow the kernel by at most "
                    f"{self.config.memory_limit_mb:,} MiB (memory_limit_mb)",
                    "process the data in smaller pieces, or keep it in memory "
                    "(memory.remember(...))",
                )
            exec_result = getattr(shell.displayhook, "exec_result", None)
            if exec_result is not None:
                exec_result.error_in_exec = value
        tb = _without_sandbox_frames(tb)
        value.__traceback__ = tb
        value.__suppress_context__ = True
        shell.showtraceback(
            (type(value), value, tb), tb_offset=tb_offset, running_compiled_code=True
        )


_SANDBOX_DIRS = tuple(
    os.path.dirname(os.path.abspath(module.__file__ or ""))
    for module in (sys.modules[__name__.rpartition(".")[0]], sys.modules["athena_kernel.policy"])
)


def _without_sandbox_frames(tb: Any) -> Any:
    """The traceback without frames in the sandbox's own code (rebuilt, originals untouched)."""
    frames = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_SANDBOX_DIRS):
            frames.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for entry in reversed(frames):
        rebuilt = types.TracebackType(rebuilt, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return rebuilt


def _make_get_ipython(facade: ShellFacade) -> Callable[[], ShellFacade]:
    def get_ipython() -> ShellFacade:
        """get_ipython(): the sandboxed shell (it runs allowed magics only)."""
        return facade

    return get_ipython


def _remove(items: list[Any], item: Any) -> None:
    while item in items:
        items.remove(item)


def _public_completion(text: str) -> bool:
    """Tab completion offers no private or dunder attribute names."""
    return not text.rpartition(".")[2].startswith("_")


def _public_path(oname: str) -> bool:
    """``obj?`` targets: magics and public dotted names only (no ``_private`` parts)."""
    name = oname.strip()
    if name.startswith("%"):
        return True
    parts = name.split(".")
    head, rest = parts[0], parts[1:]
    if head.startswith("_") and not (
        head == "_" or head.lstrip("_").isdigit() or head in ("__", "___")
    ):
        return False
    return not any(part.startswith("_") for part in rest)
