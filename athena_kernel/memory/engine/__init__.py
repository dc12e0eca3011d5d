"""The store engine: DuckDB tables, migrations, the search index and every layer's operations.

Imports duckdb (and, through the ranker, numpy): load it only where a store is opened (the
owner process, or an in-process store), never merely by importing ``athena_kernel.memory``.
"""

from __future__ import annotations

from .store import StoreEngine

__all__ = ["StoreEngine"]
