"""Numeric replacements: math, decimal and fractions without uninterruptible giant numbers.

``math.factorial(10**9)``, ``int(Decimal('1e999999'))`` or ``Fraction('1e100000000')`` each run one
C computation for minutes (or hours) that the cell timeout cannot stop; these versions estimate
the size of the result first and raise :class:`IntegerLimitExceeded` instead.
"""

from __future__ import annotations

import decimal as _decimal
import fractions as _fractions
import math as _math
import operator as _operator
import re as _re
from collections.abc import Iterable
from typing import Any

from ...policy.errors import IntegerLimitExceeded, WriteDenied
from ..guards.access import check_decimal
from ..guards.arithmetic import Limits, check_int_size
from .context import WrapContext
from .standins import guarded_class

_LN10 = _math.log(10)


def _too_big(what: str, digits: float, limits: Limits) -> IntegerLimitExceeded:
    return IntegerLimitExceeded(
        f"{what} would have about {int(digits) + 1:,} digits; the limit is "
        f"{limits.max_int_digits:,} digits (max_int_digits)",
        "use smaller arguments, or math.lgamma for the logarithm of huge factorials",
    )


def _int_arg(value: Any, name: str) -> int:
    try:
        return _operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}") from None


# ----------------------------------------------------------------------------------- math
def math_functions(ctx: WrapContext) -> dict[str, Any]:
    """factorial, comb, perm, prod, lcm, gcd and isqrt with the integer-size limit."""
    limits = ctx.limits
    mul = ctx.guards["mul"]

    def factorial(n: Any, /) -> int:
        """Find n!. Raise a ValueError if n is negative; refuse results beyond max_int_digits."""
        n = _int_arg(n, "factorial() argument")
        if n > 20 and _math.lgamma(n + 1) / _LN10 > limits.max_int_digits:
            raise _too_big(f"factorial({n})", _math.lgamma(n + 1) / _LN10, limits)
        return _math.factorial(n)

    def _check_comb(name: str, n: int, k: int, log_value: float) -> None:
        if log_value / _LN10 > limits.max_int_digits:
            raise _too_big(f"{name}({n}, {k})", log_value / _LN10, limits)

    def comb(n: Any, k: Any, /) -> int:
        """Number of ways to choose k items from n items without repetition and without order."""
        n, k = _int_arg(n, "n"), _int_arg(k, "k")
        if 0 <= k <= n and n > 60:
            _check_comb(
                "comb", n, k, _math.lgamma(n + 1) - _math.lgamma(k + 1) - _math.lgamma(n - k + 1)
            )
        return _math.comb(n, k)

    def perm(n: Any, k: Any = None, /) -> int:
        """Number of ways to choose k items from n items without repetition and with order."""
        n = _int_arg(n, "n")
        kk = n if k is None else _int_arg(k, "k")
        if 0 <= kk <= n and n > 20:
            _check_comb("perm", n, kk, _math.lgamma(n + 1) - _math.lgamma(n - kk + 1))
        return _math.perm(n, k) if k is not None else _math.perm(n)

    def prod(iterable: Iterable[Any], /, *, start: Any = 1) -> Any:
        """Product of ``start`` and the items (each multiplication size-checked)."""
        total = start
        for item in iterable:
            total = mul(total, item)
        return total

    def lcm(*integers: Any) -> int:
        """Least common multiple of the integers (result size-checked)."""
        result = 1
        for value in integers:
            value = _int_arg(value, "lcm() argument")
            if result.bit_length() + value.bit_length() > limits.max_int_bits:
                candidate = (
                    _math.lcm(result, value) if value.bit_length() <= limits.max_int_bits else None
                )
                if candidate is None or candidate.bit_length() > limits.max_int_bits:
                    raise _too_big("lcm(...)", limits.max_int_digits + 1, limits)
                result = candidate
            else:
                result = _math.lcm(result, value)
        return result if integers else 1

    def gcd(*integers: Any) -> int:
        """Greatest common divisor of the integers (operands size-checked: gcd is quadratic)."""
        check_int_size(limits, *integers, what="gcd()")
        return _math.gcd(*integers)

    def isqrt(n: Any, /) -> int:
        """Integer square root of n (operand size-checked)."""
        check_int_size(limits, n, what="isqrt()")
        return _math.isqrt(n)

    for func, original in ((factorial, _math.factorial), (comb, _math.comb), (perm, _math.perm)):
        func.__name__ = original.__name__
    return {
        "factorial": factorial,
        "comb": comb,
        "perm": perm,
        "prod": prod,
        "lcm": lcm,
        "gcd": gcd,
        "isqrt": isqrt,
    }


_EXPONENT = _re.compile(r"[eE]\s*([-+]?\d+)")


