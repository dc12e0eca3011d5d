"""The run-time guards on their own (no shell): operators, access, classes, iteration, limits."""

from __future__ import annotations

import decimal
import sys
from fractions import Fraction

import pytest

from athena_kernel.policy import (
    AccessDenied,
    ClassDenied,
    IntegerLimitExceeded,
    MemoryLimitExceeded,
    PolicyConfig,
    RegexRejected,
    WriteDenied,
)
from athena_kernel.sandbox.guards.iteration import NATIVE_RANGE_LIMIT, LargeRange
from athena_kernel.sandbox.limits import MemoryLimit, RecursionLimit, address_space_bytes
from athena_kernel.sandbox.modules.regex_safety import check_regex
from athena_kernel.sandbox.runtime import SandboxRuntime

RUNTIME = SandboxRuntime(PolicyConfig())
G = RUNTIME.guards
B = RUNTIME.builtins


# ------------------------------------------------------------------------------ arithmetic
def test_pow_mul_lshift_within_limits_behave_natively() -> None:
    assert G["pow"](2, 100) == 2**100 and G["pow"](2.0, 0.5) == 2**0.5
    assert G["pow"](3, 200, 7) == pow(3, 200, 7) and G["pow"](2, -2) == 0.25
    assert G["mul"](3, 4) == 12 and G["mul"]("ab", 3) == "ababab" and G["mul"]([1], 2) == [1, 1]
    assert G["lshift"](1, 100) == 1 << 100
    assert G["floordiv"](7, 2) == 3 and G["mod"]("%d", 5) == "5" and G["divmod"](7, 2) == (3, 1)
    assert G["pow"](Fraction(1, 2), 3) == Fraction(1, 8)


@pytest.mark.parametrize(
    ("guard", "args"),
    [
        ("pow", (10, 10**8)),
        ("pow", (-3, 10**6)),
        ("pow", (Fraction(3, 2), 10**6)),
        ("pow", (Fraction(3, 2), -(10**6))),
        ("mul", (10**3000, 10**3000)),
        ("mul", (Fraction(10**3000, 3), 10**2000)),
        ("lshift", (1, 10**6)),
        ("floordiv", (1 << 20_000, 3)),
        ("mod", (1 << 20_000, 3)),
        ("divmod", (1 << 20_000, 3)),
        ("pow", (3, 5, 1 << 20_000)),
    ],
)
def test_integer_guards(guard: str, args: tuple[object, ...]) -> None:
    with pytest.raises(IntegerLimitExceeded) as caught:
        G[guard](*args)
    assert caught.value.rule == "limit.int" and "max_int_digits" in str(caught.value)


@pytest.mark.parametrize(
    ("seq", "times"), [("a", 10**10), (b"ab", 10**9), ([0], 10**9), ((1, 2), 10**9)]
)
def test_repetition_guards(seq: object, times: int) -> None:
    with pytest.raises(MemoryLimitExceeded) as caught:
        G["mul"](seq, times)
    assert "memory_limit_mb" in str(caught.value)
    with pytest.raises(MemoryLimitExceeded):
        G["mul"](times, seq)


def test_inplace_operators() -> None:
    values = [1, 2]
    assert G["inplacevar"]("*=", values, 2) is values and values == [1, 2, 1, 2]
    assert G["inplacevar"]("+=", 1, 2) == 3
    with pytest.raises(IntegerLimitExceeded):
        G["inplacevar"]("**=", 10, 10**8)
    with pytest.raises(ValueError):
        G["inplacevar"]("=", 1, 2)


# ---------------------------------------------------------------------------------- access
class Own:
    """Stands for a class a cell defined (marked as its classes are)."""

    def __init__(self) -> None:
        self._private = 1


type.__setattr__(Own, "__athena_owned__", True)


class Foreign:
    def __init__(self) -> None:
        self._private = 1
        self.public = 2


