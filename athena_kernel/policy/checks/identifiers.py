"""Name rules: forbidden builtins, reserved ``_x_``/``__x__`` names, special methods in classes."""

from __future__ import annotations

import ast

from ..class_aliases import class_alias_names
from ..vocabulary import (
    DISPLAY_HOOK_METHODS,
    FORBIDDEN_BUILTINS,
    SPECIAL_METHODS,
    is_dunder,
    is_reserved_name,
)
from .base import Report, Scope

_RESERVED_ADVICE = "use a name without leading and trailing underscores"


def _reserved(name: str, node: ast.AST, report: Report, what: str = "name") -> None:
    rule = "policy.dunder" if is_dunder(name) else "policy.private"
    report.add(
        rule,
        node,
        f"{what} '{name}' is reserved for the interpreter and the sandbox",
        _RESERVED_ADVICE,
    )


def check_name(node: ast.AST, scope: Scope, report: Report) -> None:
    """A variable reference or binding."""
    assert isinstance(node, ast.Name)
    name = node.id
    if isinstance(node.ctx, ast.Load) and name in FORBIDDEN_BUILTINS:
        report.add(
            "policy.name",
            node,
            f"{name}() is not available in the sandbox",
            FORBIDDEN_BUILTINS[name],
        )
    elif is_reserved_name(name) and node not in report.alias_names:
        _reserved(name, node, report)


def check_function(node: ast.AST, scope: Scope, report: Report) -> None:
    """``def`` names: special methods only directly inside a class, and only the allowed ones."""
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    name = node.name
    if not is_reserved_name(name):
        return
    if scope.in_class_body and (name in SPECIAL_METHODS or name in DISPLAY_HOOK_METHODS):
        return
    if scope.in_class_body and is_dunder(name):
        report.add(
            "policy.dunder",
            node,
            f"defining {name} is not allowed in the sandbox",
            "allowed special methods: __init__, __repr__, __str__, __eq__, __hash__, __len__, "
            "__iter__, __getitem__, __enter__/__exit__, arithmetic operators …",
        )
        return
    _reserved(name, node, report, "function name")


def check_class(node: ast.AST, scope: Scope, report: Report) -> None:
    """``class`` names; notes the special-method aliases of its body for :func:`check_name`."""
    assert isinstance(node, ast.ClassDef)
    if is_reserved_name(node.name):
        _reserved(node.name, node, report, "class name")
    report.alias_names |= class_alias_names(node)


def check_arg(node: ast.AST, scope: Scope, report: Report) -> None:
    """Function and lambda parameters."""
    assert isinstance(node, ast.arg)
    if is_reserved_name(node.arg):
        _reserved(node.arg, node, report, "parameter name")


def check_scope_names(node: ast.AST, scope: Scope, report: Report) -> None:
    """``global`` / ``nonlocal`` names."""
    assert isinstance(node, (ast.Global, ast.Nonlocal))
    for name in node.names:
        if is_reserved_name(name):
            _reserved(name, node, report)


def check_handler(node: ast.AST, scope: Scope, report: Report) -> None:
    """``except E as name``."""
    assert isinstance(node, ast.ExceptHandler)
    if node.name and is_reserved_name(node.name):
        _reserved(node.name, node, report)


def check_match_names(node: ast.AST, scope: Scope, report: Report) -> None:
    """Capture names in ``match`` patterns."""
    names: list[str | None] = []
    if isinstance(node, (ast.MatchAs, ast.MatchStar)):
        names.append(node.name)
    elif isinstance(node, ast.MatchMapping):
        names.append(node.rest)
    for name in names:
        if name and is_reserved_name(name):
            _reserved(name, node, report)
