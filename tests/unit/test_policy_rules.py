"""The static policy: every rule rejects its example with its id, position and advice."""

from __future__ import annotations

import pytest
from IPython.core.error import InputRejected

from athena_kernel.config import AthenaSettings
from athena_kernel.policy import (
    RULES,
    PolicyConfig,
    PolicyViolation,
    rule_ids,
    validate,
    validate_cell,
)

CONFIG = PolicyConfig()


def rejection(source: str, config: PolicyConfig = CONFIG) -> PolicyViolation:
    with pytest.raises(PolicyViolation) as caught:
        validate_cell(source, config)
    return caught.value


@pytest.mark.parametrize("rule", [r for r in rule_ids() if RULES[r].example is not None])
def test_every_rule_rejects_its_example(rule: str) -> None:
    violation = rejection(RULES[rule].example)  # type: ignore[arg-type]
    assert violation.rule == rule
    assert violation.message
    assert violation.line is not None and violation.col is not None


def test_violation_is_an_input_rejected_with_the_documented_form() -> None:
    violation = rejection("x = 1\ny = 2\nimport os")
    assert isinstance(violation, InputRejected)
    assert (violation.rule, violation.line, violation.col) == ("policy.import", 3, 0)
    text = str(violation)
    assert text.startswith("[policy.import] line 3, col 0: import of 'os' is not allowed — ")
    assert "use memory.* for storage" in violation.advice
    assert "allowed modules: " in text and "json" in text and "math" in text
    assert violation._render_traceback_() == [f"PolicyViolation: {text}"]


def test_the_earliest_problem_is_reported() -> None:
    violation = rejection("import json\nx = ().__bases__\nimport os")
    assert (violation.rule, violation.line) == ("policy.dunder", 2)


def test_accepts_settings_objects() -> None:
    validate("import json", AthenaSettings(environ={}))
    human = AthenaSettings(environ={}, profile="human", allowed_modules=["json", "math", "os"])
    with pytest.raises(PolicyViolation) as caught:
        validate("import os", human)  # never allowed, whatever the configuration says
    assert caught.value.rule == "policy.import"
    with pytest.raises(PolicyViolation):
        validate("import math", AthenaSettings(environ={}, allowed_modules=["json"]))


# ------------------------------------------------------------------------------------- imports
@pytest.mark.parametrize(
    "source",
    [
        "import os",
        "import sys.monitoring",
        "import subprocess",
        "import importlib",
        "import typing",
        "import inspect",
        "import ctypes",
        "import pickle",
        "import gc",
        "import builtins",
        "import _thread",
        "from os import path",
        "import json.decoder",
        "from . import x",
        "from json import *",
        "from json import codecs",
        "from functools import update_wrapper",
        "from functools import wraps",
        "from operator import attrgetter",
        "from operator import methodcaller",
        "from string import Formatter",
        "from re import enum",
        "import athena_kernel",
        "import IPython.core.interactiveshell",
        "from IPython import get_ipython",
    ],
)
def test_import_rule(source: str) -> None:
    assert rejection(source).rule == "policy.import"


def test_import_advice_names_the_alternative() -> None:
    assert "list[int]" in rejection("from typing import List").advice
    assert "memory" in rejection("import pathlib").advice
    assert "network" in rejection("import requests").advice


def test_from_import_lists_what_the_module_provides() -> None:
    violation = rejection("from json import codecs")
    assert "json provides: " in violation.advice and "dumps" in violation.advice


def test_curated_imports_pass() -> None:
    validate_cell("import json, math\nfrom collections import Counter\nimport collections.abc")
    validate_cell("from collections.abc import Mapping\nfrom datetime import datetime as dt")


def test_future_annotations_is_rejected_other_futures_pass() -> None:
    assert rejection("from __future__ import annotations").rule == "policy.annotation"
    validate_cell("from __future__ import generator_stop")


# --------------------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    "name", ["open", "exec", "eval", "compile", "globals", "locals", "vars", "input", "breakpoint"]
)
def test_forbidden_builtins(name: str) -> None:
    violation = rejection(f"{name}('x')")
    assert violation.rule == "policy.name"
    assert name in violation.message and violation.advice