def test_getattr_rules() -> None:
    getattr_ = G["getattr"]
    assert getattr_(Own(), "_private") == 1
    assert getattr_(Foreign(), "public") == 2
    with pytest.raises(AccessDenied) as caught:
        getattr_(Foreign(), "_private")
    assert caught.value.rule == "policy.private"
    assert getattr_(Foreign(), "_private", "default") == "default"
    assert getattr_(Foreign(), "missing", None) is None
    with pytest.raises(AccessDenied):
        getattr_(Foreign(), "__dict__")
    assert getattr_(Own(), "__dict__") == {"_private": 1}
    with pytest.raises(AccessDenied):
        getattr_(getattr_, "__globals__")
    with pytest.raises(AccessDenied):
        getattr_(Foreign(), "__init__")  # mutating special method on a foreign object
    assert getattr_(Foreign(), "__repr__")().startswith("<")
    assert getattr_(3, "__class__") is int
    with pytest.raises(TypeError):
        getattr_(3, 7)


def test_getattr_denies_modules_and_internals() -> None:
    getattr_ = G["getattr"]
    with pytest.raises(AccessDenied):
        getattr_(sys, "modules")
    with pytest.raises(AccessDenied):
        getattr_(sys._getframe(), "f_lineno")
    with pytest.raises(AccessDenied):
        getattr_(decimal, "Decimal")

    class Holder:
        mod = decimal

    with pytest.raises(AccessDenied):
        getattr_(Holder(), "mod")  # a module found as an attribute is not handed out
    assert G["hasattr"](Holder(), "mod") is False


def test_sealed_objects() -> None:
    runtime = SandboxRuntime(PolicyConfig())
    facade = Foreign()
    runtime.seal(facade)
    getattr_ = runtime.guards["getattr"]
    assert getattr_(facade, "public") == 2
    with pytest.raises(AccessDenied):
        getattr_(facade, "__class__")
    with pytest.raises(AccessDenied):
        runtime.builtins["type"](facade)
    with pytest.raises(AccessDenied):
        getattr_(Foreign, "public")  # the class of a sealed object is unreachable
    with pytest.raises(WriteDenied):
        runtime.guards["write"](facade)


def test_format_goes_through_the_guard() -> None:
    fmt = G["getattr"]("{0.public} {1[a]}", "format")
    assert fmt(Foreign(), {"a": 1}) == "2 1"
    with pytest.raises(AccessDenied):
        G["getattr"]("{0._private}", "format")(Foreign())
    with pytest.raises(AccessDenied):
        G["getattr"](str, "format")("{0.__class__.__mro__}", 1)
    assert G["getattr"]("{x}", "format_map")({"x": 5}) == "5"


def test_write_guard() -> None:
    write = G["write"]
    for container in ({}, [], bytearray(), Own()):
        assert write(container) is container
    with pytest.raises(WriteDenied):
        write(Foreign())
    with pytest.raises(WriteDenied):
        write(Foreign)
    with pytest.raises(AccessDenied):
        G["setattr"](Own(), "__class__", int)
    with pytest.raises(AccessDenied):
        G["setattr"](Foreign(), "_private", 3)
    own = Own()
    G["setattr"](own, "_private", 5)
    assert own._private == 5


def test_decimal_context_writes_are_bounded() -> None:
    context = decimal.Context()
    writer = G["write"](context)
    writer.prec = 50
    writer.rounding = decimal.ROUND_DOWN
    assert context.prec == 50
    with pytest.raises(WriteDenied):
        writer.prec = 10**8
    with pytest.raises(WriteDenied):
        writer.Emax = 10**9
    with pytest.raises(WriteDenied):
        writer.traps = {}


