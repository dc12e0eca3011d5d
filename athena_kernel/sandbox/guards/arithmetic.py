"""Guards for operators that can build a huge number or sequence in one C call.

``10 ** 10 ** 8``, ``x * x`` on a 50-million-digit integer, ``'a' * 10 ** 10`` or ``big // other``
each run as a single C call that a signal cannot interrupt. The transform rewrites ``**``, ``*``,
``<<``, ``//`` and ``%`` (when an operand is not a small literal) into calls to these guards, which
estimate the result's size first and raise :class:`IntegerLimitExceeded` or
:class:`MemoryLimitExceeded` instead of starting the computation.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ...policy.errors import IntegerLimitExceeded, MemoryLimitExceeded
from ...policy.options import PolicyConfig

#: Approximate bytes per element of a repeated sequence (str counts one byte per character).
_ITEM_BYTES: dict[type, int] = {str: 1, bytes: 1, bytearray: 1, list: 8, tuple: 8}
_LOG2_10 = math.log2(10)


@dataclass(frozen=True)
class Limits:
    """The numeric limits the guards enforce (derived from :class:`PolicyConfig`)."""

    max_int_digits: int
    memory_limit_bytes: int

    @property
    def max_int_bits(self) -> int:
        """The integer limit in bits."""
        return int(self.max_int_digits * _LOG2_10) + 1

    @classmethod
    def from_config(cls, config: PolicyConfig) -> Limits:
        """Limits for one sandbox configuration."""
        return cls(config.max_int_digits, config.memory_limit_bytes)


def _digits(bits: float) -> str:
    return f"{int(bits / _LOG2_10) + 1:,}"


def _int_error(expression: str, bits: float, limits: Limits) -> IntegerLimitExceeded:
    return IntegerLimitExceeded(
        f"{expression} would have about {_digits(bits)} digits; the limit is "
        f"{limits.max_int_digits:,} digits (max_int_digits)",
        "use smaller numbers, pow(a, b, m) for modular arithmetic, or floats for magnitudes",
    )


def _size_error(kind: str, items: int, nbytes: int, limits: Limits) -> MemoryLimitExceeded:
    return MemoryLimitExceeded(
        f"this would build a {kind} of {items:,} items (about {nbytes / 2**20:,.0f} MiB); a cell "
        f"may use at most {limits.memory_limit_bytes // 2**20:,} MiB (memory_limit_mb)",
        "build the data in smaller pieces or keep it in memory (memory.remember(...))",
    )


def _bits(value: Any) -> int:
    """Size in bits of an int or a Fraction (its larger term); 0 for anything else."""
    kind = type(value)
    if kind is int or kind is bool:
        return value.bit_length()
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length())
    if isinstance(value, int):
        return int(value).bit_length()
    return 0


def check_int_size(limits: Limits, *values: Any, what: str = "this operation") -> None:
    """Raise if any integer (or Fraction) operand is already beyond the limit."""
    for value in values:
        bits = _bits(value)
        if bits > limits.max_int_bits:
            raise IntegerLimitExceeded(
                f"{what} got an integer of about {_digits(bits)} digits; the limit is "
                f"{limits.max_int_digits:,} digits (max_int_digits)",
                "use smaller numbers",
            )


def _check_repeat(limits: Limits, seq: Any, times: Any) -> None:
    kind = type(seq)
    per_item = _ITEM_BYTES.get(kind)
    if per_item is None:
        for base, size in _ITEM_BYTES.items():
            if isinstance(seq, base):
                per_item = size
                break
        else:
            return
    if not isinstance(times, int) or times <= 1:
        return
    items = len(seq) * int(times)
    if items * per_item > limits.memory_limit_bytes:
        raise _size_error(kind.__name__, items, items * per_item, limits)


def make_arithmetic_guards(limits: Limits) -> dict[str, Callable[..., Any]]:
    """The operator guards for one sandbox: ``{"pow": ..., "mul": ..., ...}``."""
    max_bits = limits.max_int_bits
    ipow, imul, ilshift = operator.ipow, operator.imul, operator.ilshift

    def check_pow(base: Any, exp: Any) -> None:
        if not isinstance(exp, int):
            return
        if isinstance(base, Fraction):
            power = abs(exp)  # a negative power inverts the fraction: same size
            magnitude = max(abs(base.numerator), base.denominator)
        elif isinstance(base, int):
            if exp <= 1:  # negative powers of ints are floats
                return
            power, magnitude = exp, abs(base)
        else:
            return
        if magnitude <= 1 or power <= 1:
            return
        bits = math.log2(magnitude) * power
        if bits > max_bits:
            raise _int_error(f"{_short(base)} ** {_short(exp)}", bits, limits)

    def guarded_pow(base: Any, exp: Any, mod: Any = None) -> Any:
        """``base ** exp`` (and ``pow(base, exp, mod)``) with the integer-size limit."""
        if mod is not None:
            check_int_size(limits, base, exp, mod, what="pow(a, b, m)")
            return pow(base, exp, mod)
        if type(base) is float or type(exp) is float:
            return base**exp
        check_pow(base, exp)
        return base**exp

    def check_mul(a: Any, b: Any) -> None:
        ta, tb = type(a), type(b)
        if (ta is int or isinstance(a, (int, Fraction))) and (
            tb is int or isinstance(b, (int, Fraction))
        ):
            bits = _bits(a) + _bits(b)
            if bits > max_bits:
                raise _int_error(f"{_short(a)} * {_short(b)}", bits, limits)
            return
        if isinstance(b, int):
            _check_repeat(limits, a, b)
        elif isinstance(a, int):
            _check_repeat(limits, b, a)

    def guarded_mul(a: Any, b: Any) -> Any:
        """``a * b`` with the integer-size and repetition limits."""
        ta = type(a)
        if ta is float or type(b) is float:
            return a * b
        if ta is int and type(b) is int:
            if a.bit_length() + b.bit_length() > max_bits:
                raise _int_error(f"{_short(a)} * {_short(b)}", _bits(a) + _bits(b), limits)
            return a * b
        check_mul(a, b)
        return a * b

    def check_lshift(a: Any, b: Any) -> None:
        if isinstance(a, int) and isinstance(b, int) and a and b > 0:
            bits = _bits(a) + b
            if bits > max_bits:
                raise _int_error(f"{_short(a)} << {_short(b)}", bits, limits)

    def guarded_lshift(a: Any, b: Any) -> Any:
        """``a << b`` with the integer-size limit."""
        check_lshift(a, b)
        return a << b

    def check_division(a: Any, b: Any) -> None:
        if (
            isinstance(a, int)
            and isinstance(b, int)
            and (a.bit_length() > max_bits or b.bit_length() > max_bits)
        ):
            check_int_size(limits, a, b, what="integer division")

    def guarded_floordiv(a: Any, b: Any) -> Any:
        """``a // b``; refuses integers beyond the limit (long division is quadratic)."""
        check_division(a, b)
        return a // b

    def guarded_mod(a: Any, b: Any) -> Any:
        """``a % b``; refuses integers beyond the limit (string formatting passes through)."""
        check_division(a, b)
        return a % b

    def guarded_divmod(a: Any, b: Any) -> tuple[Any, Any]:
        """``divmod(a, b)`` with the integer-size limit."""
        check_division(a, b)
        return divmod(a, b)

    def guarded_ipow(a: Any, b: Any) -> Any:
        """Same as a **= b (size-checked)."""
        check_pow(a, b)
        return ipow(a, b)

    def guarded_imul(a: Any, b: Any) -> Any:
        """Same as a *= b (size-checked)."""
        check_mul(a, b)
        return imul(a, b)

    def guarded_ilshift(a: Any, b: Any) -> Any:
        """Same as a <<= b (size-checked)."""
        check_lshift(a, b)
        return ilshift(a, b)

    def guarded_ifloordiv(a: Any, b: Any) -> Any:
        """Same as a //= b (size-checked)."""
        check_division(a, b)
        return operator.ifloordiv(a, b)

    def guarded_imod(a: Any, b: Any) -> Any:
        """Same as a %= b (size-checked)."""
        check_division(a, b)
        return operator.imod(a, b)

    inplace_ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": operator.iadd,
        "-=": operator.isub,
        "*=": guarded_imul,
        "/=": operator.itruediv,
        "//=": guarded_ifloordiv,
        "%=": guarded_imod,
        "**=": guarded_ipow,
        "<<=": guarded_ilshift,
        ">>=": operator.irshift,
        "|=": operator.ior,
        "^=": operator.ixor,
        "&=": operator.iand,
        "@=": operator.imatmul,
    }

    def inplacevar(op: str, target: Any, value: Any) -> Any:
        """``target op= value`` for RestrictedPython's ``_inplacevar_`` (guarded operators)."""
        try:
            func = inplace_ops[op]
        except (KeyError, TypeError):
            raise ValueError(f"unsupported in-place operator {op!r}") from None
        return func(target, value)

    return {
        "pow": guarded_pow,
        "mul": guarded_mul,
        "lshift": guarded_lshift,
        "floordiv": guarded_floordiv,
        "mod": guarded_mod,
        "divmod": guarded_divmod,
        "inplacevar": inplacevar,
        "ipow": guarded_ipow,
        "imul": guarded_imul,
        "ilshift": guarded_ilshift,
        "ifloordiv": guarded_ifloordiv,
        "imod": guarded_imod,
    }


def _short(value: Any) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        return f"<int of ~{_digits(value.bit_length())} digits>"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