def test_forbidden_names_may_be_bound_by_the_cell() -> None:
    validate_cell("def open(x):\n    return x\n")  # shadowing is harmless; calling it is not
    assert rejection("def f():\n    return help\n").rule == "policy.name"


@pytest.mark.parametrize(
    "source",
    [
        "__builtins__",
        "__import__('os')",
        "_getattr_ = 1",
        "def f(_write_): pass",
        "class __X__: pass",
        "global _getattr_",
        "try:\n    pass\nexcept Exception as __e__:\n    pass",
        "import json as _json_",
    ],
)
def test_reserved_names(source: str) -> None:
    assert rejection(source).rule in ("policy.dunder", "policy.private")


def test_private_and_output_names_are_ordinary() -> None:
    validate_cell("_tmp = 1\n_\n__\n___\n_1 = 2\nfor _ in range(3): pass")


def test_special_methods_only_in_classes() -> None:
    validate_cell("class A:\n    def __init__(self): pass\n    def __repr__(self): return 'A'")
    validate_cell("class A:\n    def _repr_html_(self): return '<b>A</b>'")
    assert rejection("class A:\n    def __del__(self): pass").rule == "policy.dunder"
    assert rejection("class A:\n    def __getattribute__(self, n): pass").rule == "policy.dunder"
    assert rejection("def __init__(self): pass").rule == "policy.dunder"


# ---------------------------------------------------------------------------------- attributes
@pytest.mark.parametrize(
    "source",
    [
        "().__class__.__bases__",
        "x.__subclasses__()",
        "f.__globals__",
        "f.__code__",
        "f.__closure__",
        "m.__self__",
        "e.__traceback__",
        "type.__mro__",
        "obj.__reduce_ex__(2)",
        "obj.__getattribute__('x')",
        "obj.__init_subclass__()",
        "obj.__class__ = int",
        "x.__dict__ = {}",
    ],
)
def test_dunder_attributes(source: str) -> None:
    assert rejection(source).rule == "policy.dunder"


@pytest.mark.parametrize(
    "attribute", ["gi_frame", "gi_code", "f_back", "f_globals", "f_locals", "tb_frame", "co_code"]
)
def test_introspection_attributes(attribute: str) -> None:
    assert rejection(f"x.{attribute}").rule == "policy.introspection"
    assert rejection(f"getattr(x, '{attribute}')").rule == "policy.introspection"


def test_private_attributes_of_bound_names() -> None:
    assert rejection("memory._backend").rule == "policy.private"
    assert rejection("getattr(apis, '_catalog')").rule == "policy.private"
    validate_cell("class A:\n    def __init__(self):\n        self._x = 1")  # own objects: fine


def test_bound_names_come_from_the_config() -> None:
    config = PolicyConfig().with_bound_names(["store"])
    with pytest.raises(PolicyViolation):
        validate("store._conn", config)


def test_computed_attribute_names() -> None:
    for source in ("getattr(x, n)", "setattr(x, 'a' + 'b', 1)", "delattr(x, name)"):
        assert rejection(source).rule == "policy.getattr"
    validate_cell("getattr(x, 'real')\nhasattr(x, n)")


def test_format_strings_that_reach_private_attributes() -> None:
    for source in (
        "'{0.__class__}'.format(1)",
        "'{x._secret}'.format_map(d)",
        "'{0[a]._b}'.format(d)",
    ):
        assert rejection(source).rule == "policy.format"
    validate_cell("'{0.real} {x[1]}'.format(1, x=[1, 2])")


# --------------------------------------------------------------------------------------- syntax
@pytest.mark.parametrize(
    "source",
    [
        "async def f(): pass",
        "async def f():\n    await g()",
        "def f():\n    return [x async for x in y]",
        "await g()",
    ],
)
def test_async(source: str) -> None:
    assert rejection(source).rule == "policy.async"


def test_metaclass_and_type3() -> None:
    assert rejection("class A(metaclass=M): pass").rule == "policy.class"
    assert rejection("class A(**{'metaclass': M}): pass").rule == "policy.class"
    assert rejection("type('A', (), {})").rule == "policy.class"


