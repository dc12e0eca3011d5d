"""Immutable inverted-index segments: postings of a contiguous range of document rows.

A segment maps the term ids present in it (sorted, ``terms``) to slices of ``rows``/``tfs``
through ``ptr`` (CSR layout). Rows are global row numbers, ascending within each term. Every
``add`` builds a small segment; neighbouring segments are merged (dropping postings of removed
rows) so that a few large segments hold almost everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Segment", "build_segment", "id_order", "merge_segments", "sorted_unique"]

TERM_DTYPE = np.dtype("<i4")
PTR_DTYPE = np.dtype("<i8")
ROW_DTYPE = np.dtype("<i4")
TF_DTYPE = np.dtype("<u2")
MAX_TF = int(np.iinfo(TF_DTYPE).max)


def sorted_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values in ascending order and how often each occurs.

    Sort-based on purpose: ``np.unique`` without ``return_counts`` takes a hash-based path in
    numpy 2.x that is two orders of magnitude slower on large integer arrays.
    """
    ordered = np.sort(values)
    if not len(ordered):
        return ordered, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    return ordered[starts], counts


@dataclass(frozen=True, eq=False)
class Segment:
    """Postings of rows ``[row_lo, row_hi)``; never modified after construction."""

    row_lo: int
    row_hi: int
    terms: np.ndarray  #: int32 term ids present, ascending
    ptr: np.ndarray  #: int64, ``len(terms) + 1`` offsets into rows/tfs
    rows: np.ndarray  #: int32 global row numbers
    tfs: np.ndarray  #: uint16 term frequencies (capped at 65535)
    #: When the doc ids of the row range are not in ascending order: the ids sorted, and the
    #: row of each. ``None`` when ``doc_ids[row_lo:row_hi]`` is already sorted.
    sorted_ids: np.ndarray | None = None
    sorted_rows: np.ndarray | None = None

    @property
    def n_postings(self) -> int:
        """Number of (term, row) postings."""
        return len(self.rows)

    def nbytes(self) -> int:
        """Bytes held by the segment's arrays."""
        total = self.terms.nbytes + self.ptr.nbytes + self.rows.nbytes + self.tfs.nbytes
        if self.sorted_ids is not None and self.sorted_rows is not None:
            total += self.sorted_ids.nbytes + self.sorted_rows.nbytes
        return total

    def slices(self, term_ids: np.ndarray) -> list[tuple[int, int] | None]:
        """For each term id (any order): ``(start, end)`` into rows/tfs, or ``None`` if absent."""
        pos = self.terms.searchsorted(term_ids)
        out: list[tuple[int, int] | None] = []
        n = len(self.terms)
        for tid, p in zip(term_ids.tolist(), pos.tolist()):
            if p < n and self.terms[p] == tid:
                out.append((int(self.ptr[p]), int(self.ptr[p + 1])))
            else:
                out.append(None)
        return out

    def find_rows(self, doc_id_column: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Rows of this segment whose doc id is in ``ids`` (sorted int64), dead rows included."""
        if self.sorted_ids is not None and self.sorted_rows is not None:
            keys, rows_of = self.sorted_ids, self.sorted_rows
        else:
            keys, rows_of = doc_id_column[self.row_lo : self.row_hi], None
        lo = keys.searchsorted(ids, side="left")
        hi = keys.searchsorted(ids, side="right")
        counts = hi - lo
        if not counts.any():
            return np.zeros(0, ROW_DTYPE)
        starts = np.repeat(lo, counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        pos = starts + offsets
        if rows_of is not None:
            return rows_of[pos].astype(ROW_DTYPE, copy=False)
        return (pos + self.row_lo).astype(ROW_DTYPE)


def id_order(
    doc_id_column: np.ndarray, row_lo: int, row_hi: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(sorted_ids, sorted_rows)`` for a row range, or ``(None, None)`` if already sorted."""
    ids = doc_id_column[row_lo:row_hi]
    if len(ids) < 2 or bool(np.all(ids[1:] >= ids[:-1])):
        return None, None
    order = np.argsort(ids, kind="stable")
    return ids[order].copy(), (order + row_lo).astype(ROW_DTYPE)


def build_segment(
    row_lo: int,
    n_docs: int,
    term_ids: np.ndarray,
    doc_index: np.ndarray,
    doc_id_column: np.ndarray,
) -> Segment:
    """Segment for rows ``row_lo .. row_lo + n_docs`` from flat (term id, doc index) pairs.

    ``doc_index`` gives, for each occurrence in ``term_ids``, the document's position in the
    batch (``0 .. n_docs-1``); repeated pairs are counted into term frequencies.
    """
    if len(term_ids) != len(doc_index):
        raise ValueError("term_ids and doc_index must have the same length")
    if len(term_ids):
        key = term_ids.astype(np.int64) * max(n_docs, 1) + doc_index.astype(np.int64)
        uniq, counts = sorted_unique(key)
        terms_flat = (uniq // max(n_docs, 1)).astype(TERM_DTYPE)
        rows = (uniq % max(n_docs, 1) + row_lo).astype(ROW_DTYPE)
        tfs = np.minimum(counts, MAX_TF).astype(TF_DTYPE)
    else:
        terms_flat = np.zeros(0, TERM_DTYPE)
        rows = np.zeros(0, ROW_DTYPE)
        tfs = np.zeros(0, TF_DTYPE)
    terms, ptr = _directory(terms_flat)
    sorted_ids, sorted_rows = id_order(doc_id_column, row_lo, row_lo + n_docs)
    return Segment(row_lo, row_lo + n_docs, terms, ptr, rows, tfs, sorted_ids, sorted_rows)


def _directory(terms_flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique term ids and CSR offsets of a term-sorted posting stream."""
    n = len(terms_flat)
    if n == 0:
        return np.zeros(0, TERM_DTYPE), np.zeros(1, PTR_DTYPE)
    starts = np.flatnonzero(terms_flat[1:] != terms_flat[:-1]) + 1
    starts = np.concatenate(([0], starts)).astype(PTR_DTYPE)
    ptr = np.concatenate((starts, [n])).astype(PTR_DTYPE)
    return terms_flat[starts].astype(TERM_DTYPE), ptr


def merge_segments(
    segments: Sequence[Segment], alive: np.ndarray, doc_id_column: np.ndarray
) -> Segment:
    """One segment equivalent to adjacent ``segments`` (in row order), minus removed rows."""
    if not segments:
        raise ValueError("nothing to merge")
    for left, right in itertools.pairwise(segments):
        if left.row_hi != right.row_lo:
            raise ValueError("only adjacent segments can be merged")
    term_parts, row_parts, tf_parts = [], [], []
    for seg in segments:
        t = np.repeat(seg.terms, np.diff(seg.ptr))
        r, f = seg.rows, seg.tfs
        keep = alive[r]
        if not keep.all():
            t, r, f = t[keep], r[keep], f[keep]
        term_parts.append(t)
        row_parts.append(r)
        tf_parts.append(f)
    terms_flat = np.concatenate(term_parts)
    # each part is term-sorted: a stable sort only merges the runs (timsort), keeping row order
    order = np.argsort(terms_flat, kind="stable")
    terms_flat = terms_flat[order]
    rows = np.concatenate(row_parts)[order]
    tfs = np.concatenate(tf_parts)[order]
    terms, ptr = _directory(terms_flat)
    row_lo, row_hi = segments[0].row_lo, segments[-1].row_hi
    sorted_ids, sorted_rows = id_order(doc_id_column, row_lo, row_hi)
    return Segment(row_lo, row_hi, terms, ptr, rows, tfs, sorted_ids, sorted_rows)
