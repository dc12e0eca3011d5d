"""``validate(source, settings)``: check a cell before it runs; raise :class:`PolicyViolation`.

The validator works on Python source as IPython hands it over (``%magic`` and ``!cmd`` already
turned into ``get_ipython()`` calls); :func:`validate_cell` accepts raw IPython syntax. It survives
hostile input: whatever goes wrong inside (deep nesting, huge literals, a bug in a rule) comes
out as a :class:`PolicyViolation`, never as another exception.
"""

from __future__ import annotations

import ast
from typing import Any

from .checks import Report, run_checks
from .errors import PolicyViolation
from .options import PolicyConfig
from .source import check_source_size, parse_source, recursion_headroom, too_complex

#: Cell magics nested deeper than this (``%%capture`` inside ``%%capture`` …) are rejected.
MAX_MAGIC_NESTING = 8


def validate(source: str, settings: Any = None) -> None:
    """Check Python ``source`` against the sandbox policy; raise :class:`PolicyViolation`.

    ``settings`` is an ``AthenaSettings`` (or a :class:`PolicyConfig`; ``None`` = defaults).
    Example of the error: ``[policy.import] line 3, col 0: import of 'os' is not allowed — …``.
    """
    config = PolicyConfig.from_settings(settings)
    with _as_violation("the cell"):
        if not isinstance(source, str):
            raise PolicyViolation("policy.syntax", "the cell must be text", "send source code")
        check_source_size(source, config)
        validate_tree(parse_source(source), config)


def validate_cell(raw_cell: str, settings: Any = None) -> str:
    """Validate a cell written in IPython syntax; return the Python source IPython would run."""
    config = PolicyConfig.from_settings(settings)
    with _as_violation("the cell"):
        check_source_size(raw_cell, config)
        source = transform_ipython_syntax(raw_cell)
        validate_tree(parse_source(source), config)
        return source


def validate_tree(
    tree: ast.AST, config: PolicyConfig, *, line_offset: int = 0, _depth: int = 0
) -> None:
    """Check an already parsed cell (IPython's AST transformer calls this)."""
    with _as_violation("the cell"):
        report = Report(config, line_offset=line_offset)
        report.validate_code = lambda code, offset: _validate_magic_code(
            code, offset, config, _depth + 1
        )
        with recursion_headroom():
            run_checks(tree, report)
        violation = report.first()
        if violation is not None:
            raise violation


def transform_ipython_syntax(source: str) -> str:
    """Turn IPython syntax (``%magic``, ``!cmd``, ``x?``) into Python, without a shell."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except (RecursionError, MemoryError) as exc:
        raise too_complex(exc) from None
    except Exception as exc:
        raise PolicyViolation(
            "policy.syntax",
            f"the cell's IPython syntax could not be read ({type(exc).__name__}: {exc})",
            "fix the magic or shell syntax",
            line=1,
            col=0,
        ) from None


def _validate_magic_code(source: str, line_offset: int, config: PolicyConfig, depth: int) -> None:
    """Validate code a magic would run (``%time stmt``, the body of ``%%capture``)."""
    if depth > MAX_MAGIC_NESTING:
        raise PolicyViolation(
            "policy.complexity",
            f"cell magics are nested more than {MAX_MAGIC_NESTING} levels deep",
            "flatten the cell",
            line=line_offset + 1,
            col=0,
        )
    python = transform_ipython_syntax(source)
    try:
        tree = parse_source(python)
    except PolicyViolation as violation:
        raise violation.shifted(line_offset) from None
    validate_tree(tree, config, line_offset=line_offset, _depth=depth)


class _as_violation:
    """Turn anything but PolicyViolation/KeyboardInterrupt into a PolicyViolation."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if exc is None or isinstance(exc, (PolicyViolation, KeyboardInterrupt, SystemExit)):
            return False
        if isinstance(exc, (RecursionError, MemoryError)):
            raise too_complex(exc, self.what) from None
        raise PolicyViolation(
            "policy.restricted",
            f"the sandbox could not check {self.what} ({type(exc).__name__}: {exc})",
            "simplify the cell; if it is ordinary code, report this as a sandbox bug",
            line=1,
            col=0,
        ) from None
