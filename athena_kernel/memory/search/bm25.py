"""``BM25Ranker``: an in-memory inverted index with vectorised BM25+ scoring.

Design (see also the module docs of :mod:`.segment` and :mod:`.columns`):

* Each :meth:`BM25Ranker.add` tokenises its batch and appends one immutable segment; a tiered
  merge keeps the segment count logarithmic. New documents are searchable when ``add`` returns.
* Removal flips a per-row live flag; postings of removed rows are skipped at query time and
  dropped on the next merge; :meth:`BM25Ranker.compact` (also run automatically when a third of
  the rows are dead) renumbers rows.
* A search accumulates scores for every document matching a query term into a dense array,
  applies the filters to all matches, then selects the best ``limit``, so filters never hide
  results that exist.

Thread safety: writers (``add``, ``remove``, ``compact``, ``save``) are serialised by a lock.
Searches take no lock: each reads one published, immutable index state (segments never change,
document columns only grow past the rows a state knows, live flags are copied on write). A search
that starts after ``add``/``remove`` returned sees its effect; a search running concurrently
sees each change entirely or not at all (a replaced document is never seen twice or missing).
Writers pause between small slices of work while searches are running (at most 50 ms per
pause), so a large ingest does not hold the interpreter lock against recall.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .analyzer import Analyzer, AnalyzerConfig
from .base import SearchDoc
from .columns import DocColumns
from .fuzzy import single_edits
from .params import BM25Params
from .segment import (
    ROW_DTYPE,
    TERM_DTYPE,
    Segment,
    build_segment,
    id_order,
    merge_segments,
    sorted_unique,
)
from .snapshot import SnapshotError, read_snapshot, write_snapshot
from .vocabulary import Vocabulary

__all__ = ["ANALYSIS_VERSION", "BM25Ranker"]

#: Bumped whenever analysis (tokens, stop words, stemmer, irregular forms) changes behaviour:
#: a snapshot made with other analysis would not match new queries, so it is refused on load.
ANALYSIS_VERSION = 1
_SNAPSHOT_KIND = "athena.search.bm25"
#: Vocabulary prefix of the exact-match tag filter terms (never produced by the analyzer).
_TAG_PREFIX = "\x1f"
#: Documents tokenised per segment build within one ``add`` (bounds transient memory).
_BUILD_CHUNK = 32_768
#: Documents tokenised between two chances for waiting searches to run first.
_YIELD_EVERY = 256
#: Longest a writer waits for running searches to finish before it continues anyway.
_YIELD_TIMEOUT = 0.05
#: Tiered merging: when this many trailing segments share a size tier, they become one.
_MERGE_FANOUT = 4
#: Automatic compaction once this share of rows is dead (and at least _COMPACT_MIN_DEAD rows).
_COMPACT_DEAD_SHARE = 1 / 3
_COMPACT_MIN_DEAD = 256
_TOKEN_CACHE_LIMIT = 2_000_000
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True, eq=False)
class _State:
    """One published, immutable view of the index."""

    segments: tuple[Segment, ...]
    cols: DocColumns
    n_rows: int
    n_live: int
    total_length: int  #: sum of live documents' lengths
    n_dead: int


class _TokenIds(dict):  # type: ignore[type-arg]
    """Cache folded token -> term id (-1 for stop words); fills itself from the analyzer."""

    def __init__(self, analyzer: Analyzer, vocab: Vocabulary) -> None:
        super().__init__()
        self._analyzer = analyzer
        self._vocab = vocab

    def __missing__(self, token: str) -> int:
        term = self._analyzer.term(token)
        tid = -1 if term is None else self._vocab.add(term)
        self[token] = tid
        return tid


def _tier(n_postings: int) -> int:
    return int(math.log(max(n_postings, 1), _MERGE_FANOUT))


class BM25Ranker:
    """Ranked full-text search (BM25+) over :class:`~.base.SearchDoc` documents, in memory.

    Implements :class:`~.base.Ranker`. ``analyzer`` and ``params`` choose the text analysis and
    scoring (defaults: English analysis with Porter2 stemming; BM25+ with k1=1.2, b=0.75,
    delta=1). A document's searchable text is its ``text`` plus its ``tags``.
    """

    def __init__(
        self, analyzer: AnalyzerConfig | None = None, params: BM25Params | None = None
    ) -> None:
        if analyzer is not None and not isinstance(analyzer, AnalyzerConfig):
            raise TypeError("analyzer must be an AnalyzerConfig (or None for the default)")
        if params is not None and not isinstance(params, BM25Params):
            raise TypeError("params must be a BM25Params (or None for the default)")
        self.analyzer = Analyzer(analyzer)
        self.params = params or BM25Params()
        self._vocab = Vocabulary()
        self._token_ids = _TokenIds(self.analyzer, self._vocab)
        self._write_lock = threading.Lock()
        # searches in progress; writers pause between small slices of work while there are any
        self._searches = 0
        self._searches_completed = 0
        self._searches_done = threading.Condition(threading.Lock())
        self._state = _State((), DocColumns.empty(), 0, 0, 0, 0)

    # ------------------------------------------------------------------------------ reading
    def __len__(self) -> int:
        """Number of live (not removed) documents."""
        return self._state.n_live

    def __repr__(self) -> str:
        st = self._state
        return (
            f"<BM25Ranker docs={st.n_live} rows={st.n_rows} segments={len(st.segments)} "
            f"terms={len(self._vocab)}>"
        )

    def live_doc_ids(self) -> np.ndarray:
        """Sorted ids of all live documents (e.g. to reconcile with the store after ``load``)."""
        st = self._state
        ids = st.cols.doc_ids[: st.n_rows][st.cols.alive[: st.n_rows]]
        return np.sort(ids)

    def stats(self) -> dict[str, int]:
        """Sizes: live/dead documents, segments, postings, vocabulary, bytes held by arrays."""
        st = self._state
        postings = sum(s.n_postings for s in st.segments)
        array_bytes = st.cols.nbytes() + sum(s.nbytes() for s in st.segments)
        return {
            "documents": st.n_live,
            "dead_rows": st.n_dead,
            "rows": st.n_rows,
            "segments": len(st.segments),
            "postings": postings,
            "terms": len(self._vocab),
            "array_bytes": array_bytes,
        }

    def query_terms(self, query: str) -> list[str]:
        """The index terms a query is searched with (after analysis), for explaining results."""
        return self.analyzer.terms(query)

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
        """Best ``limit`` ``(doc_id, score)`` pairs for ``query``, best first (ties: lower id).

        Filters apply to every matching document before ranking: ``layers`` (any of),
        ``tags`` (all of, exact), ``since <= timestamp < until``. A query with no searchable
        words (empty, only stop words or punctuation) returns ``[]``.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, not {type(query).__name__}")
        limit = _check_limit(limit)
        layer_arr = _check_layers(layers)
        tag_list = _check_tags(tags)
        since_f = _check_time("since", since)
        until_f = _check_time("until", until)
        st = self._state
        if limit == 0 or st.n_live == 0:
            return []
        if layer_arr is not None and len(layer_arr) == 0:
            return []
        if since_f is not None and until_f is not None and since_f >= until_f:
            return []
        with self._searches_done:
            self._searches += 1
        try:
            weights = self._weighted_query(query, st)
            if not weights:
                return []
            scores, matched = self._score(weights, st)
            cand = _matched_rows(scores, matched)
            cand = self._filter(cand, st, layer_arr, tag_list, since_f, until_f)
            return _top(cand, scores, st.cols.doc_ids, limit)
        finally:
            with self._searches_done:
                self._searches -= 1
                self._searches_completed += 1
                self._searches_done.notify_all()

    # ------------------------------------------------------------------------------ writing
    def add(self, docs: Sequence[SearchDoc], *, replace: bool = False) -> None:
        """Index ``docs``; they are searchable as soon as this returns.

        A ``doc_id`` that is already indexed (and not removed) is an error, unless
        ``replace=True``: then the indexed version is swapped for the new one atomically (also
        makes replaying documents after :meth:`load` idempotent).
        """
        batch = _check_docs(docs)
        if not batch:
            return
        batch.sort(key=lambda d: d.doc_id)
        ids = np.fromiter((d.doc_id for d in batch), np.int64, count=len(batch))
        dup = ids[1:][ids[1:] == ids[:-1]]
        if len(dup):
            raise ValueError(f"doc_id {int(dup[0])} appears twice in one add() batch")
        with self._write_lock:
            st = self._state
            existing = self._live_rows_of(st, ids)
            if len(existing):
                if not replace:
                    taken = sorted(int(x) for x in st.cols.doc_ids[existing][:5])
                    raise ValueError(
                        f"doc_id(s) {taken} are already indexed; remove() them first or pass "
                        "replace=True"
                    )
                st = self._without_rows(st, existing)
            cols = st.cols.with_room(st.n_rows, len(batch))
            segments = list(st.segments)
            row = st.n_rows
            added_length = 0
            for start in range(0, len(batch), _BUILD_CHUNK):
                chunk = batch[start : start + _BUILD_CHUNK]
                seg, length = self._build(chunk, row, cols)
                segments.append(seg)
                segments = self._merge_tail(segments, cols)
                row += len(chunk)
                added_length += length
            if len(self._token_ids) > _TOKEN_CACHE_LIMIT:
                self._token_ids.clear()
            self._state = _State(
                tuple(segments),
                cols,
                row,
                st.n_live + len(batch),
                st.total_length + added_length,
                st.n_dead,
            )

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Drop documents by id; unknown (or already removed) ids are ignored."""
        if isinstance(doc_ids, (str, bytes)) or not isinstance(doc_ids, Iterable):
            raise TypeError("doc_ids must be an iterable of ints, e.g. [3, 7]")
        id_list = []
        for i, x in enumerate(doc_ids):
            if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
                raise TypeError(f"doc_ids[{i}] is {type(x).__name__}, not an int")
            id_list.append(int(x))
        if not id_list:
            return
        ids = sorted_unique(np.array(id_list, dtype=np.int64))[0]
        with self._write_lock:
            st = self._state
            rows = self._live_rows_of(st, ids)
            if not len(rows):
                return
            st = self._without_rows(st, rows)
            self._state = st
            if st.n_dead >= _COMPACT_MIN_DEAD and st.n_dead >= _COMPACT_DEAD_SHARE * st.n_rows:
                self._compact_locked()

    def compact(self) -> None:
        """Merge all segments into one and drop removed rows (e.g. when idle, before ``save``)."""
        with self._write_lock:
            self._compact_locked()

    # ------------------------------------------------------------------------------ snapshots
    def save(self, path: Path, *, covered_up_to: int) -> None:
        """Atomically write a snapshot; ``covered_up_to`` is the highest doc_id it reflects.

        Snapshots hold the analysis and scoring settings; :meth:`load` restores an index that
        answers every query exactly as this one does.
        """
        if isinstance(covered_up_to, bool) or not isinstance(covered_up_to, (int, np.integer)):
            raise TypeError("covered_up_to must be an int (the highest doc_id reflected)")
        with self._write_lock:
            st = self._state
            n = st.n_rows
            terms = self._vocab.terms()
            encoded = [t.encode("utf-8", "surrogatepass") for t in terms]
            offsets = np.zeros(len(encoded) + 1, np.int64)
            if encoded:
                np.cumsum([len(e) for e in encoded], out=offsets[1:])
            arrays: dict[str, np.ndarray] = {
                "vocab_offsets": offsets,
                "vocab_bytes": np.frombuffer(b"".join(encoded), np.uint8),
                "doc_ids": st.cols.doc_ids[:n],
                "lengths": st.cols.lengths[:n],
                "layers": st.cols.layers[:n],
                "timestamps": st.cols.timestamps[:n],
                "alive": st.cols.alive[:n].copy(),
            }
            seg_meta = []
            for i, seg in enumerate(st.segments):
                seg_meta.append([seg.row_lo, seg.row_hi, seg.sorted_ids is not None])
                arrays[f"s{i}.terms"] = seg.terms
                arrays[f"s{i}.ptr"] = seg.ptr
                arrays[f"s{i}.rows"] = seg.rows
                arrays[f"s{i}.tfs"] = seg.tfs
                if seg.sorted_ids is not None and seg.sorted_rows is not None:
                    arrays[f"s{i}.sorted_ids"] = seg.sorted_ids
                    arrays[f"s{i}.sorted_rows"] = seg.sorted_rows
            meta = {
                "kind": _SNAPSHOT_KIND,
                "analysis_version": ANALYSIS_VERSION,
                "analyzer": self.analyzer.config.to_dict(),
                "params": self.params.to_dict(),
                "covered_up_to": int(covered_up_to),
                "n_rows": n,
                "n_live": st.n_live,
                "n_dead": st.n_dead,
                "total_length": st.total_length,
                "segments": seg_meta,
            }
            write_snapshot(path, meta, arrays)

    @classmethod
    def load(cls, path: Path) -> tuple[BM25Ranker, int]:
        """Read a snapshot written by :meth:`save`: ``(ranker, covered_up_to)``.

        Raises :class:`~.snapshot.SnapshotError` if the file is missing, foreign, corrupt,
        truncated, or was made by an incompatible version (rebuild the index then).
        """
        meta, arrays = read_snapshot(path)
        try:
            return cls._from_snapshot(meta, arrays)
        except SnapshotError:
            raise
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise SnapshotError(f"{path} is not a valid BM25 snapshot: {exc}") from exc

    @classmethod
    def _from_snapshot(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> tuple[BM25Ranker, int]:
        if meta.get("kind") != _SNAPSHOT_KIND:
            raise SnapshotError(f"snapshot holds {meta.get('kind')!r}, not a BM25 index")
        if meta.get("analysis_version") != ANALYSIS_VERSION:
            raise SnapshotError(
                f"snapshot was made with text analysis version {meta.get('analysis_version')}; "
                f"this build uses {ANALYSIS_VERSION} (rebuild the index from the store)"
            )
        ranker = cls(
            AnalyzerConfig.from_dict(meta["analyzer"]), BM25Params.from_dict(meta["params"])
        )
        offsets = arrays["vocab_offsets"]
        blob = arrays["vocab_bytes"].tobytes()
        if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != len(blob):
            raise SnapshotError("snapshot vocabulary is inconsistent")
        bounds = offsets.tolist()
        ranker._vocab = Vocabulary(
            blob[bounds[i] : bounds[i + 1]].decode("utf-8", "surrogatepass")
            for i in range(len(bounds) - 1)
        )
        ranker._token_ids = _TokenIds(ranker.analyzer, ranker._vocab)
        n = int(meta["n_rows"])
        for name in ("doc_ids", "lengths", "layers", "timestamps", "alive"):
            if arrays[name].shape != (n,):
                raise SnapshotError(f"snapshot column {name!r} has the wrong length")
        cols = DocColumns.from_arrays(
            arrays["doc_ids"],
            arrays["lengths"],
            arrays["layers"],
            arrays["timestamps"],
            arrays["alive"],
        )
        n_terms = len(ranker._vocab)
        segments: list[Segment] = []
        expected_lo = 0
        for i, (row_lo, row_hi, has_order) in enumerate(meta["segments"]):
            seg = Segment(
                int(row_lo),
                int(row_hi),
                arrays[f"s{i}.terms"],
                arrays[f"s{i}.ptr"],
                arrays[f"s{i}.rows"],
                arrays[f"s{i}.tfs"],
                arrays[f"s{i}.sorted_ids"] if has_order else None,
                arrays[f"s{i}.sorted_rows"] if has_order else None,
            )
            _check_segment(seg, expected_lo, n_terms)
            expected_lo = seg.row_hi
            segments.append(seg)
        if expected_lo != n:
            raise SnapshotError("snapshot segments do not cover all rows")
        alive = cols.alive[:n]
        n_live = int(alive.sum())
        total_length = int(cols.lengths[:n][alive].sum(dtype=np.float64))
        if n_live != meta["n_live"] or total_length != meta["total_length"]:
            raise SnapshotError("snapshot document statistics are inconsistent")
        ranker._state = _State(tuple(segments), cols, n, n_live, total_length, n - n_live)
        return ranker, int(meta["covered_up_to"])

    # ------------------------------------------------------------------------------ internals
    def _build(
        self, chunk: Sequence[SearchDoc], row_lo: int, cols: DocColumns
    ) -> tuple[Segment, int]:
        """Tokenise ``chunk`` into rows ``row_lo..`` and fill their columns: (segment, length)."""
        k = len(chunk)
        tokenize = self.analyzer.tokens
        lookup = self._token_ids.__getitem__
        counts = np.empty(k, np.int64)
        id_parts: list[np.ndarray] = []
        for start in range(0, k, _YIELD_EVERY):
            # small slices: between them, a waiting search gets the interpreter (see _yield)
            self._yield_to_searches()
            tokens: list[str] = []
            for i in range(start, min(k, start + _YIELD_EVERY)):
                doc = chunk[i]
                before = len(tokens)
                tokens.extend(tokenize(doc.text))
                for tag in doc.tags:
                    tokens.extend(tokenize(tag))
                counts[i] = len(tokens) - before
            id_parts.append(np.fromiter(map(lookup, tokens), TERM_DTYPE, count=len(tokens)))
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, TERM_DTYPE)
        doc_index = np.repeat(np.arange(k, dtype=np.int32), counts)
        keep = ids >= 0
        ids, doc_index = ids[keep], doc_index[keep]
        lengths = np.bincount(doc_index, minlength=k)
        # exact-match tag filter terms: postings, but not part of the text or its length
        tag_ids, tag_docs = [], []
        for i, doc in enumerate(chunk):
            for tag in set(doc.tags):
                tag_ids.append(self._vocab.add(_TAG_PREFIX + tag))
                tag_docs.append(i)
        if tag_ids:
            ids = np.concatenate((ids, np.array(tag_ids, TERM_DTYPE)))
            doc_index = np.concatenate((doc_index, np.array(tag_docs, np.int32)))
        rows = slice(row_lo, row_lo + k)
        cols.doc_ids[rows] = [d.doc_id for d in chunk]
        cols.lengths[rows] = lengths
        cols.layers[rows] = [d.layer for d in chunk]
        cols.timestamps[rows] = [d.timestamp for d in chunk]
        cols.alive[rows] = True
        seg = build_segment(row_lo, k, ids, doc_index, cols.doc_ids)
        return seg, int(lengths.sum())

    @staticmethod
    def _without_rows(st: _State, rows: np.ndarray) -> _State:
        """``st`` with the given live rows marked removed (live flags copied, not changed)."""
        alive = st.cols.alive.copy()
        alive[rows] = False
        removed_length = int(st.cols.lengths[rows].sum(dtype=np.float64))
        return dataclasses.replace(
            st,
            cols=dataclasses.replace(st.cols, alive=alive),
            n_live=st.n_live - len(rows),
            total_length=st.total_length - removed_length,
            n_dead=st.n_dead + len(rows),
        )

    def _yield_to_searches(self) -> None:
        """Let the searches running now finish first (bounded wait): ingest must not stall recall.

        Python threads share one interpreter lock; a writer busy tokenising would otherwise
        hold it in 5 ms turns against every step of a concurrent search. Only searches already
        running are waited for, so a steady stream of new ones cannot starve the writer.
        """
        if self._searches:
            with self._searches_done:
                target = self._searches_completed + self._searches
                self._searches_done.wait_for(
                    lambda: self._searches_completed >= target, timeout=_YIELD_TIMEOUT
                )

    def _merge_tail(self, segments: list[Segment], cols: DocColumns) -> list[Segment]:
        """Merge trailing segments while ``_MERGE_FANOUT`` of them share a size tier."""
        while len(segments) >= _MERGE_FANOUT:
            self._yield_to_searches()
            tail = segments[-_MERGE_FANOUT:]
            tier = _tier(tail[-1].n_postings)
            if any(_tier(s.n_postings) > tier for s in tail):
                break
            segments = [*segments[:-_MERGE_FANOUT], merge_segments(tail, cols.alive, cols.doc_ids)]
        return segments

    def _compact_locked(self) -> None:
        st = self._state
        n = st.n_rows
        if n == 0:
            return
        alive = st.cols.alive[:n]
        live_rows = np.flatnonzero(alive)
        cols = DocColumns.from_arrays(
            st.cols.doc_ids[live_rows],
            st.cols.lengths[live_rows],
            st.cols.layers[live_rows],
            st.cols.timestamps[live_rows],
            np.ones(len(live_rows), np.bool_),
        )
        segments: tuple[Segment, ...] = ()
        if st.segments:
            merged = merge_segments(st.segments, st.cols.alive, st.cols.doc_ids)
            remap = np.full(n, -1, ROW_DTYPE)
            remap[live_rows] = np.arange(len(live_rows), dtype=ROW_DTYPE)
            sorted_ids, sorted_rows = id_order(cols.doc_ids, 0, len(live_rows))
            segments = (
                Segment(
                    0,
                    len(live_rows),
                    merged.terms,
                    merged.ptr,
                    remap[merged.rows],
                    merged.tfs,
                    sorted_ids,
                    sorted_rows,
                ),
            )
        self._state = _State(segments, cols, len(live_rows), st.n_live, st.total_length, 0)

    def _live_rows_of(self, st: _State, ids: np.ndarray) -> np.ndarray:
        """Rows holding live documents with the given (sorted, unique) ids."""
        found = [seg.find_rows(st.cols.doc_ids, ids) for seg in st.segments]
        if not found:
            return np.zeros(0, ROW_DTYPE)
        rows = np.concatenate(found)
        return rows[st.cols.alive[rows]]

    def _postings(self, st: _State, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """All live postings (rows, tfs) of one term id."""
        key = np.array([tid], TERM_DTYPE)
        row_parts, tf_parts = [], []
        for seg in st.segments:
            span = seg.slices(key)[0]
            if span is not None:
                row_parts.append(seg.rows[span[0] : span[1]])
                tf_parts.append(seg.tfs[span[0] : span[1]])
        if not row_parts:
            return np.zeros(0, ROW_DTYPE), np.zeros(0, np.uint16)
        rows = np.concatenate(row_parts) if len(row_parts) > 1 else row_parts[0]
        tfs = np.concatenate(tf_parts) if len(tf_parts) > 1 else tf_parts[0]
        if st.n_dead:
            keep = st.cols.alive[rows]
            rows, tfs = rows[keep], tfs[keep]
        return rows, tfs

    def _weighted_query(self, query: str, st: _State) -> dict[int, float]:
        """Term id -> query weight (occurrences; typo-corrected words at ``fuzzy_weight``)."""
        weights: dict[int, float] = {}
        p = self.params
        for token in self.analyzer.tokens(query):
            term = self.analyzer.term(token)
            if term is None:
                continue
            tid = self._vocab.get(term)
            weight = 1.0
            if tid is None and p.fuzzy and p.fuzzy_weight > 0:
                tid = self._correct(token, st)
                weight = p.fuzzy_weight
            if tid is not None:
                weights[tid] = weights.get(tid, 0.0) + weight
        return weights

    def _correct(self, token: str, st: _State) -> int | None:
        """The most frequent indexed term one typo away from ``token``, if any."""
        if len(token) < self.params.fuzzy_min_chars or not token.isascii() or not token.isalpha():
            return None
        best, best_df = None, 0
        for variant in sorted(single_edits(token)):
            term = self.analyzer.term(variant)
            tid = None if term is None else self._vocab.get(term)
            if tid is None or tid == best:
                continue
            df = sum(
                span[1] - span[0]
                for seg in st.segments
                if (span := seg.slices(np.array([tid], TERM_DTYPE))[0]) is not None
            )
            if df > best_df:
                best, best_df = tid, df
        return best

    def _score(self, weights: dict[int, float], st: _State) -> tuple[np.ndarray, list[np.ndarray]]:
        """Dense BM25+ score per row (0 = no query term matched), and each term's matched rows."""
        p = self.params
        n_live = st.n_live
        avgdl = st.total_length / n_live if st.total_length > 0 else 1.0
        scores = np.zeros(st.n_rows, np.float32)
        tids = np.fromiter(weights, TERM_DTYPE, count=len(weights))
        parts: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(len(tids))]
        for seg in st.segments:
            for j, span in enumerate(seg.slices(tids)):
                if span is not None:
                    parts[j].append((seg.rows[span[0] : span[1]], seg.tfs[span[0] : span[1]]))
        lengths = st.cols.lengths
        matched: list[np.ndarray] = []
        k1, b = np.float32(p.k1), np.float32(p.b)
        for j, tid in enumerate(tids.tolist()):
            if not parts[j]:
                continue
            rows = np.concatenate([r for r, _ in parts[j]]) if len(parts[j]) > 1 else parts[j][0][0]
            tfs = np.concatenate([f for _, f in parts[j]]) if len(parts[j]) > 1 else parts[j][0][1]
            if st.n_dead:
                keep = st.cols.alive[rows]
                rows, tfs = rows[keep], tfs[keep]
            df = len(rows)
            if df == 0:
                continue
            idf = math.log1p((n_live - df + 0.5) / (df + 0.5))
            tf = tfs.astype(np.float32)
            norm = k1 * (np.float32(1.0 - p.b) + b * (lengths[rows] / np.float32(avgdl)))
            contrib = tf * np.float32(p.k1 + 1.0) / (tf + norm)
            if p.delta:
                contrib += np.float32(p.delta)
            contrib *= np.float32(weights[tid] * idf)
            scores[rows] += contrib
            matched.append(rows)
        return scores, matched

    def _filter(
        self,
        cand: np.ndarray,
        st: _State,
        layers: np.ndarray | None,
        tags: list[str] | None,
        since: float | None,
        until: float | None,
    ) -> np.ndarray:
        cols = st.cols
        if layers is not None and len(cand):
            cand = cand[np.isin(cols.layers[cand], layers)]
        if since is not None and len(cand):
            cand = cand[cols.timestamps[cand] >= since]
        if until is not None and len(cand):
            cand = cand[cols.timestamps[cand] < until]
        for tag in tags or ():
            if not len(cand):
                break
            tid = self._vocab.get(_TAG_PREFIX + tag)
            if tid is None:
                return cand[:0]
            rows, _ = self._postings(st, tid)
            mask = np.zeros(st.n_rows, np.bool_)
            mask[rows] = True
            cand = cand[mask[cand]]
        return cand


