"""The walk over a cell's AST and the report the rule checks write into.

The walk is iterative (hostile nesting cannot blow the Python stack here) and tells each check
whether the node sits in an annotation or directly in a class body.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..constfold import ConstantFolder
from ..errors import PolicyViolation
from ..options import PolicyConfig


@dataclass(frozen=True)
class Scope:
    """Where a node sits: inside an annotation, directly in a class body."""

    in_annotation: bool = False
    in_class_body: bool = False


_SCOPES = {(a, c): Scope(a, c) for a in (False, True) for c in (False, True)}
_ANNOTATION_FIELDS = frozenset({"annotation", "returns"})


@dataclass
class Report:
    """Violations found in one cell, plus shared state (config, constant folder)."""

    config: PolicyConfig
    line_offset: int = 0
    violations: list[PolicyViolation] = field(default_factory=list)
    folder: ConstantFolder | None = None
    #: Validates code run by a magic (IPython syntax); set by the validator.
    validate_code: Callable[[str, int], None] | None = None
    #: ``Name`` nodes of special-method aliases in a class body (``__radd__ = __add__``), which
    #: the reserved-name rule lets through; filled when the class is visited.
    alias_names: set[ast.Name] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.folder is None:
            self.folder = ConstantFolder(self.config)

    def add(self, rule: str, node: ast.AST | None, message: str, advice: str) -> None:
        """Record a violation at ``node``'s position."""
        line = getattr(node, "lineno", 1) if node is not None else 1
        col = getattr(node, "col_offset", 0) if node is not None else 0
        self.violations.append(
            PolicyViolation(rule, message, advice, line=line + self.line_offset, col=col)
        )

    def add_violation(self, violation: PolicyViolation) -> None:
        """Record a violation raised by a helper (already positioned)."""
        self.violations.append(violation)

    def first(self) -> PolicyViolation | None:
        """The earliest violation in the cell, or ``None``."""
        if not self.violations:
            return None
        return min(self.violations, key=lambda v: (v.line or 0, v.col or 0))


def walk(tree: ast.AST) -> Iterator[tuple[ast.AST, Scope]]:
    """Every node of ``tree`` in source order, with its :class:`Scope` (no recursion)."""
    stack: list[tuple[ast.AST, Scope]] = [(tree, _SCOPES[(False, False)])]
    while stack:
        node, scope = stack.pop()
        yield node, scope
        children: list[tuple[ast.AST, Scope]] = []
        is_class = isinstance(node, ast.ClassDef)
        for name, value in ast.iter_fields(node):
            child_scope = _SCOPES[
                (scope.in_annotation or name in _ANNOTATION_FIELDS, is_class and name == "body")
            ]
            if isinstance(value, list):
                children.extend((item, child_scope) for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                children.append((value, child_scope))
        stack.extend(reversed(children))


Check = Callable[[ast.AST, Scope, Report], None]
