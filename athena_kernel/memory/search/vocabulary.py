"""The term dictionary: index term <-> dense integer id, append-only.

Only the index's writer adds terms; readers look terms up concurrently (a dict lookup and a list
append are atomic in CPython, and an id is published in the dict only after its term is in the
list, so a reader never sees an id without its term).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Vocabulary"]


class Vocabulary:
    """Append-only mapping of term strings to ids ``0..len-1``."""

    __slots__ = ("_ids", "_terms")

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._terms: list[str] = []
        self._ids: dict[str, int] = {}
        for term in terms:
            if term in self._ids:
                raise ValueError(f"duplicate term {term!r} in vocabulary")
            self.add(term)

    def __len__(self) -> int:
        return len(self._terms)

    def get(self, term: str) -> int | None:
        """Id of ``term``, or ``None`` if it was never indexed."""
        return self._ids.get(term)

    def add(self, term: str) -> int:
        """Id of ``term``, assigning the next id if it is new (writer only)."""
        tid = self._ids.get(term)
        if tid is None:
            tid = len(self._terms)
            self._terms.append(term)
            self._ids[term] = tid
        return tid

    def term(self, tid: int) -> str:
        """The term with id ``tid``."""
        return self._terms[tid]

    def terms(self, count: int | None = None) -> list[str]:
        """The first ``count`` terms (all by default), in id order."""
        return self._terms[: len(self._terms) if count is None else count]
