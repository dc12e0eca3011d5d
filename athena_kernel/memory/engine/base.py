"""What every layer of the store shares: the connection, the search index, the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from ..errors import NotFoundError
from ..ids import PREFIXES
from ..timeutil import to_naive_utc, utcnow
from .common import fetch_dicts, fetch_one, placeholders, plain, transaction
from .search_index import DocRow, DocSource, SearchIndex

Handler = Callable[[Any], Any]
ItemGetter = Callable[[str], "dict[str, Any] | None"]
ItemForgetter = Callable[[str], bool]


class StoreContext:
    """The shared state the layer stores work on (one per open store)."""

    def __init__(self, con: Any, index: SearchIndex) -> None:
        self.con = con
        self.index = index

    @staticmethod
    def now() -> datetime:
        """The current time as the store keeps it: naive UTC."""
        return to_naive_utc(utcnow())


class LayerStore:
    """Base of one layer's operations. Subclasses name their layer, table and id prefix."""

    layer: ClassVar[str]
    table: ClassVar[str]
    prefix: ClassVar[str]
    #: columns returned for an item (``get``)
    columns: ClassVar[str]

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.con = ctx.con
        self.index = ctx.index

    def ops(self) -> dict[str, Handler]:
        """op name -> handler taking the validated params model."""
        return {}

    def item_handlers(self) -> dict[str, tuple[ItemGetter, ItemForgetter]]:
        """id prefix -> (get, forget) for ``memory.get`` / ``memory.forget``."""
        return {self.prefix: (self.get_item, self.forget_item)}

    def doc_sources(self) -> list[DocSource]:
        """Where this layer's searchable rows come from (for rebuild/replay)."""
        return []

    def get_item(self, item_id: str) -> dict[str, Any] | None:
        """The item with this id as plain data, or ``None``."""
        row = fetch_one(
            self.con, f"SELECT {self.columns} FROM {self.table} WHERE id = ?", [item_id]
        )
        return None if row is None else plain(row)

    def require(self, item_id: str) -> dict[str, Any]:
        """The item with this id as plain data; :class:`NotFoundError` if there is none."""
        item = self.get_item(item_id)
        if item is None:
            raise NotFoundError(f"no {PREFIXES[self.prefix]} with id {item_id}")
        return item

    def forget_item(self, item_id: str) -> bool:
        """Delete the item (and what depends on it); ``False`` if it did not exist."""
        row = fetch_one(self.con, f"SELECT doc_id FROM {self.table} WHERE id = ?", [item_id])
        if row is None:
            return False
        with transaction(self.con):
            self.delete_dependents(item_id)
            self.con.execute(f"DELETE FROM {self.table} WHERE id = ?", [item_id])
            self.index.tombstone(self.con, [row["doc_id"]])
        self.index.remove([row["doc_id"]])
        return True

    def delete_dependents(self, item_id: str) -> None:
        """Delete rows that belong to the item (inside :meth:`forget_item`'s transaction)."""

    def update_row(
        self, sql: str, args: Sequence[Any], *, old_doc: int, new_doc: DocRow | None
    ) -> None:
        """Run an ``UPDATE``; with ``new_doc``, swap the row's search document atomically."""
        with transaction(self.con):
            self.con.execute(sql, list(args))
            if new_doc is not None:
                self.index.tombstone(self.con, [old_doc])
        if new_doc is not None:
            self.index.remove([old_doc])
            self.index.add([new_doc])

    def hits(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Hit fields (id, text, timestamp, tags, metadata) of the rows with these doc ids."""
        return {}

    def run_batch(
        self,
        requests: Sequence[Any],
        insert_rows: Callable[[Sequence[Any]], list[tuple[dict[str, Any], DocRow]]],
        single: Callable[[Any], Any],
    ) -> list[Any]:
        """Insert several requests with one statement in one transaction (one WAL fsync).

        Returns each request's result, or the exception it raised. If the shared insert fails
        (e.g. a retried request whose id exists), it is rolled back and every request runs on
        its own through ``single``, which handles such cases.
        """
        if len(requests) > 1:
            try:
                with transaction(self.con):
                    done = insert_rows(requests)
            except Exception:
                pass
            else:
                self.index.add([doc for _, doc in done])
                return [record for record, _ in done]
        results: list[Any] = []
        for request in requests:
            try:
                results.append(single(request))
            except Exception as exc:
                results.append(exc)
        return results

    # ------------------------------------------------------------------------- helpers
    def rows_by_doc_ids(self, columns: str, doc_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Rows of this layer's table whose ``doc_id`` is one of ``doc_ids``."""
        if not doc_ids:
            return []
        sql = f"SELECT {columns} FROM {self.table} WHERE doc_id IN ({placeholders(len(doc_ids))})"
        return fetch_dicts(self.con, sql, [int(d) for d in doc_ids])

    def stream_docs(self, sql: str) -> Callable[[Any, int], Iterable[DocRow]]:
        """A :class:`DocSource` row reader from a query with one ``doc_id > ?`` parameter."""

        def rows(con: Any, after: int) -> Iterable[DocRow]:
            cursor = con.cursor()
            try:
                cursor.execute(sql, [after])
                while True:
                    batch = cursor.fetchmany(10_000)
                    if not batch:
                        break
                    yield from batch
            finally:
                cursor.close()

        return rows
