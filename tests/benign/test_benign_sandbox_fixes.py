"""Unit tests for what the benign suite found the sandbox wrongly refused, and the fixes' limits.

Each fix lets ordinary code through; the tests beside it check that the neighbouring hostile
forms stay refused. Pure in-process tests (no kernel): a sandboxed ``InteractiveShell``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from athena_kernel.policy import PolicyConfig
from athena_kernel.sandbox.harness import SandboxedShell
from athena_kernel.sandbox.modules.catalog import CATALOG
from athena_kernel.sandbox.runtime import SandboxRuntime

pytestmark = pytest.mark.benign

REFUSED = ("PolicyViolation", "AccessDenied", "WriteDenied", "AttributeError", "TypeError")


@pytest.fixture(scope="module")
def shell() -> Iterator[SandboxedShell]:
    sandboxed = SandboxedShell()
    yield sandboxed
    sandboxed.close()


# ------------------------------------------------ decorators name the functions they return
DECORATOR = """
def logged(fn):
    def wrapper(*args):
        return fn(*args)
    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    return wrapper
@logged
def area(w, h):
    "Area of a rectangle."
    return w * h
(area(2, 3), area.__name__, area.__qualname__, area.__doc__)
"""


def test_decorator_may_copy_name_qualname_doc(shell: SandboxedShell) -> None:
    run = shell.run(DECORATOR)
    assert run.success, run.error
    assert run.result == (6, "area", "area", "Area of a rectangle.")


def test_own_class_may_be_renamed_and_documented(shell: SandboxedShell) -> None:
    run = shell.run(
        "class Row:\n    pass\nRow.__doc__ = 'One row.'\nRow.__qualname__ = 'Table.Row'\n"
        "(Row.__doc__, Row.__qualname__)"
    )
    assert run.success, run.error
    assert run.result == ("One row.", "Table.Row")


@pytest.mark.parametrize(
    "code",
    [
        "len.__name__ = 'x'",  # a builtin function: not the cell's
        "import json\njson.dumps.__doc__ = 'x'",  # a curated module's function
        "import json\njson.JSONEncoder.__doc__ = 'x'",  # a class the kernel shares
        "import collections\ncollections.Counter.__qualname__ = 'x'",
        "(1).__doc__ = 'x'",
        "'s'.__name__ = 'x'",
    ],
)
def test_names_of_shared_objects_stay_read_only(shell: SandboxedShell, code: str) -> None:
    run = shell.run(code)
    assert not run.success
    assert run.error_name in REFUSED


@pytest.mark.parametrize(
    "code",
    [
        "def f(): pass\nf.__module__ = 'os'",
        "def f(): pass\nf.__globals__ = {}",
        "def f(): pass\nf.__code__ = None",
        "def f(): pass\nf.__defaults__ = (1,)",
        "def f(): pass\nf.__kwdefaults__ = {}",
        "def f(): pass\nf.__dict__ = {}",
        "class A:\n    pass\nA.__module__ = 'athena_kernel.memory.facade'",
        "class A:\n    pass\nA.__bases__ = (object,)",
        "class A:\n    pass\na = A()\na.__class__ = int",
        "def f(): pass\ndel f.__name__",
        "def f(): pass\ndel f.__doc__",
    ],
)
def test_other_dunder_writes_stay_refused(shell: SandboxedShell, code: str) -> None:
    run = shell.run(code)
    assert not run.success
    assert run.rule == "policy.dunder"


# ------------------------------------------------ special-method aliases in a class body
ALIASES = """
class Vec:
    def __init__(self, *xs):
        self.xs = xs
    def __mul__(self, k):
        return Vec(*(x * k for x in self.xs))
    __rmul__ = __mul__
    def __repr__(self):
        return f"Vec{self.xs}"
    __str__ = __repr__
    def __eq__(self, other):
        return self.xs == other.xs
    __hash__ = None
