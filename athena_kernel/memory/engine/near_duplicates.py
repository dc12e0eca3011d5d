"""Near-duplicate semantic memories: MinHash LSH inside DuckDB, then exact Jaccard similarity.

A memory's word set is its distinct lower-cased words (letters and digits). Comparing every pair
is quadratic, so candidates come from locality-sensitive hashing: 32 MinHash values per memory,
in 8 bands of 4; memories whose band values agree in some band share a bucket. A pair with
Jaccard similarity 0.85 lands in a common bucket with probability 1 - (1 - 0.85**4)**8 = 99.7%
(0.9: 99.98%). Candidates are then scored exactly and kept only at or above the threshold.
Everything is deterministic (fixed hash seeds) and runs in bounded memory: the signatures are
one temporary table, buckets are read one band at a time, and a bucket contributes all its
pairs only when small (a big bucket of near-identical memories contributes the pairs of its
oldest member, enough to merge them into it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

BANDS = 8
ROWS_PER_BAND = 4
#: Buckets up to this size contribute all their pairs; bigger ones a star from the oldest.
FULL_BUCKET = 40

WORDS = (
    "list_distinct(list_filter("
    "regexp_split_to_array(lower(content), '[^\\p{L}\\p{N}]+'), x -> x <> ''))"
)
_SIGNATURES = "consolidation_signatures"
_PAIRS = "consolidation_pairs"


def _signatures_sql() -> str:
    minima = ", ".join(
        f"list_min(list_transform(words, w -> hash(w, {seed}))) AS m{seed}"
        for seed in range(BANDS * ROWS_PER_BAND)
    )
    bands = ", ".join(
        "hash("
        + ", ".join(f"m{band * ROWS_PER_BAND + row}" for row in range(ROWS_PER_BAND))
        + f") AS b{band}"
        for band in range(BANDS)
    )
    return (
        f"CREATE TEMP TABLE {_SIGNATURES} AS SELECT id, created_at, {bands} FROM ("
        f"SELECT id, created_at, {minima} FROM ("
        f"SELECT id, created_at, {WORDS} AS words FROM memories "
        "WHERE kind = 'memory' AND (?::TIMESTAMP IS NULL OR created_at < ?::TIMESTAMP)"
        ") WHERE len(words) > 0)"
    )


_SCORE_SQL = f"""
WITH involved AS (
    SELECT a AS id FROM {_PAIRS} UNION SELECT b FROM {_PAIRS}
), words AS (
    SELECT m.id, m.created_at, {WORDS} AS words FROM memories m JOIN involved USING (id)
), scored AS (
    SELECT p.a, p.b, x.created_at AS a_created, y.created_at AS b_created,
           len(list_intersect(x.words, y.words))
             / len(list_distinct(list_concat(x.words, y.words))) AS similarity
    FROM {_PAIRS} p JOIN words x ON x.id = p.a JOIN words y ON y.id = p.b
)
SELECT a, b, a_created, b_created, similarity FROM scored WHERE similarity >= ?
"""


def candidate_pairs(con: Any, cutoff: datetime | None) -> set[tuple[str, str]]:
    """Pairs of memory ids that share an LSH bucket (older memory first)."""
    con.execute(f"DROP TABLE IF EXISTS {_SIGNATURES}")
    con.execute(_signatures_sql(), [cutoff, cutoff])
    pairs: set[tuple[str, str]] = set()
    try:
        for band in range(BANDS):
            buckets = con.execute(
                f"SELECT list(id ORDER BY created_at, id) FROM {_SIGNATURES} "
                f"GROUP BY b{band} HAVING count(*) > 1"
            ).fetchall()
            for (ids,) in buckets:
                if len(ids) <= FULL_BUCKET:
                    pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
                else:
                    pairs.update((ids[0], other) for other in ids[1:])
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_SIGNATURES}")
    return pairs


def similar_pairs(
    con: Any, cutoff: datetime | None, threshold: float
) -> list[tuple[str, str, float, datetime, datetime]]:
    """``(a, b, similarity, a.created_at, b.created_at)`` for candidate pairs >= threshold."""
    pairs = candidate_pairs(con, cutoff)
    if not pairs:
        return []
    import numpy as np

    ordered = sorted(pairs)
    con.register(
        _PAIRS,
        {
            "a": np.array([a for a, _ in ordered], dtype=object),
            "b": np.array([b for _, b in ordered], dtype=object),
        },
    )
    try:
        rows = con.execute(_SCORE_SQL, [threshold]).fetchall()
    finally:
        con.unregister(_PAIRS)
    return [(a, b, float(score), a_at, b_at) for a, b, a_at, b_at, score in rows]
