"""The sandbox policy: what a cell may contain, checked before it runs.

- :func:`validate` / :func:`validate_cell`: static rules (imports, names, dunders, magics,
  constant bombs …) raising :class:`PolicyViolation` with a stable rule id;
- :class:`SandboxAstTransformer`: the same check plus the RestrictedPython transform, as an IPython
  AST transformer;
- :data:`RULES`: the catalogue of rule ids.

The run-time half (guards, safe builtins, curated modules, limits) is :mod:`athena_kernel.sandbox`.
"""

from __future__ import annotations

from .ast_transformer import SandboxAstTransformer
from .errors import (
    AccessDenied,
    ClassDenied,
    ComputationLimitExceeded,
    ImportDenied,
    IntegerLimitExceeded,
    LimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    PolicyViolation,
    RecursionLimitExceeded,
    RegexRejected,
    SandboxError,
    WriteDenied,
)
from .options import PolicyConfig
from .rules import RULES, Rule, rule_ids
from .transform import SandboxTransformer, restrict_tree
from .validator import validate, validate_cell, validate_tree

__all__ = [
    "RULES",
    "AccessDenied",
    "ClassDenied",
    "ComputationLimitExceeded",
    "ImportDenied",
    "IntegerLimitExceeded",
    "LimitExceeded",
    "MemoryLimitExceeded",
    "OutputLimitExceeded",
    "PolicyConfig",
    "PolicyViolation",
    "RecursionLimitExceeded",
    "RegexRejected",
    "Rule",
    "SandboxAstTransformer",
    "SandboxError",
    "SandboxTransformer",
    "WriteDenied",
    "restrict_tree",
    "rule_ids",
    "validate",
    "validate_cell",
    "validate_tree",
]
