"""Athena Kernel: a Jupyter kernel where agents write Python against a pre-bound ``memory`` API.

Importing this package is cheap: the memory store, the kernel and the extension load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .memory import Memory

__all__ = ["__version__", "load_ipython_extension", "open_memory", "unload_ipython_extension"]


def open_memory(path: str | None = None, *, shared: bool = True) -> Memory:
    """Open (or create) a memory store and return its ``Memory`` facade.

    ``path`` defaults to ``$ATHENA_STORE``, then ``<jupyter data dir>/athena/memory.duckdb``;
    ``":memory:"`` gives a throwaway in-process store. ``shared=False`` opens the file in this
    process instead of through the store's owner process (one process at a time).

    Example: ``memory = open_memory("/tmp/notes.duckdb"); memory.remember("hello")``
    """
    from .memory import open_memory as _open

    return _open(path, shared=shared)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext athena_kernel``: bind ``memory``, ``apis``, ``procedures`` and the magics."""
    from .extension import load_ipython_extension as _load

    _load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext athena_kernel``: remove the magics and bound names again."""
    from .extension import unload_ipython_extension as _unload

    _unload(ipython)
