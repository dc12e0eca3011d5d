"""Ordinary code must keep working in the sandbox (the benign suite decides what is allowed)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

import pytest

from athena_kernel.sandbox.harness import SandboxedShell


@pytest.fixture(scope="module")
def shell() -> Iterator[SandboxedShell]:
    sandboxed = SandboxedShell()
    yield sandboxed
    sandboxed.close()


CASES: list[tuple[str, str, Any]] = [
    (
        "classes",
        "class Point:\n"
        "    def __init__(self, x, y):\n"
        "        self.x, self.y = x, y\n"
        "        self._cache = None\n"
        "    def __repr__(self):\n"
        "        return f'Point({self.x}, {self.y})'\n"
        "    def __eq__(self, other):\n"
        "        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)\n"
        "    def __hash__(self):\n"
        "        return hash((self.x, self.y))\n"
        "    def __add__(self, other):\n"
        "        return Point(self.x + other.x, self.y + other.y)\n"
        "    @property\n"
        "    def norm2(self):\n"
        "        return self.x ** 2 + self.y ** 2\n"
        "    @classmethod\n"
        "    def origin(cls):\n"
        "        return cls(0, 0)\n"
        "    @staticmethod\n"
        "    def zero():\n"
        "        return 0\n"
        "p = Point(1, 2) + Point(3, 4)\n"
        "(repr(p), p == Point(4, 6), len({p, Point(4, 6)}), p.norm2, Point.origin().x)",
        ("Point(4, 6)", True, 1, 52, 0),
    ),
    (
        "inheritance and super",
        "class Base:\n"
        "    def __init__(self, name):\n"
        "        self.name = name\n"
        "    def describe(self):\n"
        "        return f'base {self.name}'\n"
        "class Child(Base):\n"
        "    def __init__(self, name, age):\n"
        "        super().__init__(name)\n"
        "        self.age = age\n"
        "    def describe(self):\n"
        "        return super().describe() + f' aged {self.age}'\n"
        "    def __repr__(self):\n"
        "        return 'Child(' + super().__repr__()[:1] + ')'\n"
        "c = Child('ann', 3)\n"
        "(c.describe(), isinstance(c, Base), issubclass(Child, Base), type(c).__name__)",
        ("base ann aged 3", True, True, "Child"),
    ),
    (
        "exceptions",
        "class AppError(Exception):\n"
        "    def __init__(self, code):\n"
        "        super().__init__(f'code {code}')\n"
        "        self.code = code\n"
        "log = []\n"
        "try:\n"
        "    try:\n"
        "        raise AppError(7)\n"
        "    except AppError as e:\n"
        "        log.append(e.code)\n"
        "        raise ValueError('wrapped') from e\n"
        "    finally:\n"
        "        log.append('finally')\n"
        "except ValueError as e:\n"
        "    log.append(str(e))\n"
        "else:\n"
        "    log.append('else')\n"
        "try:\n"
        "    {}['missing']\n"
        "except KeyError:\n"
        "    log.append('key')\n"
        "except BaseException:\n"
        "    log.append('base')\n"
        "log",
        [7, "finally", "wrapped", "key"],
    ),
    (
        "closures, nonlocal, lambdas, decorators",
        "def counter():\n"
        "    count = 0\n"
        "    def inc(step=1):\n"
        "        nonlocal count\n"
        "        count += step\n"
        "        return count\n"
        "    return inc\n"
        "def twice(fn):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return fn(*args, **kwargs) * 2\n"
        "    return wrapper\n"
        "@twice\n"
        "def add(a, b=1, *, c=0):\n"
        "    return a + b + c\n"
        "inc = counter(); inc(); inc(5)\n"
        "(inc(), add(1, 2, c=3), sorted([3, 1, 2], key=lambda v: -v))",
        (7, 12, [3, 2, 1]),
    ),
    (
        "generators and comprehensions",
        "def fib():\n"
        "    a, b = 0, 1\n"
        "    while True:\n"
        "        yield a\n"
        "        a, b = b, a + b\n"
        "def take(n, it):\n"
        "    for i, v in enumerate(it):\n"
        "        if i >= n:\n"
        "            return\n"
        "        yield v\n"
        "def chain(*its):\n"
        "    for it in its:\n"
        "        yield from it\n"
        "g = fib()\n"
        "first = next(g)\n"
        "(list(take(8, fib())), [x * x for x in range(5) if x % 2],\n"
        " {k: v for k, v in zip('ab', (1, 2))}, {c for c in 'aab'}, sum(x for x in range(10)),\n"
        " list(chain([1], (2, 3))), first)",
        (
            [0, 1, 1, 2, 3, 5, 8, 13],
            [1, 9],
            {"a": 1, "b": 2},
            {"a", "b"},
            45,
            [1, 2, 3],
            0,
        ),
    ),
    (
        "augmented assignment on items and attributes",
        "counts = {}\n"
        "for word in 'a b a c a b'.split():\n"
        "    counts[word] = counts.get(word, 0) + 1\n"
        "counts['a'] += 10\n"
        "grid = [[0] * 3 for _ in range(2)]\n"
        "grid[1][2] += 5\n"
        "grid[0] *= 2\n"
        "class Acc:\n"
        "    pass\n"
        "acc = Acc()\n"
        "acc.total = 1\n"
        "acc.total += 2\n"
        "acc.total *= 4\n"
        "acc.total **= 2\n"
        "acc.total //= 3\n"
        "acc.total %= 7\n"
        "acc.total <<= 1\n"
        "s = 'ab'\n"
        "s *= 3\n"
        "(counts, grid, acc.total, s)",
        None,
    ),
    (
        "match statements",
        "def kind(v):\n"
        "    match v:\n"
        "        case 0 | 1:\n"
        "            return 'small'\n"
        "        case [first, *rest]:\n"
        "            return f'list from {first} with {len(rest)} more'\n"
        "        case {'type': 'user', 'name': str(name)}:\n"
        "            return f'user {name}'\n"
        "        case str() as text if text.isdigit():\n"
        "            return 'digits'\n"
        "        case _:\n"
        "            return 'other'\n"
        "[kind(1), kind([3, 4, 5]), kind({'type': 'user', 'name': 'bo'}), kind('42'), kind(2.5)]",
        ["small", "list from 3 with 2 more", "user bo", "digits", "other"],
    ),
    (
        "f-strings, str.format, % formatting, bytes",
        "name, value = 'pi', 3.14159\n"
        "data = {'k': [1, 2]}\n"
        "(f'{name}={value:.2f} {name!r:>6} {value:{8}.1f}',\n"
        " '{0}-{1[k][1]}-{n.real}'.format(name, data, n=3),\n"
        " '{a}'.format_map({'a': 'x'}), '%s:%05.1f' % (name, value),\n"
        " bytes([72, 105]).decode(), b'ab'.hex(), bytearray(b'xy').upper(), 'x'.join('abc'))",
        None,
    ),
    (
        "dataclasses and enums",
        "from dataclasses import dataclass, field, asdict, replace\n"
        "from enum import Enum, auto\n"
        "class Color(Enum):\n"
        "    RED = auto()\n"
        "    GREEN = auto()\n"
        "@dataclass(order=True)\n"
        "class Item:\n"
        "    priority: int\n"
        "    name: str = field(compare=False)\n"
        "    tags: list[str] = field(default_factory=list)\n"
        "    color: Color = Color.RED\n"
        "    def __post_init__(self):\n"
        "        self.name = self.name.strip()\n"
        "@dataclass(frozen=True)\n"
        "class Frozen:\n"
        "    x: int\n"
        "items = sorted([Item(2, ' b '), Item(1, 'a', ['t'])])\n"
        "(items[0].name, asdict(items[1])['name'], replace(items[0], priority=9).priority,\n"
        " Color.GREEN.name, [c.value for c in Color], Frozen(1) == Frozen(1),\n"
        " list(Color.__members__))",
        ("a", "b", 9, "GREEN", [1, 2], True, ["RED", "GREEN"]),
    ),
    (
        "context managers",
        "class Tracker:\n"
        "    def __init__(self):\n"
        "        self.events = []\n"
        "    def __enter__(self):\n"
        "        self.events.append('enter')\n"
        "        return self\n"
        "    def __exit__(self, exc_type, exc, tb):\n"
        "        self.events.append('exit')\n"
        "        return exc_type is ValueError\n"
        "t = Tracker()\n"
        "with t as tracked:\n"
        "    raise ValueError('suppressed')\n"
        "tracked.events",
        ["enter", "exit"],
    ),
    (
        "stdlib modules",
        "import math, statistics, json, re, datetime, collections, itertools, functools\n"
        "import random, decimal, fractions, textwrap, string, heapq, bisect, hashlib, base64\n"
        "import uuid, copy, pprint, difflib, unicodedata, csv, calendar, operator, time\n"
        "random.seed(3)\n"
        "c = collections.Counter('abracadabra')\n"
        "h = []\n"
        "for v in (5, 1, 3):\n"
        "    heapq.heappush(h, v)\n"
        "(math.isclose(math.sqrt(2) ** 2, 2), statistics.mean([1, 2, 3, 4]),\n"
        " json.loads(json.dumps({'a': [1, 2]})), re.sub(r'(\\w+)@', r'<\\1>', 'bob@x'),\n"
        " datetime.date(2024, 2, 29).isoformat(), c.most_common(1),\n"
        " list(itertools.accumulate([1, 2, 3])), functools.reduce(operator.mul, [1, 2, 3, 4]),\n"
        " str(decimal.Decimal('1.10') + decimal.Decimal('2.2')), fractions.Fraction(1, 3) * 3,\n"
        " textwrap.shorten('hello world again', 12), string.ascii_lowercase[:3],\n"
        " heapq.heappop(h),\n"
        " bisect.bisect([1, 3, 5], 4), hashlib.sha256(b'x').hexdigest()[:8],\n"
        " base64.b64encode(b'hi').decode(), len(str(uuid.uuid4())), copy.deepcopy({'a': [1]}),\n"
        " difflib.SequenceMatcher(None, 'abc', 'abd').ratio() > 0.5, unicodedata.name('a'),\n"
        " calendar.isleap(2024), math.factorial(20), itertools.count(3).__next__())",
        (
            True,
            2.5,
            {"a": [1, 2]},
            "<bob>x",
            "2024-02-29",
            [("a", 5)],
            [1, 3, 6],
            24,
            "3.30",
            1,
            "hello [...]",
            "abc",
            1,
            2,
            "2d711642",
            "aGk=",
            36,
            {"a": [1]},
            True,
            "LATIN SMALL LETTER A",
            True,
            2432902008176640000,
            3,
        ),
    ),
    (
        "collections and typing-free annotations",
        "from collections import defaultdict, OrderedDict, deque, namedtuple\n"
        "from collections.abc import Mapping\n"
        "Pair = namedtuple('Pair', 'left right')\n"
        "groups = defaultdict(list)\n"
        "for word in ['apple', 'avocado', 'banana']:\n"
        "    groups[word[0]].append(word)\n"
        "q = deque([1, 2]); q.appendleft(0); q.rotate(1)\n"
        "def total(values: list[int], scale: float = 1.0) -> float:\n"
        "    return sum(values) * scale\n"
        "class Registry(OrderedDict):\n"
        "    def add(self, key, value):\n"
        "        self[key] = value\n"
        "        return self\n"
        "(dict(groups), list(q), Pair(1, 2).right, total([1, 2], 2.0),\n"
        " list(Registry().add('b', 1).add('a', 2)), isinstance({}, Mapping))",
        ({"a": ["apple", "avocado"], "b": ["banana"]}, [2, 0, 1], 2, 6.0, ["b", "a"], True),
    ),
    (
        "builtins",
        "data = [3, 1, 2]\n"
        "(min(data), max(data), sorted(data, reverse=True), list(reversed(data)), any(data),\n"
        " all(data), list(map(str, data)), list(filter(None, [0, 1])), divmod(7, 2), pow(2, 10),\n"
        " pow(3, 4, 5), round(2.675, 2), abs(-3), hex(255), chr(65), ord('A'), len('abc'),\n"
        " isinstance(3, int), callable(len), type(3) is int, isinstance(int, type),\n"
        " list(range(0, 10, 3)), list(iter([1, 2])), hasattr(data, 'append'),\n"
        " getattr(data, 'count')(3), repr(None), format(3.14159, '.2f'))",
        (
            1,
            3,
            [3, 2, 1],
            [2, 1, 3],
            True,
            True,
            ["3", "1", "2"],
            [1],
            (3, 1),
            1024,
            1,
            2.67,
            3,
            "0xff",
            "A",
            65,
            3,
            True,
            True,
            True,
            True,
            [0, 3, 6, 9],
            [1, 2],
            True,
            1,
            "None",
            "3.14",
        ),
    ),
    (
        "big-but-fine numbers",
        "x = 2 ** 4000\n"
        "y = 3\n"
        "for _ in range(5):\n"
        "    y = y * y\n"
        "(len(str(x)), y % 1000, (10 ** 100) // (10 ** 98), 7 ** 77 % 13)",
        None,
    ),
]


def plain_python(code: str) -> Any:
    """The value of the cell's last expression under plain CPython (no sandbox)."""
    tree = ast.parse(code)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    last = tree.body.pop()
    exec(compile(tree, "<plain>", "exec"), namespace)
    assert isinstance(last, ast.Expr)
    return eval(compile(ast.Expression(last.value), "<plain>", "eval"), namespace)


