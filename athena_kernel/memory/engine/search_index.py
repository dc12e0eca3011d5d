"""The store's side of search: search doc ids, the ranker, and its snapshot.

DuckDB is the source of truth; the ranker (see :mod:`athena_kernel.memory.search`) is an
in-memory index derived from it. Every searchable row carries a ``doc_id``
(:func:`~athena_kernel.memory.layers.make_doc_id`); a changed row gets a new one, and a removed
``doc_id`` is written to ``search_tombstones`` in the same transaction as the row change.

On open the index is restored from the snapshot file ``<store>.<store uid>.search`` when it is
there and valid: tombstones are applied, rows newer than the snapshot are replayed, and the
document count must then match the database, or the index is rebuilt from the tables.
:meth:`SearchIndex.save_snapshot` writes a new snapshot and clears the tombstones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..layers import LAYER_CODES, doc_layer_code, doc_sequence, make_doc_id
from ..search.base import Ranker, SearchDoc

log = logging.getLogger(__name__)

#: Rows read from DuckDB and handed to the ranker per batch while rebuilding or replaying.
_REPLAY_CHUNK = 50_000

#: (doc_id, text, tags, epoch seconds) of one searchable row
DocRow = tuple[int, str, Sequence[str], float]


@dataclass(frozen=True)
class DocSource:
    """Where one layer's searchable rows come from, for rebuilds and replays."""

    layer: str
    table: str
    #: yields the layer's rows with ``doc_id > after`` as :data:`DocRow` tuples
    rows: Callable[[Any, int], Iterable[DocRow]]


def to_search_doc(row: DocRow) -> SearchDoc:
    """The :class:`SearchDoc` of a :data:`DocRow` (the layer comes from the doc id)."""
    doc_id, text, tags, timestamp = row
    return SearchDoc(
        doc_id=int(doc_id),
        text=text,
        layer=doc_layer_code(int(doc_id)),
        timestamp=float(timestamp),
        tags=tuple(tags or ()),
    )


