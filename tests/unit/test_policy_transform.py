"""The RestrictedPython transform: what it rewrites, what it leaves native, what it refuses."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from athena_kernel.policy import PolicyConfig, PolicyViolation, restrict_tree, validate_tree
from athena_kernel.sandbox.runtime import SandboxRuntime

CONFIG = PolicyConfig()


def transformed(source: str) -> str:
    tree = ast.parse(source)
    validate_tree(tree, CONFIG)
    return ast.unparse(restrict_tree(tree, CONFIG))


def execute(source: str) -> dict[str, Any]:
    """Run transformed code with the sandbox's builtins (no shell)."""
    tree = ast.parse(source)
    validate_tree(tree, CONFIG)
    code = compile(restrict_tree(tree, CONFIG), "<cell>", "exec")
    namespace: dict[str, Any] = {
        "__builtins__": SandboxRuntime(CONFIG).builtins,
        "__name__": "cell",
    }
    exec(code, namespace)
    return namespace


def test_attribute_reads_and_writes_are_guarded() -> None:
    code = transformed("a.b\na.c = 1\ndel a.d\nx[1] = 2")
    assert "_getattr_(a, 'b')" in code
    assert "_write_(a).c = 1" in code
    assert "del _write_(a).d" in code
    assert "_write_(x)[1] = 2" in code


def test_reads_iteration_and_unpacking_stay_native() -> None:
    code = transformed("y = x[1]\nfor a, b in pairs:\n    pass\nc, d = e\nf(*args, **kw)")
    assert "_getitem_" not in code and "_getiter_" not in code
    assert "_unpack_sequence_" not in code and "_apply_" not in code
    assert "print" in transformed("print('x')") and "_print" not in transformed("print('x')")


@pytest.mark.parametrize(
    ("source", "guard"),
    [
        ("x ** y", "_pow_"),
        ("x ** 2", "_pow_"),
        ("x * y", "_mul_"),
        ("x * 1000", "_mul_"),
        ("x << y", "_lshift_"),
        ("x // y", "_floordiv_"),
        ("x % y", "_mod_"),
    ],
)
def test_size_guarded_operators(source: str, guard: str) -> None:
    assert f"{guard}(" in transformed(source)


@pytest.mark.parametrize(
    "source",
    ["x * 2", "2.5 * x", "x << 3", "x % 7", "'%s' % x", "x // 2", "x ** 0.5", "2 ** 64", "x + y"],
)
def test_small_literal_operands_stay_native(source: str) -> None:
    code = transformed(source)
    assert not any(f"{g}(" in code for g in ("_pow_", "_mul_", "_lshift_", "_floordiv_", "_mod_"))


def test_augmented_assignment_forms() -> None:
    code = transformed("x += 1\nx *= y\na.b += 1\na.b **= y\nd[k] += 1\nd[i:j] *= n")
    assert "x += 1" in code
    assert "x = _inplacevar_('*=', x, y)" in code
    assert "_write_(a).b += 1" in code
    assert "_inplace_attr_(a, 'b', '**=', y)" in code
    assert "_write_(d)[k] += 1" in code
    assert "_inplace_item_(d, _slice_(i, j, None), '*=', n)" in code


def test_every_except_block_reraises_interrupts() -> None:
    code = transformed(
        "try:\n    pass\nexcept:\n    pass\ntry:\n    pass\nexcept (A, B) as e:\n    x = 1"
    )
    assert code.count("_reraise_interrupt_()") == 2


def test_exit_methods_are_wrapped_and_classes_keep_keywords() -> None:
    code = transformed("class C(B, flag=True):\n    def __exit__(self, *a):\n        return True")
    assert "@_guard_exit_" in code
    assert "class C(B, flag=True, metaclass=__metaclass__)" in code


def test_class_line_numbers_survive() -> None:
    tree = ast.parse("x = 1\n\n\nclass C:\n    y = 2\n")
    new = restrict_tree(tree, CONFIG)
    class_node = next(n for n in ast.walk(new) if isinstance(n, ast.ClassDef))
    assert class_node.lineno == 4


def test_transformed_code_runs() -> None:
    namespace = execute(
        "class P:\n"
        "    def __init__(self, x):\n"
        "        self._x = x\n"
        "    def __repr__(self):\n"
        "        return f'P({self._x})'\n"
        "p = P(3)\n"
        "p._x += 2\n"
        "p._x **= 2\n"
        "items = [1, 2, 3]\n"
        "items[1:] *= 2\n"
        "total = 0\n"
        "for i, v in enumerate(items):\n"
        "    total += i * v\n"
        "match items:\n"
        "    case [1, *rest]:\n"
        "        first = rest\n"
        "result = (repr(p), total, first)\n"
    )
    assert namespace["result"] == ("P(25)", 0 * 1 + 1 * 2 + 2 * 3 + 3 * 2 + 4 * 3, [2, 3, 2, 3])


def test_restricted_python_refusals_become_violations() -> None:
    tree = ast.parse("try:\n    pass\nexcept* ValueError:\n    pass")
    with pytest.raises(PolicyViolation) as caught:
        restrict_tree(tree, CONFIG)  # the validator would have refused it first
    assert caught.value.rule == "policy.restricted"
    assert caught.value.line == 1


def test_reserved_names_are_refused_by_the_transform_too() -> None:
    with pytest.raises(PolicyViolation):
        restrict_tree(ast.parse("_getattr_ = len"), CONFIG)