# ---------------------------------------------------------------------------------- helpers
def _matched_rows(scores: np.ndarray, matched: list[np.ndarray]) -> np.ndarray:
    """Sorted rows with a non-zero score: from the postings when few, else by scanning."""
    total = sum(len(rows) for rows in matched)
    if total == 0:
        return np.zeros(0, np.int64)
    if total * 4 < len(scores):  # sorting the matched postings beats scanning every row
        return sorted_unique(np.concatenate(matched))[0]
    return np.flatnonzero(scores)


def _top(
    cand: np.ndarray, scores: np.ndarray, doc_ids: np.ndarray, limit: int
) -> list[tuple[int, float]]:
    if not len(cand):
        return []
    s = scores[cand]
    if len(cand) > limit:
        kth = len(s) - limit
        threshold = np.partition(s, kth)[kth]
        keep = s >= threshold
        cand, s = cand[keep], s[keep]
    ids = doc_ids[cand]
    order = np.lexsort((ids, -s))[:limit]
    return [(int(i), float(x)) for i, x in zip(ids[order].tolist(), s[order].tolist())]


def _check_segment(seg: Segment, row_lo: int, n_terms: int) -> None:
    if seg.row_lo != row_lo or seg.row_hi < seg.row_lo:
        raise SnapshotError("snapshot segments are not contiguous")
    types = (seg.terms.dtype.str, seg.ptr.dtype.str, seg.rows.dtype.str, seg.tfs.dtype.str)
    if types != ("<i4", "<i8", "<i4", "<u2"):
        raise SnapshotError("snapshot segment arrays have the wrong types")
    if len(seg.ptr) != len(seg.terms) + 1 or len(seg.rows) != len(seg.tfs):
        raise SnapshotError("snapshot segment arrays have inconsistent lengths")
    if len(seg.ptr) and (seg.ptr[0] != 0 or seg.ptr[-1] != len(seg.rows)):
        raise SnapshotError("snapshot segment offsets are inconsistent")
    if len(seg.terms) and (seg.terms[0] < 0 or seg.terms[-1] >= n_terms):
        raise SnapshotError("snapshot segment refers to unknown terms")
    if len(seg.rows) and (seg.rows.min() < seg.row_lo or seg.rows.max() >= seg.row_hi):
        raise SnapshotError("snapshot segment refers to rows outside its range")


