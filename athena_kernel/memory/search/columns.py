"""Per-document columns of the index (id, length, layer, timestamp, live flag), row-addressed.

Rows are appended in batches; the arrays grow by doubling. A grown column set is a new set of
arrays, so a reader holding the old ones keeps a consistent view of the rows it knew about.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DocColumns"]

ID_DTYPE = np.dtype("<i8")
LENGTH_DTYPE = np.dtype("<f4")
LAYER_DTYPE = np.dtype("<i4")
TIME_DTYPE = np.dtype("<f8")


@dataclass(frozen=True, eq=False)
class DocColumns:
    """Column arrays with spare capacity; rows ``[0, n)`` of a state are meaningful."""

    doc_ids: np.ndarray  #: int64 store-assigned ids
    lengths: np.ndarray  #: float32 number of index terms (BM25 document length)
    layers: np.ndarray  #: int32 layer codes
    timestamps: np.ndarray  #: float64 UTC epoch seconds
    alive: np.ndarray  #: bool, False once removed

    @property
    def capacity(self) -> int:
        """Rows the arrays can hold without growing."""
        return len(self.doc_ids)

    @classmethod
    def empty(cls, capacity: int = 1024) -> DocColumns:
        """Fresh, empty columns."""
        return cls(
            doc_ids=np.zeros(capacity, ID_DTYPE),
            lengths=np.zeros(capacity, LENGTH_DTYPE),
            layers=np.zeros(capacity, LAYER_DTYPE),
            timestamps=np.zeros(capacity, TIME_DTYPE),
            alive=np.zeros(capacity, np.bool_),
        )

    @classmethod
    def from_arrays(
        cls,
        doc_ids: np.ndarray,
        lengths: np.ndarray,
        layers: np.ndarray,
        timestamps: np.ndarray,
        alive: np.ndarray,
    ) -> DocColumns:
        """Writable columns holding copies of the given rows (with some spare capacity)."""
        n = len(doc_ids)
        cols = cls.empty(max(1024, n + n // 4))
        cols.doc_ids[:n] = doc_ids
        cols.lengths[:n] = lengths
        cols.layers[:n] = layers
        cols.timestamps[:n] = timestamps
        cols.alive[:n] = alive
        return cols

    def with_room(self, used: int, extra: int) -> DocColumns:
        """These columns if ``used + extra`` rows fit, else a grown copy of the first ``used``."""
        need = used + extra
        if need <= self.capacity:
            return self
        capacity = max(need, 2 * self.capacity)
        grown = DocColumns.empty(capacity)
        grown.doc_ids[:used] = self.doc_ids[:used]
        grown.lengths[:used] = self.lengths[:used]
        grown.layers[:used] = self.layers[:used]
        grown.timestamps[:used] = self.timestamps[:used]
        grown.alive[:used] = self.alive[:used]
        return grown

    def nbytes(self) -> int:
        """Bytes held by the arrays (capacity, not just used rows)."""
        return sum(
            a.nbytes for a in (self.doc_ids, self.lengths, self.layers, self.timestamps, self.alive)
        )
