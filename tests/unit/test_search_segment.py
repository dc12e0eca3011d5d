"""Segments: building, merging (with removed rows), id lookup, sort-based unique."""

from __future__ import annotations

import numpy as np

from athena_kernel.memory.search.segment import (
    Segment,
    build_segment,
    merge_segments,
    sorted_unique,
)


def postings(seg: Segment) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for i, term in enumerate(seg.terms.tolist()):
        lo, hi = int(seg.ptr[i]), int(seg.ptr[i + 1])
        out[term] = list(zip(seg.rows[lo:hi].tolist(), seg.tfs[lo:hi].tolist()))
    return out


def test_sorted_unique_matches_numpy() -> None:
    rng = np.random.default_rng(1)
    values = rng.integers(0, 50, 1000)
    uniq, counts = sorted_unique(values)
    ref_u, ref_c = np.unique(values, return_counts=True)
    np.testing.assert_array_equal(uniq, ref_u)
    np.testing.assert_array_equal(counts, ref_c)
    assert len(sorted_unique(np.zeros(0, np.int64))[0]) == 0


def test_build_counts_term_frequencies() -> None:
    ids = np.array([10, 10, 10, 10, 10, 10], np.int64)
    seg = build_segment(
        0, 2, np.array([5, 3, 5, 5, 3, 7], np.int32), np.array([0, 0, 0, 1, 1, 1], np.int32), ids
    )
    assert postings(seg) == {3: [(0, 1), (1, 1)], 5: [(0, 2), (1, 1)], 7: [(1, 1)]}
    assert (seg.row_lo, seg.row_hi) == (0, 2)


def test_merge_equals_single_build_minus_dead_rows() -> None:
    rng = np.random.default_rng(2)
    n = 60
    doc_ids = np.arange(100, 100 + n, dtype=np.int64)
    terms = rng.integers(0, 25, 600).astype(np.int32)
    docs = np.sort(rng.integers(0, n, 600)).astype(np.int32)
    whole = build_segment(0, n, terms, docs, doc_ids)
    parts = []
    for lo, hi in ((0, 20), (20, 45), (45, 60)):
        sel = (docs >= lo) & (docs < hi)
        parts.append(build_segment(lo, hi - lo, terms[sel], docs[sel] - lo, doc_ids))
    alive = np.ones(n, np.bool_)
    assert postings(merge_segments(parts, alive, doc_ids)) == postings(whole)
    alive[[3, 30, 59]] = False
    merged = merge_segments(parts, alive, doc_ids)
    expected = {t: [(r, f) for r, f in plist if alive[r]] for t, plist in postings(whole).items()}
    assert postings(merged) == {t: p for t, p in expected.items() if p}


def test_find_rows_with_unsorted_and_repeated_ids() -> None:
    doc_ids = np.array([7, 3, 9, 3, 1], np.int64)  # id 3 twice (a removed and a live row)
    seg = build_segment(0, 5, np.zeros(0, np.int32), np.zeros(0, np.int32), doc_ids)
    assert seg.sorted_ids is not None
    found = seg.find_rows(doc_ids, np.array([3, 9, 42], np.int64))
    assert sorted(found.tolist()) == [1, 2, 3]
    ordered = build_segment(0, 3, np.zeros(0, np.int32), np.zeros(0, np.int32), np.arange(3))
    assert ordered.sorted_ids is None
    assert ordered.find_rows(np.arange(3), np.array([2], np.int64)).tolist() == [2]
