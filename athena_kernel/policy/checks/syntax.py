"""Syntax rules: async code, except*, metaclasses, string annotations."""

from __future__ import annotations

import ast

from .base import Report, Scope


def check_async(node: ast.AST, scope: Scope, report: Report) -> None:
    """``async def``, ``await``, ``async for``/``with`` and async comprehensions."""
    if isinstance(node, ast.comprehension) and not node.is_async:
        return
    report.add(
        "policy.async",
        node,
        "async code (async def, await, async for/with) is not supported in the sandbox",
        "write synchronous code; memory.* calls are synchronous",
    )


def check_try_star(node: ast.AST, scope: Scope, report: Report) -> None:
    """``except*`` (exception groups)."""
    report.add(
        "policy.except_star",
        node,
        "except* is not supported in the sandbox (it can crash CPython 3.11)",
        "use a plain except clause and inspect the group's .exceptions",
    )


def check_class_keywords(node: ast.AST, scope: Scope, report: Report) -> None:
    """``class A(metaclass=...)``."""
    assert isinstance(node, ast.ClassDef)
    for keyword in node.keywords:
        if keyword.arg == "metaclass" or keyword.arg is None:
            report.add(
                "policy.class",
                node,
                "metaclasses are not available in the sandbox",
                "use a plain class, a dataclass or an enum",
            )


def check_annotation_constant(node: ast.AST, scope: Scope, report: Report) -> None:
    """String constants inside annotations (forward references)."""
    assert isinstance(node, ast.Constant)
    if scope.in_annotation and isinstance(node.value, (str, bytes)):
        report.add(
            "policy.annotation",
            node,
            "string annotations are not allowed (libraries evaluate them outside the sandbox)",
            "write the annotation as an expression (list[int], MyClass) or leave it out",
        )