def _check_docs(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    if isinstance(docs, SearchDoc):
        raise TypeError("add() takes a sequence of SearchDoc, e.g. add([doc]), not one SearchDoc")
    if isinstance(docs, (str, bytes)) or not isinstance(docs, Iterable):
        raise TypeError("docs must be a sequence of SearchDoc")
    batch = list(docs)
    for i, doc in enumerate(batch):
        if not isinstance(doc, SearchDoc):
            raise TypeError(f"docs[{i}] is a {type(doc).__name__}, not a SearchDoc")
        if isinstance(doc.doc_id, bool) or not isinstance(doc.doc_id, (int, np.integer)):
            raise TypeError(f"docs[{i}].doc_id must be an int, not {type(doc.doc_id).__name__}")
        if not 0 <= doc.doc_id < 2**63:
            raise ValueError(f"docs[{i}].doc_id={doc.doc_id} is out of range [0, 2**63)")
        if not isinstance(doc.text, str):
            raise TypeError(f"docs[{i}].text must be a str, not {type(doc.text).__name__}")
        if isinstance(doc.layer, bool) or not isinstance(doc.layer, (int, np.integer)):
            raise TypeError(f"docs[{i}].layer must be an int layer code")
        if not _INT32_MIN <= doc.layer <= _INT32_MAX:
            raise ValueError(f"docs[{i}].layer={doc.layer} does not fit in 32 bits")
        ts = doc.timestamp
        if isinstance(ts, bool) or not isinstance(ts, (int, float, np.floating, np.integer)):
            raise TypeError(
                f"docs[{i}].timestamp must be UTC epoch seconds (a float), not {type(ts).__name__}"
            )
        if not math.isfinite(ts):
            raise ValueError(f"docs[{i}].timestamp={ts!r} is not a finite number")
        if isinstance(doc.tags, str) or not all(isinstance(t, str) for t in doc.tags):
            raise TypeError(f"docs[{i}].tags must be a tuple of str, e.g. ('work',)")
    return batch


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)):
        raise TypeError(f"limit must be an int, not {type(limit).__name__}")
    if limit < 0:
        raise ValueError(f"limit={limit} must be >= 0")
    return int(limit)


def _check_layers(layers: Collection[int] | None) -> np.ndarray | None:
    if layers is None:
        return None
    if isinstance(layers, (str, bytes, int)) or not isinstance(layers, Iterable):
        raise TypeError("layers must be a collection of int layer codes, e.g. [1, 2], or None")
    out = []
    for x in layers:
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
            raise TypeError(f"layers must hold int layer codes; got {type(x).__name__}")
        out.append(int(x))
    return np.array(out, np.int64)


def _check_tags(tags: Collection[str] | None) -> list[str] | None:
    if tags is None:
        return None
    if isinstance(tags, str):
        raise TypeError(f"tags must be a collection of strings, e.g. [{tags!r}], not a str")
    if not isinstance(tags, Iterable):
        raise TypeError("tags must be a collection of strings, or None")
    out = []
    for t in tags:
        if not isinstance(t, str):
            raise TypeError(f"tags must hold strings; got {type(t).__name__}")
        out.append(t)
    return sorted(set(out))


def _check_time(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(
            f"{name} must be UTC epoch seconds (a float, e.g. datetime.timestamp()), "
            f"not {type(value).__name__}"
        )
    if math.isnan(value):
        raise ValueError(f"{name} must not be NaN")
    return float(value)
