"""Constant-expression bombs: ``10 ** 10 ** 8``, ``'a' * 10 ** 10`` are rejected before running."""

from __future__ import annotations

import ast

from ..constfold import Bomb
from .base import Report


def check_operation(node: ast.AST, report: Report) -> None:
    """Fold constant operands and reject results beyond the integer or memory limits."""
    assert report.folder is not None
    try:
        report.folder.value(node)
    except Bomb as bomb:
        report.add(bomb.rule, node, bomb.message, bomb.advice)
