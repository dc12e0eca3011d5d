"""Ranked full-text search for the memory store: analysis, BM25+ index, snapshots.

The store talks to a :class:`Ranker` (see :mod:`.base`); :class:`BM25Ranker` is the
implementation. Importing this package (or :mod:`.base`) is cheap; numpy is loaded only when the
ranker, analyzer or snapshot code is first used, so the kernel process can share the types.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .base import Ranker, SearchDoc

if TYPE_CHECKING:
    from .analyzer import Analyzer, AnalyzerConfig
    from .bm25 import ANALYSIS_VERSION, BM25Ranker
    from .params import BM25Params
    from .snapshot import SnapshotError

__all__ = [
    "ANALYSIS_VERSION",
    "Analyzer",
    "AnalyzerConfig",
    "BM25Params",
    "BM25Ranker",
    "Ranker",
    "SearchDoc",
    "SnapshotError",
]

_LAZY = {
    "ANALYSIS_VERSION": "bm25",
    "Analyzer": "analyzer",
    "AnalyzerConfig": "analyzer",
    "BM25Params": "params",
    "BM25Ranker": "bm25",
    "SnapshotError": "snapshot",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