# --------------------------------------------------------------------------------- classes
def test_class_factory_checks_bases_and_marks_classes() -> None:
    factory = B["__metaclass__"]
    cls = factory("A", (dict,), {"__module__": "cell"})
    assert cls.__athena_owned__ is True and issubclass(cls, dict)
    sub = factory("B", (cls,), {"__module__": "cell"})
    assert sub.__athena_owned__ is True
    for base in (type, Foreign, SandboxRuntime):
        with pytest.raises(ClassDenied):
            factory("C", (base,), {})


def test_safe_type() -> None:
    safe_type = B["type"]
    assert safe_type(3) is int and safe_type("x") is str
    assert isinstance(int, safe_type) and issubclass(type, safe_type)
    assert not isinstance(3, safe_type)
    with pytest.raises(ClassDenied):
        safe_type("X", (), {})


def test_reraise_interrupt() -> None:
    reraise = B["_reraise_interrupt_"]
    try:
        raise ValueError("x")
    except ValueError:
        reraise()  # not an interrupt: nothing happens
    with pytest.raises(KeyboardInterrupt):
        try:
            raise KeyboardInterrupt
        except BaseException:
            reraise()


def test_exit_guard() -> None:
    guard = B["_guard_exit_"]

    def swallow(self: object, *exc: object) -> bool:
        return True

    wrapped = guard(swallow)
    assert wrapped(None, ValueError, ValueError(), None) is True
    assert wrapped(None, KeyboardInterrupt, KeyboardInterrupt(), None) is False


# ------------------------------------------------------------------------------ iteration
def test_range_behaves_like_range() -> None:
    small = B["range"](10)
    assert type(small) is range
    big = B["range"](0, 10**12, 3)
    assert isinstance(big, LargeRange)
    native = range(0, 10**12, 3)
    assert len(big) == len(native) and big[5] == native[5] and big[-1] == native[-1]
    assert 9 in big and 10 not in big and big.index(9) == 3 and big.count(9) == 1
    assert repr(big) == repr(native) and big == native and (big.start, big.step) == (0, 3)
    assert isinstance(big[: NATIVE_RANGE_LIMIT + 5], LargeRange) and list(big[:3]) == [0, 3, 6]
    assert next(iter(reversed(big))) == native[-1]
    assert bool(B["range"](0)) is False


def test_iter_and_sum() -> None:
    calls = iter([1, 2, 0, 3]).__next__
    assert list(B["iter"](calls, 0)) == [1, 2]
    assert B["sum"]([1, 2, 3]) == 6 and B["sum"]([[1], [2]], []) == [1, 2]
    with pytest.raises(TypeError):
        B["sum"](["a"], "")


# ---------------------------------------------------------------------------------- regexes
@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a*)*", r"(\w+\s*)*$", r"(.*a){20}", r"(a|b+)+c", r"(x+x+)+y"]
)
def test_catastrophic_patterns(pattern: str) -> None:
    with pytest.raises(RegexRejected):
        check_regex(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(\d+,)*\d+",
        r"([a-z]+\.)+[a-z]+",
        r"\w+@\w+\.com",
        r"(?:foo|bar)+",
        r"(a++)+",
        r'("[^"]*",)*',
    ],
)
def test_ordinary_patterns(pattern: str) -> None:
    check_regex(pattern)


# ----------------------------------------------------------------------------------- limits
@pytest.mark.skipif(address_space_bytes() is None, reason="needs /proc/self/statm")
def test_memory_limit_is_reentrant_and_restores() -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    limit = MemoryLimit(256 * 2**20)
    limit.enter()
    limit.enter()
    assert limit.active
    with pytest.raises(MemoryError):
        bytearray(2 * 2**30)
    limit.exit()
    assert limit.active
    limit.exit()
    assert not limit.active and resource.getrlimit(resource.RLIMIT_AS) == before


def test_recursion_limit_restores() -> None:
    before = sys.getrecursionlimit()
    limit = RecursionLimit(100)
    limit.enter()
    assert sys.getrecursionlimit() < before or before < 200
    limit.exit()
    assert sys.getrecursionlimit() == before