@pytest.mark.parametrize(
    "source",
    ["def f(x: 'int'): pass", "def f() -> 'A': pass", "x: 'int' = 1", "def f(x: list['os']): pass"],
)
def test_string_annotations(source: str) -> None:
    assert rejection(source).rule == "policy.annotation"


def test_match_patterns_on_private_attributes() -> None:
    assert rejection("match x:\n    case A(__class__=c): pass").rule == "policy.private"
    validate_cell("match x:\n    case A(name=n) | B(name=n): pass\n    case {'k': v, **rest}: pass")


# -------------------------------------------------------------------------------- constant bombs
@pytest.mark.parametrize(
    "source", ["10 ** 10 ** 8", "2 ** 100000", "1 << 10 ** 9", "x = 7 ** (10 ** 7)"]
)
def test_integer_bombs(source: str) -> None:
    violation = rejection(source)
    assert violation.rule == "limit.int"
    assert "max_int_digits" in violation.message


@pytest.mark.parametrize("source", ["'a' * 10 ** 10", "b'x' * 10 ** 12", "(0,) * 10 ** 9"])
def test_repetition_bombs(source: str) -> None:
    violation = rejection(source)
    assert violation.rule == "limit.memory"
    assert "memory_limit_mb" in violation.message


def test_small_constants_pass_and_limits_follow_the_settings() -> None:
    validate_cell("x = 2 ** 100 + 10 ** 50\ny = '-' * 80\nz = 1 << 64\nw = 2 ** -5")
    assert rejection("2 ** 20000").rule == "limit.int"
    validate("2 ** 20000", PolicyConfig(max_int_digits=10_000))


def test_a_bomb_is_reported_once() -> None:
    with pytest.raises(PolicyViolation) as caught:
        validate("x = (10 ** 10 ** 8) + 1 + 2", CONFIG)
    assert caught.value.rule == "limit.int"


# ------------------------------------------------------------------------------ hostile input
@pytest.mark.parametrize(
    "source",
    [
        "x = " + "-" * 100_000 + "1",
        "x = " + "(" * 300 + ")" * 300,
        "x = a" + ".b" * 100_000,
        "x = f" + "(1)" * 50_000,
        "x = 1" + "+1" * 100_000,
        "not " * 100_000 + "x",
        "if 1:\n" + "".join(" " * (i + 1) + "if 1:\n" for i in range(120)) + " " * 122 + "pass",
        "x = '\x00'",
        "x = 1" + "0" * 5000,
        "\udcff = 1",
    ],
)
def test_hostile_input_gives_a_violation_never_a_crash(source: str) -> None:
    with pytest.raises(PolicyViolation) as caught:
        validate(source, CONFIG)
    assert caught.value.rule in ("policy.complexity", "policy.syntax")


def test_deep_but_parseable_nesting_is_handled() -> None:
    # parses fine but is deeper than the interpreter's default recursion limit
    source = "x = " + "[" * 90 + "]" * 90 + "\ny = 1" + "+1" * 3000
    try:
        validate(source, CONFIG)
    except PolicyViolation as violation:
        assert violation.rule == "policy.complexity"


def test_oversized_cells() -> None:
    big = "x = 1\n" * 6000
    assert rejection(big).rule == "policy.size"
    huge = "s = '" + "a" * 2_000_000 + "'"
    assert rejection(huge).rule == "policy.size"
    validate(big, PolicyConfig(max_cell_lines=10_000))


def test_validate_never_raises_anything_else_on_garbage() -> None:
    import random
    import warnings

    rng = random.Random(7)
    tokens = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        "lambda",
        "x",
        ".",
        "__class__",
        "'",
        '"',
        "\\",
        "%",
        "!",
        "?",
        "*",
        "**",
        "@",
        "\n",
        "    ",
        "if",
        "else",
        "yield",
        "await",
        "1e9",
        "0x",
        "#",
        "f'",
        "{x!r}",
        "import",
        "os",
        ",",
        "=",
        ":=",
        "match",
        "case",
    ]
    for _ in range(400):
        source = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 30)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                validate_cell(source, CONFIG)
            except PolicyViolation:
                pass


def test_non_text_input() -> None:
    with pytest.raises(PolicyViolation):
        validate(b"import os", CONFIG)  # type: ignore[arg-type]
