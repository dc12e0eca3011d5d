"""``no_new_privs``: execve can never grant privileges again (set-uid bits, file capabilities).

A precondition for unprivileged seccomp and Landlock, irreversible, inherited by children.
"""

from __future__ import annotations

from . import _native
from .report import LayerResult, LayerStatus


def set_no_new_privs() -> LayerResult:
    """``prctl(PR_SET_NO_NEW_PRIVS, 1)``, verified with ``PR_GET_NO_NEW_PRIVS``."""
    try:
        _native.prctl(_native.PR_SET_NO_NEW_PRIVS, 1)
    except OSError as exc:
        return LayerResult(
            "no_new_privs",
            LayerStatus.UNAVAILABLE,
            reason=f"prctl(PR_SET_NO_NEW_PRIVS) failed: {_native.errno_text(exc)} "
            "(kernel older than 3.5?)",
        )
    if _native.prctl(_native.PR_GET_NO_NEW_PRIVS) != 1:
        return LayerResult(
            "no_new_privs", LayerStatus.FAILED, reason="PR_GET_NO_NEW_PRIVS still reports 0"
        )
    return LayerResult(
        "no_new_privs", LayerStatus.ACTIVE, "execve can no longer gain privileges", verified=True
    )
