"""Static size estimation of constant expressions: ``10 ** 10 ** 8`` is rejected before it runs.

:class:`ConstantFolder` evaluates constant sub-expressions (literals combined by operators) when
the result is provably small, and reports a :class:`Bomb` when it is provably huge. Expressions
it cannot evaluate are ``UNKNOWN``; the transform then routes them through the run-time guards.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from .options import PolicyConfig

UNKNOWN: Any = object()
#: Sequences longer than this are not materialised by the folder (left to run time).
_MAX_FOLDED_ITEMS = 100_000
_ITEM_BYTES = {str: 1, bytes: 1, tuple: 8}
_SIMPLE = (int, float, complex, str, bytes, bool, type(None))
_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.RShift: operator.rshift,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
    ast.Not: operator.not_,
}


class Bomb(Exception):
    """A constant expression whose value would exceed a limit (rule, message, advice)."""

    def __init__(self, rule: str, message: str, advice: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.advice = rule, message, advice


class ConstantFolder:
    """Evaluates small constant expressions and flags huge ones (memoised per tree)."""

    def __init__(self, config: PolicyConfig) -> None:
        self.max_bits = config.max_int_bits
        self.max_digits = config.max_int_digits
        self.max_bytes = config.memory_limit_bytes
        self.memory_mb = config.memory_limit_mb
        self._memo: dict[int, Any] = {}

    def value(self, node: ast.AST) -> Any:
        """The node's value if it is a small constant expression, else ``UNKNOWN``.

        Raises :class:`Bomb` if the expression is constant and provably too large.
        """
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        try:
            result = self._evaluate(node)
        except Bomb:
            self._memo[key] = UNKNOWN  # report a bomb once, not again for every enclosing node
            raise
        self._memo[key] = result
        return result

    def is_known(self, node: ast.AST) -> bool:
        """Is ``node`` a constant expression already proven small?"""
        try:
            return self.value(node) is not UNKNOWN
        except Bomb:
            return False

    def _evaluate(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, _SIMPLE) else UNKNOWN
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand)
            func = _UNARY.get(type(node.op))
            if operand is UNKNOWN or func is None:
                return UNKNOWN
            return _attempt(func, operand)
        if isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load):
            items = [self.value(elt) for elt in node.elts]
            return UNKNOWN if any(item is UNKNOWN for item in items) else tuple(items)
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            return self._binop(node.op, left, right)
        return UNKNOWN

    # ------------------------------------------------------------------ operators
    def _binop(self, op: ast.operator, left: Any, right: Any) -> Any:
        if isinstance(op, ast.Pow):
            return self._pow(left, right)
        if isinstance(op, ast.LShift):
            if _is_int(left) and _is_int(right) and left and right > 0:
                self._check_bits(left.bit_length() + right, "this << expression")
            return _attempt(operator.lshift, left, right)
        if isinstance(op, ast.Mult):
            return self._mul(left, right)
        if isinstance(op, ast.Mod) and isinstance(left, (str, bytes)):
            return UNKNOWN  # %-formatting: leave it to run time
        func = _BINARY.get(type(op))
        if func is None:
            return UNKNOWN
        return _small(_attempt(func, left, right))

    def _pow(self, base: Any, exp: Any) -> Any:
        if _is_int(base) and _is_int(exp):
            if exp > 1 and abs(base) > 1:
                self._check_bits(math.log2(abs(base)) * exp, f"{_short(base)} ** {_short(exp)}")
            return _attempt(pow, base, exp)
        if isinstance(base, (int, float, complex)) and isinstance(exp, (int, float, complex)):
            return _attempt(pow, base, exp)
        return UNKNOWN

    def _mul(self, left: Any, right: Any) -> Any:
        if _is_int(left) and _is_int(right):
            self._check_bits(left.bit_length() + right.bit_length(), "this product")
            return left * right
        seq, times = (left, right) if _is_int(right) else (right, left)
        if isinstance(seq, (str, bytes, tuple)) and _is_int(times):
            items = len(seq) * max(times, 0)
            size = items * _ITEM_BYTES[type(seq)]
            if size > self.max_bytes:
                raise Bomb(
                    "limit.memory",
                    f"this expression would build a {type(seq).__name__} of {items:,} items "
                    f"(about {size / 2**20:,.0f} MiB); a cell may use at most "
                    f"{self.memory_mb:,} MiB (memory_limit_mb)",
                    "build the data in smaller pieces, or keep it in memory (memory.remember)",
                )
            return seq * times if items <= _MAX_FOLDED_ITEMS else UNKNOWN
        if isinstance(left, (int, float, complex)) and isinstance(right, (int, float, complex)):
            return _attempt(operator.mul, left, right)
        return UNKNOWN

    def _check_bits(self, bits: float, what: str) -> None:
        if bits > self.max_bits:
            digits = int(bits / math.log2(10)) + 1
            raise Bomb(
                "limit.int",
                f"{what} would have about {digits:,} digits; the limit is "
                f"{self.max_digits:,} digits (max_int_digits)",
                "use smaller numbers, pow(a, b, m) for modular arithmetic, or floats",
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int)


def _attempt(func: Callable[..., Any], *args: Any) -> Any:
    try:
        return func(*args)
    except Exception:
        return UNKNOWN


def _small(value: Any) -> Any:
    if isinstance(value, (str, bytes, tuple)) and len(value) > _MAX_FOLDED_ITEMS:
        return UNKNOWN
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."
