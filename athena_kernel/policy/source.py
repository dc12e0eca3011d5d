"""Source-level checks that run before anything else: size, parsing, hostile nesting.

Parsing and walking hostile input (10 MB cells, ``-`` repeated 50,000 times, a 100,000-term
``+`` chain) makes CPython raise ``RecursionError`` or ``MemoryError``. Everything here turns that
into a :class:`PolicyViolation`, so a cell can never take the validator (or the kernel) down.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import PolicyViolation
from .options import PolicyConfig

#: Extra Python frames granted while the validator and the transform walk a (deep) tree.
RECURSION_HEADROOM = 3000
#: Cells shorter than this cannot nest deeply enough to break the parser; they skip the pre-parse.
DEEP_NESTING_MIN_CHARS = 2000


def check_source_size(source: str, config: PolicyConfig) -> None:
    """Reject cells beyond ``max_cell_chars`` characters or ``max_cell_lines`` lines."""
    if len(source) > config.max_cell_chars:
        raise PolicyViolation(
            "policy.size",
            f"the cell has {len(source):,} characters; the sandbox checks at most "
            f"{config.max_cell_chars:,} (max_cell_chars)",
            "split the work into several cells, or keep large data in memory "
            "(memory.remember(...)) instead of pasting it into code",
            line=1,
            col=0,
        )
    lines = source.count("\n") + 1
    if lines > config.max_cell_lines:
        raise PolicyViolation(
            "policy.size",
            f"the cell has {lines:,} lines; the sandbox checks at most "
            f"{config.max_cell_lines:,} (max_cell_lines)",
            "split the work into several cells, or build repetitive code with loops",
            line=1,
            col=0,
        )


def too_complex(exc: BaseException, what: str = "the cell") -> PolicyViolation:
    """The violation reported when parsing or checking blew the stack or the heap."""
    return PolicyViolation(
        "policy.complexity",
        f"{what} nests too deeply to be checked ({type(exc).__name__})",
        "flatten the expression: use loops, sum(...) or intermediate variables",
        line=1,
        col=0,
    )


def parse_source(source: str, filename: str = "<cell>") -> ast.Module:
    """Parse Python source, turning every failure into a :class:`PolicyViolation`."""
    try:
        return ast.parse(source, filename=filename, mode="exec")
    except SyntaxError as exc:
        raise PolicyViolation(
            "policy.syntax",
            f"{type(exc).__name__}: {exc.msg}",
            "fix the syntax error",
            line=exc.lineno or 1,
            col=max((exc.offset or 1) - 1, 0),
        ) from None
    except (RecursionError, MemoryError) as exc:
        raise too_complex(exc) from None
    except (ValueError, OverflowError) as exc:  # e.g. null bytes, integer literal too long
        raise PolicyViolation(
            "policy.syntax", f"{type(exc).__name__}: {exc}", "fix the cell's source", line=1, col=0
        ) from None


def check_parsable_nesting(source: str) -> None:
    """Pre-parse a long cell so hostile nesting is rejected before IPython's own parser sees it.

    IPython's parse step catches ``MemoryError`` but not ``RecursionError``; a 100,000-term chain
    would escape it. Short cells cannot nest that deep and skip this. Syntax errors are left to
    IPython, which reports them the usual way.
    """
    if len(source) < DEEP_NESTING_MIN_CHARS:
        return
    try:
        ast.parse(source, mode="exec")
    except SyntaxError:
        return
    except (RecursionError, MemoryError) as exc:
        raise too_complex(exc) from None
    except (ValueError, OverflowError):
        return


@contextmanager
def recursion_headroom(extra: int = RECURSION_HEADROOM) -> Iterator[None]:
    """Temporarily raise the recursion limit so deep-but-legal trees can be walked."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(previous + extra)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)
