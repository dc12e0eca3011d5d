"""Special-method aliases in a class body: ``__radd__ = __add__``, ``__str__ = __repr__``,
``__hash__ = None``.

The reserved-name rules refuse every ``__x__`` name a cell writes, but these aliases are ordinary
Python: they bind a special method the class could equally define with ``def``. An alias is
accepted only directly in a class body, as one plain assignment whose targets are special methods
(:data:`~athena_kernel.policy.vocabulary.SPECIAL_METHODS`, minus ``__exit__``, which must be a
``def`` so the transform can stop it swallowing the cell timeout) and whose value is another
special method of the class being built or ``None``. A special-method name cannot reach anything
else: the sandbox's own ``__x__`` names (``__metaclass__``, ``__import__``, ``__builtins__`` …)
are not special methods.
"""

from __future__ import annotations

import ast

from .vocabulary import SPECIAL_METHODS

#: Special methods a class body may bind by assignment.
ALIASABLE_METHODS = SPECIAL_METHODS - {"__exit__"}


def alias_names(statement: ast.AST) -> list[ast.Name]:
    """The ``Name`` nodes of ``statement`` if it is a special-method alias, else ``[]``.

    ``statement`` must be a direct child of a class body (the caller knows).
    """
    if not isinstance(statement, ast.Assign):
        return []
    targets = statement.targets
    if not all(isinstance(t, ast.Name) and t.id in ALIASABLE_METHODS for t in targets):
        return []
    names: list[ast.Name] = list(targets)  # type: ignore[arg-type]
    value = statement.value
    if isinstance(value, ast.Name) and value.id in SPECIAL_METHODS:
        names.append(value)
    elif not (isinstance(value, ast.Constant) and value.value is None):
        return []
    return names


def class_alias_names(node: ast.ClassDef) -> set[ast.Name]:
    """Every ``Name`` node that takes part in an alias directly in ``node``'s body.

    AST nodes compare by identity, so the set answers "is this very node part of an alias".
    """
    return {name for statement in node.body for name in alias_names(statement)}
