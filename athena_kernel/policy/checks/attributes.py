"""Attribute rules: dunders, interpreter internals, private attributes of bound objects."""

from __future__ import annotations

import ast

from ..magic_policy import MAGIC_METHODS, SHELL_METHODS
from ..vocabulary import (
    ALLOWED_DUNDER_ATTRS,
    INTROSPECTION_ATTRS,
    WRITABLE_DUNDER_ATTRS,
    is_dunder,
    is_private_attr,
)
from .base import Report, Scope


def is_get_ipython_call(node: ast.AST) -> bool:
    """``get_ipython()``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
        and not node.args
        and not node.keywords
    )


def check_attribute_name(
    name: str,
    owner: ast.AST,
    node: ast.AST,
    store: bool,
    report: Report,
    *,
    assign: bool = False,
) -> None:
    """Rules for ``owner.name`` (also used for literal names given to getattr/setattr).

    ``assign``: the store is a plain assignment (``f.__doc__ = ...``), not a delete or a
    ``setattr`` call; only then may :data:`WRITABLE_DUNDER_ATTRS` be written.
    """
    if is_dunder(name):
        if name not in ALLOWED_DUNDER_ATTRS:
            report.add(
                "policy.dunder",
                node,
                f"attribute {name} is not available in the sandbox",
                "interpreter internals are out of reach; use the object's public API "
                "(type(x) instead of x.__class__ works too)",
            )
        elif store and not (assign and name in WRITABLE_DUNDER_ATTRS):
            report.add(
                "policy.dunder",
                node,
                f"cannot assign or delete attribute {name}",
                "define special methods in the class body instead",
            )
        return
    if name in INTROSPECTION_ATTRS:
        report.add(
            "policy.introspection",
            node,
            f"{name} (frame, code, traceback or generator internals) is not available",
            "interpreter internals are out of reach from a cell",
        )
        return
    if (
        is_private_attr(name)
        and isinstance(owner, ast.Name)
        and owner.id in report.config.bound_names
    ):
        report.add(
            "policy.private",
            node,
            f"{owner.id}.{name} is private",
            f"use {owner.id}'s public methods (see %apis or dir({owner.id}))",
        )
    if is_get_ipython_call(owner):
        if name in SHELL_METHODS:
            report.add(
                "magic.shell",
                node,
                "shell commands (!cmd) are not available in the sandbox",
                "use Python code (and memory.* for data) instead of the shell",
            )
        elif name not in MAGIC_METHODS:
            report.add(
                "magic.forbidden",
                node,
                f"get_ipython().{name} is not available in the sandbox",
                "get_ipython() in a cell only runs allowed magics (run_line_magic, run_cell_magic)",
            )


def check_attribute(node: ast.AST, scope: Scope, report: Report) -> None:
    """``obj.name`` in any context."""
    assert isinstance(node, ast.Attribute)
    store = isinstance(node.ctx, (ast.Store, ast.Del))
    assign = isinstance(node.ctx, ast.Store)
    check_attribute_name(node.attr, node.value, node, store, report, assign=assign)


def check_match_class(node: ast.AST, scope: Scope, report: Report) -> None:
    """``case Cls(attr=...)``: keyword patterns read attributes without the guard."""
    assert isinstance(node, ast.MatchClass)
    for name in node.kwd_attrs:
        if name.startswith("_"):
            report.add(
                "policy.private",
                node,
                f"pattern attribute {name} is private",
                "match on public attributes only",
            )
        elif name in INTROSPECTION_ATTRS:
            report.add(
                "policy.introspection",
                node,
                f"pattern attribute {name} is an interpreter internal",
                "match on public attributes only",
            )
