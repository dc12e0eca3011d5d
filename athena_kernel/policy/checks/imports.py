"""Import rules: only allowlisted modules, only their curated names, no relative or * imports."""

from __future__ import annotations

import ast

from ...sandbox.modules.importer import from_import_problem, import_problem
from ..vocabulary import is_reserved_name
from .base import Report, Scope


def _check_alias_name(alias: ast.alias, node: ast.AST, report: Report) -> None:
    bound = alias.asname or alias.name.split(".", 1)[0]
    if is_reserved_name(bound):
        report.add(
            "policy.private",
            node,
            f"cannot bind the reserved name '{bound}'",
            "import under a name without leading and trailing underscores",
        )


def check_import(node: ast.AST, scope: Scope, report: Report) -> None:
    """``import a, b.c as d``."""
    assert isinstance(node, ast.Import)
    for alias in node.names:
        problem = import_problem(alias.name, report.config.allowed_modules)
        if problem:
            report.add("policy.import", node, *problem)
        _check_alias_name(alias, node, report)


def check_import_from(node: ast.AST, scope: Scope, report: Report) -> None:
    """``from a import b``."""
    assert isinstance(node, ast.ImportFrom)
    if node.level or not node.module:
        report.add(
            "policy.import",
            node,
            "relative imports are not available in the sandbox",
            "import modules by their absolute name",
        )
        return
    if node.module == "__future__":
        if any(alias.name == "annotations" for alias in node.names):
            report.add(
                "policy.annotation",
                node,
                "'from __future__ import annotations' turns annotations into strings that "
                "libraries evaluate outside the sandbox",
                "remove it; write annotations as real expressions (list[int], MyClass)",
            )
        return
    problem = import_problem(node.module, report.config.allowed_modules)
    if problem:
        report.add("policy.import", node, *problem)
        return
    for alias in node.names:
        name_problem = from_import_problem(node.module, alias.name)
        if name_problem:
            report.add("policy.import", node, *name_problem)
        _check_alias_name(alias, node, report)
