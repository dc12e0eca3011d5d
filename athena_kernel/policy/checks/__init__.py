"""Static rules, one module per family; :func:`run_checks` applies them all in one walk."""

from __future__ import annotations

import ast

from . import attributes, calls, constants, identifiers, imports, magics, syntax
from .base import Check, Report, Scope, walk

_TRY_STAR = getattr(ast, "TryStar", None)

#: node type -> the checks that look at it
CHECKS: dict[type, tuple[Check, ...]] = {
    ast.Import: (imports.check_import,),
    ast.ImportFrom: (imports.check_import_from,),
    ast.Name: (identifiers.check_name,),
    ast.FunctionDef: (identifiers.check_function,),
    ast.AsyncFunctionDef: (syntax.check_async, identifiers.check_function),
    ast.ClassDef: (identifiers.check_class, syntax.check_class_keywords),
    ast.arg: (identifiers.check_arg,),
    ast.Global: (identifiers.check_scope_names,),
    ast.Nonlocal: (identifiers.check_scope_names,),
    ast.ExceptHandler: (identifiers.check_handler,),
    ast.MatchAs: (identifiers.check_match_names,),
    ast.MatchStar: (identifiers.check_match_names,),
    ast.MatchMapping: (identifiers.check_match_names,),
    ast.MatchClass: (attributes.check_match_class,),
    ast.Attribute: (attributes.check_attribute,),
    ast.Call: (calls.check_call, magics.check_magic_call),
    ast.Await: (syntax.check_async,),
    ast.AsyncFor: (syntax.check_async,),
    ast.AsyncWith: (syntax.check_async,),
    ast.comprehension: (syntax.check_async,),
    ast.Constant: (syntax.check_annotation_constant,),
}
if _TRY_STAR is not None:
    CHECKS[_TRY_STAR] = (syntax.check_try_star,)


def run_checks(tree: ast.AST, report: Report) -> None:
    """Apply every rule to every node of ``tree``, collecting violations in ``report``."""
    operations: list[ast.AST] = []
    for node, scope in walk(tree):
        for check in CHECKS.get(type(node), ()):
            check(node, scope, report)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            operations.append(node)
    # constant folding bottom-up: children are memoised before their parents, so long
    # operator chains never recurse deeply
    for node in reversed(operations):
        constants.check_operation(node, report)


__all__ = ["CHECKS", "Report", "Scope", "run_checks", "walk"]