class SearchIndex:
    """Owns the ranker of one store: allocation of doc ids, add/remove, search, snapshots."""

    def __init__(
        self,
        con: Any,
        *,
        ranker_class: type[Ranker],
        snapshot_path: Path | None,
    ) -> None:
        self._con = con
        self._ranker_class = ranker_class
        self._snapshot_path = snapshot_path
        self._ranker: Ranker = ranker_class()
        self._next_sequence = 1
        self._covered = 0  # highest doc_id indexed
        self._changed = False  # anything added/removed since the last snapshot
        self.restored_from_snapshot = False

    # ------------------------------------------------------------------------------ opening
    def open(self, sources: Sequence[DocSource]) -> None:
        """Restore the index from the snapshot (plus replay) or rebuild it from the tables."""
        self._sources = list(sources)
        high = self._highest_doc_id()
        if self._snapshot_path is not None and self._snapshot_path.exists():
            try:
                self._restore(self._snapshot_path)
                self.restored_from_snapshot = True
            except Exception as exc:  # any unreadable or stale snapshot: rebuild
                log.warning(
                    "search snapshot %s not used (%s); rebuilding", self._snapshot_path, exc
                )
                self._rebuild()
        else:
            self._rebuild()
        high = max(high, self._covered)
        self._next_sequence = doc_sequence(high) + 1

    def _restore(self, path: Path) -> None:
        ranker, covered = self._ranker_class.load(path)
        tombstones = [
            row[0] for row in self._con.execute("SELECT doc_id FROM search_tombstones").fetchall()
        ]
        ranker.remove(tombstones)
        replayed = 0
        for source in self._sources:
            for chunk in _chunks(source.rows(self._con, covered), _REPLAY_CHUNK):
                ranker.add([to_search_doc(row) for row in chunk])
                replayed += len(chunk)
        expected = self.live_document_count()
        if len(ranker) != expected:
            raise ValueError(
                f"snapshot + replay holds {len(ranker)} documents, the store {expected}"
            )
        self._ranker = ranker
        self._covered = max(covered, self._highest_doc_id())
        self._changed = bool(replayed or tombstones)
        log.info("search index restored from %s (+%d replayed)", path, replayed)

    def _rebuild(self) -> None:
        ranker = self._ranker_class()
        for source in self._sources:
            for chunk in _chunks(source.rows(self._con, -1), _REPLAY_CHUNK):
                ranker.add([to_search_doc(row) for row in chunk])
        self._ranker = ranker
        self._covered = self._highest_doc_id()
        self._changed = True

    def _highest_doc_id(self) -> int:
        parts = [f"SELECT max(doc_id) AS m FROM {s.table}" for s in self._sources]
        parts.append("SELECT max(doc_id) AS m FROM search_tombstones")
        row = self._con.execute(f"SELECT max(m) FROM ({' UNION ALL '.join(parts)})").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def live_document_count(self) -> int:
        """Searchable rows in the database (what the ranker must hold)."""
        parts = [f"SELECT count(*) AS n FROM {s.table}" for s in self._sources]
        row = self._con.execute(f"SELECT sum(n) FROM ({' UNION ALL '.join(parts)})").fetchone()
        return int(row[0] or 0)

    # ------------------------------------------------------------------------------ writing
    def allocate(self, layer: str, count: int = 1) -> list[int]:
        """Fresh, increasing doc ids for ``count`` new documents of ``layer``."""
        first = self._next_sequence
        self._next_sequence += count
        return [make_doc_id(sequence, layer) for sequence in range(first, first + count)]

    def add(self, rows: Sequence[DocRow]) -> None:
        """Index committed rows (searchable when this returns)."""
        if not rows:
            return
        self._ranker.add([to_search_doc(row) for row in rows])
        self._covered = max(self._covered, max(int(row[0]) for row in rows))
        self._changed = True

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Drop documents whose rows were deleted or replaced (after the commit)."""
        ids = [int(doc_id) for doc_id in doc_ids]
        if ids:
            self._ranker.remove(ids)
            self._changed = True

    @staticmethod
    def tombstone(con: Any, doc_ids: Sequence[int]) -> None:
        """Record removed doc ids inside the caller's transaction (see module docs)."""
        for doc_id in doc_ids:
            con.execute(
                "INSERT INTO search_tombstones VALUES (?) ON CONFLICT DO NOTHING", [int(doc_id)]
            )

    # ------------------------------------------------------------------------------ reading
    def search(
        self,
        query: str,
        *,
        limit: int,
        layers: Collection[str] | None = None,
        tags: Collection[str] | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> list[tuple[int, float]]:
        """Best ``(doc_id, score)`` pairs; layer names are mapped to the ranker's codes."""
        codes = None if layers is None else [LAYER_CODES[name] for name in layers]
        return self._ranker.search(
            query, limit=limit, layers=codes, tags=tags or None, since=since, until=until
        )

    def __len__(self) -> int:
        return len(self._ranker)

    # ------------------------------------------------------------------------------ snapshots
    @property
    def changed(self) -> bool:
        """Whether documents were added or removed since the last snapshot."""
        return self._changed

    def save_snapshot(self) -> bool:
        """Write the snapshot if anything changed; clear the tombstones it now covers."""
        if self._snapshot_path is None or not self._changed:
            return False
        self._ranker.save(self._snapshot_path, covered_up_to=self._covered)
        self._con.execute("DELETE FROM search_tombstones")
        self._changed = False
        self._remove_stale_snapshots()
        return True

    def _remove_stale_snapshots(self) -> None:
        """Delete snapshots of earlier databases at this path (another store uid)."""
        assert self._snapshot_path is not None
        current = self._snapshot_path.name
        prefix = current.rsplit(".", 2)[0] + "."
        for path in self._snapshot_path.parent.iterdir():
            name = path.name
            if name != current and name.startswith(prefix) and name.endswith(".search"):
                middle = name[len(prefix) : -len(".search")]
                if len(middle) == 16 and all(ch in "0123456789abcdef" for ch in middle):
                    path.unlink(missing_ok=True)


def _chunks(rows: Iterable[DocRow], size: int) -> Iterable[list[DocRow]]:
    chunk: list[DocRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