(repr(3 * Vec(1, 2)), str(Vec(5)), Vec(1) == Vec(1))
"""


def test_special_method_aliases_in_class_body(shell: SandboxedShell) -> None:
    run = shell.run(ALIASES)
    assert run.success, run.error
    assert run.result == ("Vec(3, 6)", "Vec(5,)", True)
    unhashable = shell.run("hash(Vec(1))")
    assert unhashable.error_name == "TypeError"


@pytest.mark.parametrize(
    "code",
    [
        # __exit__ must be a def: only then is it wrapped so it cannot swallow the timeout
        "class C:\n    def __call__(self, *a):\n        return True\n    __exit__ = __call__",
        # only special methods may be aliased, and only to special methods or None
        "class C:\n    __getattribute__ = None",
        "class C:\n    __class__ = None",
        "class C:\n    __slots__ = None",
        "class C:\n    __metaclass__ = None",
        "class C:\n    def run(self):\n        pass\n    __call__ = run",
        "class C:\n    __add__ = __metaclass__",
        "class C:\n    __add__ = __import__",
        "class C:\n    __add__ = __builtins__",
        "class C:\n    __add__ = __sub__ = __build_class__",
        "class C:\n    __add__ = 1",
        "class C:\n    __add__, __sub__ = None, None",
        "class C:\n    x = __add__ = None",
        # outside a class body nothing changes
        "__add__ = None",
        "def f():\n    __add__ = None",
        "class C:\n    def m(self):\n        __add__ = None",
        "class C:\n    if True:\n        __add__ = None",
    ],
)
def test_other_reserved_assignments_stay_refused(shell: SandboxedShell, code: str) -> None:
    run = shell.run(code)
    assert not run.success
    assert run.rule in ("policy.dunder", "policy.private", "policy.restricted")


def test_exit_alias_cannot_swallow_an_interrupt(shell: SandboxedShell) -> None:
    run = shell.run(
        "class C:\n    def __enter__(self):\n        return self\n"
        "    def __call__(self, *a):\n        return True\n    __exit__ = __call__\n"
    )
    assert run.rule == "policy.dunder"


# ------------------------------------------------ namedtuple's documented underscore API
NAMEDTUPLE = """
from collections import namedtuple
Point = namedtuple("Point", "x y", defaults=[0])
p = Point(3)._replace(y=10)
(p, p._asdict(), Point._fields, Point._field_defaults, Point._make([1, 2]), p._fields)
"""


def test_namedtuple_public_underscore_api(shell: SandboxedShell) -> None:
    run = shell.run(NAMEDTUPLE)
    assert run.success, run.error
    point, as_dict, fields, defaults, made, instance_fields = run.result
    assert (point.x, point.y) == (3, 10)
    assert as_dict == {"x": 3, "y": 10}
    assert fields == instance_fields == ("x", "y")
    assert defaults == {"y": 0}
    assert tuple(made) == (1, 2)


def test_namedtuple_defaults_dict_is_a_copy(shell: SandboxedShell) -> None:
    run = shell.run(
        "from collections import namedtuple\nP = namedtuple('P', 'a', defaults=[1])\n"
        "d = P._field_defaults\nd['a'] = 99\n(P._field_defaults, P().a)"
    )
    assert run.success, run.error
    assert run.result == ({"a": 1}, 1)


def test_trusted_namedtuples_share_the_api(shell: SandboxedShell) -> None:
    run = shell.run(
        "from functools import lru_cache\n@lru_cache\ndef f(x):\n    return x\nf(1); f(1)\n"
        "f.cache_info()._asdict()"
    )
    assert run.success, run.error
    assert run.result == {"hits": 1, "misses": 1, "maxsize": 128, "currsize": 1}


@pytest.mark.parametrize(
    "code",
    [
        # other private names of a namedtuple are not part of the API
        "from collections import namedtuple\nP = namedtuple('P', 'a')\nP(1)._tuple_new",
        "from collections import namedtuple\nP = namedtuple('P', 'a')\nP._make.__func__",
        # the API names on objects that are not namedtuples
        "(1, 2)._asdict()",
        "class T(tuple):\n    pass\nT()._make([1])",
        "import json\njson._replace",
    ],
)
def test_namedtuple_exception_is_narrow(shell: SandboxedShell, code: str) -> None:
    run = shell.run(code)
    assert not run.success
    assert run.error_name in REFUSED


def test_overridden_namedtuple_api_is_not_trusted(shell: SandboxedShell) -> None:
    # a subclass's own _replace is the cell's code anyway; a non-collections one on a class the
    # cell did not define is refused (it is not namedtuple's generated method)
    run = shell.run(
        "from collections import namedtuple\nclass P(namedtuple('P', 'a')):\n"
        "    def _replace(self, **kw):\n        return 'own'\nP(1)._replace()"
    )
    assert run.success, run.error
    assert run.result == "own"


# ------------------------------------------------ allowed modules are importable after lock-down
@pytest.mark.parametrize("module", ["cmath", "zoneinfo", "difflib"])
def test_runtime_imports_allowed_modules_up_front(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker builds its runtime before it closes the file system: every curated allowed
    module must be imported by then (``cmath`` is a C extension nothing else loads)."""
    monkeypatch.delitem(sys.modules, module, raising=False)
    SandboxRuntime(PolicyConfig())
    assert module in sys.modules


def test_only_allowed_catalogued_modules_are_imported_up_front(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "cmath" in CATALOG
    monkeypatch.delitem(sys.modules, "cmath", raising=False)
    config = PolicyConfig(allowed_modules=frozenset({"json"}))
    SandboxRuntime(config)
    assert "cmath" not in sys.modules
