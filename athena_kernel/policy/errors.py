"""Errors the sandbox raises: a rejected cell (:class:`PolicyViolation`) and run-time refusals.

Every error carries a stable ``rule`` id (``policy.import``, ``magic.shell``, ``limit.memory`` …,
listed in :mod:`athena_kernel.policy.rules`) so the kernel can audit it and clients can match it.
"""

from __future__ import annotations

from IPython.core.error import InputRejected


class PolicyViolation(InputRejected):
    """A cell (or a magic, or an expression) was rejected before it ran.

    ``rule`` is the stable rule id, ``line``/``col`` the position in the cell (1-based line,
    0-based column; ``None`` when the rejection happened at run time), ``message`` what is wrong
    and ``advice`` what to do instead. ``str()`` gives the one-line form shown to the user, e.g.
    ``[policy.import] line 3, col 0: import of 'os' is not allowed — use memory.* …``.
    """

    def __init__(
        self,
        rule: str,
        message: str,
        advice: str = "",
        *,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        self.rule = rule
        self.message = message
        self.advice = advice
        self.line = line
        self.col = col
        super().__init__(self._format())

    def _format(self) -> str:
        where = f"line {self.line}, col {self.col}: " if self.line is not None else ""
        tail = f" — {self.advice}" if self.advice else ""
        return f"[{self.rule}] {where}{self.message}{tail}"

    def __str__(self) -> str:
        return self._format()

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_violation, (self.rule, self.message, self.advice, self.line, self.col))

    def shifted(self, lines: int) -> PolicyViolation:
        """The same violation with its line moved down by ``lines`` (for cell-magic bodies)."""
        line = None if self.line is None else self.line + lines
        return PolicyViolation(self.rule, self.message, self.advice, line=line, col=self.col)

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback through the validator's own frames.
        return [f"{type(self).__name__}: {self}"]


def _rebuild_violation(
    rule: str, message: str, advice: str, line: int | None, col: int | None
) -> PolicyViolation:
    return PolicyViolation(rule, message, advice, line=line, col=col)


class SandboxError(Exception):
    """Base of the errors guards raise while a cell runs; ``rule`` is the stable rule id.

    Subclasses also derive from the built-in exception a plain interpreter would raise
    (``MemoryError``, ``AttributeError`` …) so ordinary ``except`` clauses keep working.
    """

    rule = "sandbox"

    def __init__(self, message: str, advice: str = "", *, rule: str | None = None) -> None:
        if rule is not None:
            self.rule = rule
        self.message = message
        self.advice = advice
        super().__init__(self._format())

    def _format(self) -> str:
        tail = f" — {self.advice}" if self.advice else ""
        return f"[{self.rule}] {self.message}{tail}"

    def __str__(self) -> str:
        return self._format()

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_sandbox_error, (type(self), self.message, self.advice, self.rule))


def _rebuild_sandbox_error(
    cls: type[SandboxError], message: str, advice: str, rule: str
) -> SandboxError:
    return cls(message, advice, rule=rule)


class AccessDenied(SandboxError, AttributeError):
    """Guarded attribute access refused (private, dunder or interpreter-internal attribute)."""

    rule = "policy.private"


class WriteDenied(SandboxError, TypeError):
    """Guarded write refused: only the cell's own objects (and dicts/lists) can be changed."""

    rule = "policy.write"


class ImportDenied(SandboxError, ImportError):
    """Guarded import refused: the module or name is not on the allowlist."""

    rule = "policy.import"


class ClassDenied(SandboxError, TypeError):
    """A class statement tried to derive from a class the sandbox does not let you extend."""

    rule = "policy.class"


class LimitExceeded(SandboxError):
    """A resource limit stopped an operation before it ran (``limit.*`` rules)."""

    rule = "limit"


class MemoryLimitExceeded(LimitExceeded, MemoryError):
    """An allocation would exceed the cell's memory limit (``limit.memory``)."""

    rule = "limit.memory"


class IntegerLimitExceeded(LimitExceeded, OverflowError):
    """An integer operation would build a number beyond ``max_int_digits`` (``limit.int``)."""

    rule = "limit.int"


class OutputLimitExceeded(LimitExceeded):
    """A cell printed more than its hard output ceiling (``limit.output``)."""

    rule = "limit.output"


class RecursionLimitExceeded(LimitExceeded, RecursionError):
    """User code recursed deeper than ``max_recursion_depth`` (``limit.recursion``)."""

    rule = "limit.recursion"


class ComputationLimitExceeded(LimitExceeded, ValueError):
    """A single C-level computation would run too long to be interrupted (``limit.cpu``)."""

    rule = "limit.cpu"


class RegexRejected(LimitExceeded, ValueError):
    """A regular expression could backtrack catastrophically (``limit.regex``)."""

    rule = "limit.regex"
