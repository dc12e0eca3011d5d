"""Limits: each fails with its documented message, the kernel survives, the next cell works."""

from __future__ import annotations

import decimal
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from athena_kernel.policy import PolicyConfig
from athena_kernel.sandbox.harness import CellRun, SandboxedShell


class Memory:
    """A bound object whose state must survive every failure."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def remember(self, text: str) -> int:
        """Store text, return how many are stored."""
        self.items.append(text)
        return len(self.items)


@pytest.fixture(scope="module")
def shell() -> Iterator[SandboxedShell]:
    sandboxed = SandboxedShell(names={"memory": Memory()})
    yield sandboxed
    sandboxed.close()


def fails_with(shell: SandboxedShell, code: str, rule: str, *fragments: str) -> CellRun:
    run = shell.run(code)
    assert not run.success, f"expected {rule}:\n{code}\n{run.output}"
    assert run.rule == rule, run.output
    for fragment in fragments:
        assert fragment in str(run.error) and fragment in run.output
    after = shell.run("memory.remember('after')")
    assert after.success and isinstance(after.result, int), after.output
    return run


class Interrupter:
    """Sends SIGINT to this process after ``delay``, then every ``every`` seconds, until stopped."""

    def __init__(self, delay: float, every: float = 0.25) -> None:
        self.delay, self.every = delay, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        if self.stop.wait(self.delay):
            return
        while not self.stop.is_set():
            os.kill(os.getpid(), signal.SIGINT)
            if self.stop.wait(self.every):
                return

    def __enter__(self) -> Interrupter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


# ------------------------------------------------------------------------------ integers
def test_integer_bombs_are_refused_before_they_run(shell: SandboxedShell) -> None:
    started = time.monotonic()
    fails_with(shell, "n = 10 ** 8\nx = 10 ** n", "limit.int", "max_int_digits")
    fails_with(shell, "n = 3\nfor _ in range(40):\n    n = n * n", "limit.int", "max_int_digits")
    fails_with(shell, "x = 1\nx <<= 10 ** 8", "limit.int")
    fails_with(shell, "big = int.from_bytes(b'\\xff' * 100_000, 'big')", "limit.int")
    fails_with(shell, "import math\nmath.factorial(10 ** 6)", "limit.int", "factorial")
    fails_with(shell, "import math\nmath.comb(10 ** 6, 5 * 10 ** 5)", "limit.int")
    fails_with(shell, "import math\nmath.prod([10 ** 4000] * 5)", "limit.int")
    fails_with(shell, "import operator\nn = 10 ** 8\noperator.pow(7, n)", "limit.int")
    fails_with(shell, "n = 10 ** 8\npow(7, n)", "limit.int")
    fails_with(
        shell, "from fractions import Fraction\nn = 10 ** 8\nFraction(3, 2) ** n", "limit.int"
    )
    fails_with(shell, "from fractions import Fraction\nFraction('1e100000000')", "limit.int")
    fails_with(shell, "from decimal import Decimal\nDecimal('1e999999')", "limit.int")
    assert time.monotonic() - started < 10


def test_decimal_contexts_stay_bounded(shell: SandboxedShell) -> None:
    fails_with(shell, "import decimal\ndecimal.getcontext().prec = 10 ** 7", "limit.cpu")
    fails_with(shell, "import decimal\ndecimal.getcontext().Emax = 10 ** 9", "limit.int")
    fails_with(shell, "import decimal\ndecimal.Context(prec=10 ** 8)", "limit.cpu")
    run = shell.run("import decimal\nwith decimal.localcontext(prec=50) as c:\n    p = c.prec\np")
    assert run.result == 50
    run = shell.run("from decimal import Decimal\nint(Decimal(10) ** 999998)")
    assert not run.success and run.error_name == "Overflow"  # capped exponent range
    assert decimal.getcontext().Emax == decimal.DefaultContext.Emax  # the kernel's is untouched


def test_other_long_c_calls(shell: SandboxedShell) -> None:
    fails_with(shell, "import re\nre.match(r'(a+)+$', 'a' * 40 + 'b')", "limit.regex", "nested")
    fails_with(shell, "import re\np = re.compile(r'(\\w+\\s*)*$')", "limit.regex")
    fails_with(
        shell, "import hashlib\nhashlib.pbkdf2_hmac('sha256', b'p', b's', 10 ** 9)", "limit.cpu"
    )


# ------------------------------------------------------------------------------- memory
def test_repetition_bombs_are_refused_before_they_run(shell: SandboxedShell) -> None:
    fails_with(shell, "n = 10 ** 10\ns = 'a' * n", "limit.memory", "memory_limit_mb")
    fails_with(shell, "n = 10 ** 10\nx = [0] * n", "limit.memory", "memory_limit_mb")
    fails_with(shell, "x = 'a' * 10 ** 10", "limit.memory")  # static
    fails_with(shell, "x = [0]\nx *= 10 ** 10", "limit.memory")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_allocations_beyond_the_cell_limit_fail_cleanly(shell: SandboxedShell) -> None:
    import resource

    assert shell.sandbox.memory_limit.supported
    before = resource.getrlimit(resource.RLIMIT_AS)
    fails_with(shell, "b = bytes(10 ** 10)", "limit.memory", "memory_limit_mb")
    fails_with(shell, "b = bytearray(2 * 10 ** 9)", "limit.memory")
    fails_with(shell, "s = 'ab'.ljust(10 ** 10)", "limit.memory")
    fails_with(shell, "chunks = []\nwhile True:\n    chunks.append(bytes(10 ** 7))", "limit.memory")
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # lifted after the cell
    assert shell.run("x = bytes(10 ** 8)\nlen(x)").result == 10**8  # 100 MB is fine


# ---------------------------------------------------------------------------- recursion
def test_recursion_limit(shell: SandboxedShell) -> None:
    before = sys.getrecursionlimit()
    run = fails_with(
        shell, "def f(n):\n    return f(n + 1)\nf(0)", "limit.recursion", "max_recursion_depth"
    )
    assert run.error_name == "RecursionLimitExceeded"
    assert sys.getrecursionlimit() == before
    assert shell.run("def g(n):\n    return 0 if n == 0 else 1 + g(n - 1)\ng(400)").result == 400


# ---------------------------------------------------------------------------- interrupts
SWALLOWERS = [
    "import time\nwhile True:\n    try:\n        time.sleep(5)\n"
    "    except BaseException:\n        pass",
    "while True:\n    try:\n        pass\n    except:\n        pass",
    "while True:\n    try:\n        x = 1\n    except KeyboardInterrupt:\n        continue",
    "while True:\n    try:\n        x = 1\n"
    "    except (ValueError, BaseException) as e:\n        pass",
    "E = BaseException\nwhile True:\n    try:\n        x = 1\n    except E:\n        pass",
    "class Swallow:\n    def __enter__(self):\n        return self\n"
    "    def __exit__(self, *exc):\n        return True\n"
    "while True:\n    with Swallow():\n        while True:\n            pass",
    "while True:\n    try:\n        while True:\n            pass\n    finally:\n        x = 1",
    "def gen():\n    while True:\n        try:\n            yield 1\n"
    "        except BaseException:\n            pass\n"
    "for _ in gen():\n    pass",
]


@pytest.mark.parametrize("code", SWALLOWERS)
def test_interrupts_cannot_be_swallowed(shell: SandboxedShell, code: str) -> None:
    started = time.monotonic()
    with Interrupter(0.3):
        run = shell.run(code)
    assert not run.success and run.error_name == "KeyboardInterrupt", run.output
    assert time.monotonic() - started < 5
    assert shell.run("memory.remember('after')").success


@pytest.mark.parametrize(
    "code",
    [
        "sum(range(10 ** 14))",
        "import itertools\nmax(itertools.count())",
        "any(iter(int, 1))",
        "import itertools\nsum(itertools.repeat(1))",
        "import itertools\nall(itertools.cycle([1]))",
        "import itertools\nsum(1 for _ in itertools.product(range(100), repeat=10))",
        "import collections, itertools\ncollections.deque(itertools.count(), maxlen=0)",
        "x = [[0] * 100] * 50_000\nsum(x, [])",
    ],
)
def test_long_c_loops_stay_interruptible(shell: SandboxedShell, code: str) -> None:
    started = time.monotonic()
    with Interrupter(0.3):
        run = shell.run(code)
    assert not run.success and run.error_name == "KeyboardInterrupt", run.output
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- cell input
def test_oversized_and_hostile_cells(shell: SandboxedShell) -> None:
    fails_with(shell, "x = 1\n" * 6000, "policy.size", "max_cell_lines")
    fails_with(shell, "x = 1" + "+1" * 100_000, "policy.complexity")
    fails_with(shell, "x = " + "-" * 100_000 + "1", "policy.complexity")
    fails_with(shell, "x = a" + ".b" * 100_000, "policy.complexity")


def test_output_ceiling() -> None:
    small = SandboxedShell(PolicyConfig(max_cell_output_chars=1000))
    try:
        run = small.run("while True:\n    print('x' * 99)")
        assert not run.success and run.rule == "limit.output"
        assert "1,000 characters" in str(run.error)
        assert small.run("print('fine')").stdout == "fine\n"  # a new cell has a new budget
    finally:
        small.close()