def _check_numeric_text(text: str, limits: Limits, what: str) -> None:
    if len(text) > limits.max_int_digits + 64:
        raise IntegerLimitExceeded(
            f"{what} from a string of {len(text):,} characters exceeds max_int_digits "
            f"({limits.max_int_digits:,})",
            "use fewer digits",
        )
    match = _EXPONENT.search(text)
    if match and len(match.group(1)) < 30 and abs(int(match.group(1))) > limits.max_int_digits:
        raise IntegerLimitExceeded(
            f"{what} with exponent {match.group(1)} exceeds max_int_digits "
            f"({limits.max_int_digits:,})",
            "use a smaller exponent, or floats for magnitudes",
        )
    if match and len(match.group(1)) >= 30:
        raise IntegerLimitExceeded(f"{what} has an absurd exponent", "use a smaller exponent")


def cap_context(context: _decimal.Context, limits: Limits, max_prec: int) -> _decimal.Context:
    """A copy of ``context`` with exponent range within ±max_int_digits and bounded precision."""
    capped = context.copy()
    capped.Emax = min(capped.Emax, limits.max_int_digits)
    capped.Emin = max(capped.Emin, -limits.max_int_digits)
    capped.prec = min(capped.prec, max_prec)
    return capped


def decimal_functions(ctx: WrapContext) -> dict[str, Any]:
    """Decimal, Context, localcontext, setcontext and the template contexts, bounded."""
    limits, max_prec = ctx.limits, ctx.max_decimal_prec

    def decimal_before(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        value = args[0] if args else kwargs.get("value", "0")
        if isinstance(value, str):
            _check_numeric_text(value, limits, "Decimal")
        elif isinstance(value, (tuple, list)) and len(value) == 3:
            digits = value[1]
            if hasattr(digits, "__len__") and len(digits) > limits.max_int_digits:
                raise IntegerLimitExceeded(
                    f"Decimal with {len(digits):,} digits exceeds max_int_digits",
                    "use fewer digits",
                )

    def decimal_after(value: Any) -> Any:
        check_decimal(value, limits)
        return value

    def check_settings(prec: Any = None, Emin: Any = None, Emax: Any = None) -> None:
        if prec is not None and (not isinstance(prec, int) or prec > max_prec):
            raise WriteDenied(
                f"decimal precision {prec!r} is above the sandbox's {max_prec:,}",
                "use a smaller precision",
                rule="limit.cpu",
            )
        for name, value in (("Emin", Emin), ("Emax", Emax)):
            if value is not None and (
                not isinstance(value, int) or abs(value) > limits.max_int_digits
            ):
                raise WriteDenied(
                    f"decimal {name}={value!r} is beyond ±{limits.max_int_digits:,} "
                    "(max_int_digits)",
                    "use a smaller exponent range",
                    rule="limit.int",
                )

    context_fields = ("prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps")

    def context_before(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        given = dict(zip(context_fields, args))
        given.update(kwargs)
        check_settings(given.get("prec"), given.get("Emin"), given.get("Emax"))

    def context_after(context: _decimal.Context) -> _decimal.Context:
        context.Emax = min(context.Emax, limits.max_int_digits)
        context.Emin = max(context.Emin, -limits.max_int_digits)
        return context

    def localcontext(ctx_: Any = None, **kwargs: Any) -> Any:
        """A context manager for a (bounded) copy of ``ctx`` or of the current context."""
        check_settings(kwargs.get("prec"), kwargs.get("Emin"), kwargs.get("Emax"))
        base = _decimal.getcontext() if ctx_ is None else ctx_
        return _decimal.localcontext(cap_context(base, limits, max_prec), **kwargs)

    def setcontext(context: _decimal.Context, /) -> None:
        """Set a (bounded) copy of ``context`` as the current context."""
        _decimal.setcontext(cap_context(context, limits, max_prec))

    return {
        "Decimal": guarded_class(_decimal.Decimal, before=decimal_before, after=decimal_after),
        "Context": guarded_class(_decimal.Context, before=context_before, after=context_after),
        "localcontext": localcontext,
        "setcontext": setcontext,
        "BasicContext": cap_context(_decimal.BasicContext, limits, max_prec),
        "ExtendedContext": cap_context(_decimal.ExtendedContext, limits, max_prec),
        "DefaultContext": cap_context(_decimal.DefaultContext, limits, max_prec),
    }


def fractions_functions(ctx: WrapContext) -> dict[str, Any]:
    """Fraction, refusing strings and Decimals whose exact value would be enormous."""
    limits = ctx.limits

    def fraction_before(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, str):
                _check_numeric_text(value, limits, "Fraction")
            elif isinstance(value, _decimal.Decimal):
                check_decimal(value, limits)

    return {"Fraction": guarded_class(_fractions.Fraction, before=fraction_before)}
