"""The sandbox as an IPython AST transformer: validate, then transform, raising only InputRejected.

IPython silently unregisters an AST transformer that raises anything but ``InputRejected`` — the
policy would switch itself off. :class:`SandboxAstTransformer` therefore turns every failure
(deep nesting, a bug in a rule) into a :class:`PolicyViolation`; the sandbox also re-registers it
before every cell in case something removed it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .errors import PolicyViolation
from .options import PolicyConfig
from .source import recursion_headroom, too_complex
from .transform import restrict_tree
from .validator import validate_tree

RejectionListener = Callable[[PolicyViolation], None]


class SandboxAstTransformer(ast.NodeTransformer):
    """``shell.ast_transformers`` entry: policy check + RestrictedPython transform."""

    def __init__(self, config: PolicyConfig, on_reject: RejectionListener | None = None) -> None:
        super().__init__()
        self.config = config
        self.on_reject = on_reject

    def visit(self, node: ast.AST) -> ast.AST:
        """Check and transform a parsed cell (or a ``%time``/``%timeit`` statement)."""
        try:
            with recursion_headroom():
                validate_tree(node, self.config)
                return restrict_tree(node, self.config)
        except PolicyViolation as violation:
            self._notify(violation)
            raise
        except KeyboardInterrupt:
            raise
        except (RecursionError, MemoryError) as exc:
            violation = too_complex(exc)
        except BaseException as exc:  # anything else must not unregister the transformer
            violation = PolicyViolation(
                "policy.restricted",
                f"the sandbox could not transform the cell ({type(exc).__name__}: {exc})",
                "simplify the cell; if it is ordinary code, report this as a sandbox bug",
                line=1,
                col=0,
            )
        self._notify(violation)
        raise violation

    def _notify(self, violation: PolicyViolation) -> None:
        if self.on_reject is not None:
            try:
                self.on_reject(violation)
            except Exception:  # a listener bug must not weaken the rejection
                pass

    def __repr__(self) -> str:
        return "<SandboxAstTransformer (Athena policy + RestrictedPython)>"
