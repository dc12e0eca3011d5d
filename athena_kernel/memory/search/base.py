"""The one small interface between the memory store and its ranker.

The store owns the data (DuckDB) and assigns every searchable item a ``doc_id``; the ranker owns
an in-memory index over those documents and answers ranked queries. A hybrid or embedding
ranker can replace the BM25 one by implementing :class:`Ranker`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class SearchDoc:
    """One searchable document as the store hands it to the ranker."""

    doc_id: int  #: store-assigned, unique, increasing
    text: str  #: everything that should match: content, tags, names, descriptions
    layer: int  #: small integer code of the memory layer (the store maps names <-> codes)
    timestamp: float  #: UTC epoch seconds; what ``since``/``until`` filter on
    tags: tuple[str, ...] = field(default=())  #: exact-match filter values (also searchable)


@runtime_checkable
class Ranker(Protocol):
    """Ranked full-text search over :class:`SearchDoc` documents."""

    def add(self, docs: Sequence[SearchDoc]) -> None:
        """Index documents; searchable as soon as this returns."""

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Drop documents (unknown ids are ignored)."""

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        layers: Collection[int] | None = None,
        tags: Collection[str] | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> list[tuple[int, float]]:
        """Best ``limit`` ``(doc_id, score)`` pairs, best first.

        Filters: ``layers`` (any of), ``tags`` (a document must carry all of them),
        ``since <= timestamp < until``.
        """

    def __len__(self) -> int:
        """Number of live (not removed) documents."""

    def save(self, path: Path, *, covered_up_to: int) -> None:
        """Write a snapshot; ``covered_up_to`` is the highest doc_id the snapshot reflects."""

    @classmethod
    def load(cls, path: Path) -> tuple[Ranker, int]:
        """Read a snapshot written by :meth:`save`; returns the ranker and ``covered_up_to``."""
