"""Magic rules on IPython-transformed source: ``get_ipython().run_line_magic('x', '...')`` …"""

from __future__ import annotations

import ast

from ..errors import PolicyViolation
from ..magic_policy import MAGIC_METHODS, check_magic
from .attributes import is_get_ipython_call
from .base import Report, Scope


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def check_magic_call(node: ast.AST, scope: Scope, report: Report) -> None:
    """``get_ipython().run_line_magic(name, line)`` and ``run_cell_magic(name, line, cell)``."""
    assert isinstance(node, ast.Call)
    func = node.func
    if not (isinstance(func, ast.Attribute) and is_get_ipython_call(func.value)):
        return
    if func.attr not in MAGIC_METHODS:
        return  # reported by the attribute rule
    kind = "cell" if func.attr == "run_cell_magic" else "line"
    wanted = 3 if kind == "cell" else 2
    args = node.args[:wanted]
    values = [_literal(arg) for arg in args]
    if len(args) < wanted or any(value is None for value in values) or (len(node.args) > wanted):
        report.add(
            "magic.dynamic",
            node,
            "a magic's name and arguments must be literal text",
            "write the magic directly (%time ..., %%capture ...) instead of building it",
        )
        return
    name, line = values[0], values[1]
    cell = values[2] if kind == "cell" else None
    base_line = getattr(node, "lineno", 1) - 1 + report.line_offset

    def validate_code(source: str, offset: int) -> None:
        if report.validate_code is not None:
            report.validate_code(source, base_line + offset)

    try:
        check_magic(kind, name or "", line or "", cell, report.config, validate_code)
    except PolicyViolation as violation:
        if violation.line is None:
            violation = PolicyViolation(
                violation.rule,
                violation.message,
                violation.advice,
                line=getattr(node, "lineno", 1) + report.line_offset,
                col=getattr(node, "col_offset", 0),
            )
        report.add_violation(violation)