@pytest.mark.parametrize(("title", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_benign_code(shell: SandboxedShell, title: str, code: str, expected: Any) -> None:
    run = shell.run(code)
    assert run.success, f"{title} failed:\n{run.output}"
    assert run.result == plain_python(code)  # the sandbox computes what CPython computes
    if expected is not None:
        assert run.result == expected


def test_notebook_output_helpers(shell: SandboxedShell) -> None:
    run = shell.run(
        "import sys\nprint('to stderr', file=sys.stderr)\nsys.stdout.write('direct\\n')"
    )
    assert run.success and run.stderr == "to stderr\n" and "direct" in run.stdout
    run = shell.run(
        "from IPython.display import HTML, Markdown, display, clear_output\n"
        "display(HTML('<b>x</b>'), Markdown('*y*'))\nclear_output()"
    )
    assert run.success


def test_dir_lists_public_names(shell: SandboxedShell) -> None:
    assert shell.run("dir([])[:2]").result == ["append", "clear"]
    run = shell.run(
        "class K:\n    def __init__(self):\n        self._own = 1\n        self.pub = 2\ndir(K())"
    )
    assert run.result == ["_own", "pub"]


def test_print_and_display(shell: SandboxedShell) -> None:
    run = shell.run("print('a', 'b', sep='-', end='!\\n')\nprint(*[1, 2])")
    assert run.success and run.stdout == "a-b!\n1 2\n"
    run = shell.run(
        "class Out:\n    def __init__(self):\n        self.parts = []\n"
        "    def write(self, s):\n        self.parts.append(s)\n"
        "o = Out()\nprint('x', file=o)\no.parts"
    )
    assert run.result == ["x", "\n"]


def test_sandbox_errors_can_be_inspected(shell: SandboxedShell) -> None:
    run = shell.run(
        "n = 10 ** 8\ntry:\n    x = 10 ** n\nexcept OverflowError as e:\n"
        "    found = (e.rule, 'digits' in e.message)\nfound"
    )
    assert run.result == ("limit.int", True)
    run = shell.run(
        "from functools import total_ordering\n@total_ordering\nclass V:\n"
        "    def __init__(self, v):\n        self.v = v\n"
        "    def __eq__(self, o):\n        return self.v == o.v\n"
        "    def __lt__(self, o):\n        return self.v < o.v\n"
        "V(1) >= V(0)"
    )
    assert run.result is True
    run = shell.run(
        "from collections.abc import Sized\nclass Box:\n    def __len__(self):\n        return 3\n"
        "class Mine(Sized):\n    def __len__(self):\n        return 0\nMine.register(Box)\n"
        "isinstance(Box(), Mine)"
    )
    assert run.result is True


def test_global_statement_and_redefinition(shell: SandboxedShell) -> None:
    assert shell.run(
        "counter = 0\ndef bump():\n    global counter\n    counter += 1\nbump(); bump()"
    ).success
    assert shell.run("counter").result == 2


def test_state_carries_across_cells(shell: SandboxedShell) -> None:
    assert shell.run("class Node:\n    def __init__(self, v):\n        self.v = v").success
    assert shell.run("nodes = [Node(i) for i in range(3)]").success
    assert shell.run("sum(n.v for n in nodes)").result == 3
