"""Speed and memory of BM25Ranker on a synthetic corpus, against BM25 in SQL on DuckDB.

    .venv/bin/python bench/search_bench.py [--sizes 10000,100000,1000000] [--queries 400]
        [--batch 10000] [--locomo /work/shared/data/locomo/dev.jsonl] [--no-duckdb]

The corpus is generated deterministically (seeded): a Zipf-distributed vocabulary (English stop
words at the head, then pseudo-words; with ``--locomo`` the words of the LoCoMo turns, most
frequent first, come before the pseudo-words), document lengths 5-60 words (log-normal), four
layers, timestamps over two years, 0-2 tags out of 50. Queries take 2-8 words of a random
document; a third of them carry a filter (layer, time window or tag). A second, worst-case set
uses 4-8 of the 300 most frequent non-stop words.

Latencies are wall-clock (what a caller waits); the CPU time of the searching thread is shown
too, as it does not depend on what else the machine runs. Per size it reports: ingest rate
(``add`` in batches), single-document ``add`` latency on the full index, resident memory growth
and the index's own array bytes, query latency p50/p95/p99 (unfiltered and filtered), search
latency while another thread keeps adding, and snapshot save/load time and size. The baseline,
run in the same process on the same analysed postings, is BM25 written in SQL over DuckDB tables
(the issue's alternative design); its top-10 agreement with ours cross-checks the scoring.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from athena_kernel.memory.search import BM25Ranker, SearchDoc
from athena_kernel.memory.search.stopwords import ENGLISH_STOP_WORDS

SEED = 20240607
N_LAYERS = 4
N_TAGS = 50
TWO_YEARS = 2 * 365 * 86400.0
T0 = 1_672_531_200.0  # 2023-01-01T00:00:00Z


# ------------------------------------------------------------------------------ corpus
def _pseudo_words(count: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    onsets = [
        "",
        "b",
        "d",
        "f",
        "g",
        "k",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "z",
        "br",
        "st",
        "tr",
        "pl",
        "gr",
        "sh",
        "ch",
        "th",
    ]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ee"]
    codas = ["", "", "n", "r", "s", "l", "m", "t", "nd", "st"]
    out: list[str] = []
    while len(out) < count:
        n_syll = int(rng.integers(2, 5))
        word = "".join(
            onsets[rng.integers(len(onsets))]
            + vowels[rng.integers(len(vowels))]
            + codas[rng.integers(len(codas))]
            for _ in range(n_syll)
        )
        if word not in taken:
            taken.add(word)
            out.append(word)
    return out


def vocabulary(size: int, locomo: Path | None, rng: np.random.Generator) -> list[str]:
    """Words by rank: stop words, then LoCoMo words by frequency (if given), then pseudo-words."""
    words = sorted(ENGLISH_STOP_WORDS - {w for w in ENGLISH_STOP_WORDS if "'" in w})
    taken = set(words)
    if locomo is not None:
        counts: Counter[str] = Counter()
        for line in locomo.read_text().splitlines():
            if line.strip():
                for turn in json.loads(line)["turns"]:
                    counts.update(re.findall(r"[a-z]+", turn["text"].lower()))
        for word, _ in counts.most_common():
            if word not in taken and len(word) > 1:
                taken.add(word)
                words.append(word)
    words.extend(_pseudo_words(max(0, size - len(words)), rng, taken))
    return words[:size]


def corpus(n_docs: int, words: list[str], rng: np.random.Generator) -> list[SearchDoc]:
    """``n_docs`` synthetic documents with Zipf(1.07) word ranks."""
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    cdf = np.cumsum(ranks**-1.07)
    cdf /= cdf[-1]
    lengths = np.clip(np.round(rng.lognormal(math.log(18), 0.6, n_docs)), 5, 60).astype(int)
    word_ids = np.searchsorted(cdf, rng.random(int(lengths.sum())))
    tag_cdf = np.cumsum(np.arange(1, N_TAGS + 1, dtype=np.float64) ** -1.0)
    tag_cdf /= tag_cdf[-1]
    layers = rng.integers(0, N_LAYERS, n_docs)
    stamps = T0 + np.sort(rng.random(n_docs)) * TWO_YEARS
    n_tags = rng.integers(0, 3, n_docs)
    tag_ids = np.searchsorted(tag_cdf, rng.random(int(n_tags.sum())))
    warr = np.array(words, dtype=object)
    docs = []
    pos = tpos = 0
    for i in range(n_docs):
        text = " ".join(warr[word_ids[pos : pos + lengths[i]]])
        pos += lengths[i]
        tags = tuple(sorted({f"tag{t}" for t in tag_ids[tpos : tpos + n_tags[i]]}))
        tpos += n_tags[i]
        docs.append(SearchDoc(i + 1, text, int(layers[i]), float(stamps[i]), tags))
    return docs


def frequent_word_queries(words: list[str], count: int, rng: np.random.Generator) -> list[str]:
    """Worst case: 4-8 of the 300 most frequent non-stop words (long posting lists)."""
    head = [w for w in words[:600] if w not in ENGLISH_STOP_WORDS][:300]
    return [
        " ".join(rng.choice(head, int(rng.integers(4, 9)), replace=False)) for _ in range(count)
    ]


def queries(docs: list[SearchDoc], count: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """2-8 words of random documents; every third query gets a layer, time or tag filter."""
    out = []
    for i in range(count):
        doc = docs[int(rng.integers(len(docs)))]
        words = doc.text.split()
        k = min(len(words), int(rng.integers(2, 9)))
        picked = [words[j] for j in sorted(rng.choice(len(words), k, replace=False))]
        q: dict[str, Any] = {"query": " ".join(picked)}
        kind = i % 9
        if kind == 2:
            q["layers"] = [int(rng.integers(N_LAYERS))]
        elif kind == 5:
            start = T0 + float(rng.random()) * TWO_YEARS
            q["since"], q["until"] = start, start + float(rng.integers(30, 181)) * 86400
        elif kind == 8:
            q["tags"] = [f"tag{int(rng.integers(0, 5))}"]
        out.append(q)
    return out


# ------------------------------------------------------------------------------ measuring
def rss_mb() -> float:
    """Resident set size of this process in MiB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def pct(values: list[float], p: float) -> float:
    """Percentile ``p`` (0-100) of ``values``."""
    return float(np.percentile(np.array(values), p)) if values else float("nan")


def time_queries(
    ranker: BM25Ranker, qs: list[dict[str, Any]], cpu: list[float] | None = None
) -> tuple[list[float], list[list[int]]]:
    """Wall-clock latency (ms) and top-10 ids of each query; CPU ms appended to ``cpu``."""
    lat, tops = [], []
    for q in qs:
        kwargs = {k: v for k, v in q.items() if k != "query"}
        c0 = time.thread_time()
        t0 = time.perf_counter()
        hits = ranker.search(q["query"], limit=10, **kwargs)
        lat.append((time.perf_counter() - t0) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - c0) * 1000)
        tops.append([h[0] for h in hits])
    return lat, tops


class DuckDBBM25:
    """Baseline: BM25+ in SQL over DuckDB tables holding the ranker's analysed postings."""

    def __init__(self, ranker: BM25Ranker) -> None:
        import duckdb

        st = ranker._state
        if st.n_dead:
            raise ValueError("baseline expects an index without removed documents")
        self.ranker = ranker
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")
        terms, rows, tfs = [], [], []
        for seg in st.segments:
            terms.append(np.repeat(seg.terms, np.diff(seg.ptr)))
            rows.append(seg.rows)
            tfs.append(seg.tfs.astype(np.int32))
        postings = {
            "term": np.concatenate(terms),
            "row": np.concatenate(rows),
            "tf": np.concatenate(tfs),
        }
        n = st.n_rows
        docs = {
            "row": np.arange(n, dtype=np.int32),
            "doc_id": st.cols.doc_ids[:n].copy(),
            "len": st.cols.lengths[:n].astype(np.float64),
            "layer": st.cols.layers[:n].copy(),
            "ts": st.cols.timestamps[:n].copy(),
        }
        self.con.execute("CREATE TABLE postings AS SELECT * FROM postings ORDER BY term, row")
        self.con.execute("CREATE TABLE docs AS SELECT * FROM docs")
        self.con.execute(
            "CREATE TABLE df AS SELECT term, count(*) AS df FROM postings GROUP BY term"
        )
        self.n = st.n_live
        self.avgdl = st.total_length / st.n_live
        self.tag_prefix = "\x1f"
        del postings, docs

    def search(self, q: dict[str, Any]) -> list[int]:
        """Top-10 doc ids for one benchmark query."""
        p = self.ranker.params
        weights: dict[int, float] = {}
        for term in self.ranker.query_terms(q["query"]):
            tid = self.ranker._vocab.get(term)
            if tid is not None:
                weights[tid] = weights.get(tid, 0.0) + 1.0
        if not weights:
            return []
        where, args = [], [list(weights), list(weights.values())]
        if "layers" in q:
            where.append("d.layer IN (SELECT unnest(?))")
            args.append(q["layers"])
        if "since" in q:
            where.append("d.ts >= ? AND d.ts < ?")
            args += [q["since"], q["until"]]
        if "tags" in q:
            for tag in q["tags"]:
                tid = self.ranker._vocab.get(self.tag_prefix + tag)
                where.append("p.row IN (SELECT row FROM postings WHERE term = ?)")
                args.append(-1 if tid is None else tid)
        sql = f"""
            WITH q AS (SELECT unnest(?) AS term, unnest(?) AS w)
            SELECT d.doc_id, sum(q.w * ln(1 + ({self.n} - f.df + 0.5) / (f.df + 0.5))
                   * (p.tf * {p.k1 + 1}
                      / (p.tf + {p.k1} * (1 - {p.b} + {p.b} * d.len / {self.avgdl}))
                      + {p.delta})) AS score
            FROM postings p JOIN q USING (term) JOIN df f USING (term) JOIN docs d USING (row)
            {"WHERE " + " AND ".join(where) if where else ""}
            GROUP BY d.doc_id ORDER BY score DESC, d.doc_id LIMIT 10
        """
        return [r[0] for r in self.con.execute(sql, args).fetchall()]


def concurrent_latency(
    ranker: BM25Ranker, qs: list[dict[str, Any]], extra: list[SearchDoc]
) -> tuple[list[float], float]:
    """Search latencies while a writer thread adds ``extra`` in 1,000-document batches."""
    done = threading.Event()
    added = [0]

    def writer() -> None:
        for i in range(0, len(extra), 1000):
            ranker.add(extra[i : i + 1000])
            added[0] += len(extra[i : i + 1000])
        done.set()

    thread = threading.Thread(target=writer)
    t0 = time.perf_counter()
    thread.start()
    lat: list[float] = []
    i = 0
    while not done.is_set():
        q = qs[i % len(qs)]
        kwargs = {k: v for k, v in q.items() if k != "query"}
        s = time.perf_counter()
        ranker.search(q["query"], limit=10, **kwargs)
        lat.append((time.perf_counter() - s) * 1000)
        i += 1
    thread.join()
    return lat, added[0] / (time.perf_counter() - t0)


def bench_size(n: int, words: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """All measurements for one corpus size."""
    rng = np.random.default_rng(SEED + n)
    extra_n = min(20_000, max(2_000, n // 20))
    docs = corpus(n + extra_n + 200, words, rng)
    base_docs, extra, singles = docs[:n], docs[n : n + extra_n], docs[n + extra_n :]
    qs = queries(base_docs, args.queries, rng)
    gc.collect()
    rss0 = rss_mb()
    ranker = BM25Ranker()
    t0 = time.perf_counter()
    for i in range(0, n, args.batch):
        ranker.add(base_docs[i : i + args.batch])
    build_s = time.perf_counter() - t0
    gc.collect()
    rss1 = rss_mb()
    stats = ranker.stats()
    r: dict[str, Any] = {
        "docs": n,
        "build_s": build_s,
        "docs_per_s": n / build_s,
        "rss_mb": rss1 - rss0,
        "array_mb": stats["array_bytes"] / 2**20,
        "postings": stats["postings"],
        "terms": stats["terms"],
        "segments": stats["segments"],
    }
    time_queries(ranker, qs[:20])  # warm-up
    cpu: list[float] = []
    lat, tops = time_queries(ranker, qs, cpu)
    plain = [x for x, q in zip(lat, qs) if len(q) == 1]
    filt = [x for x, q in zip(lat, qs) if len(q) > 1]
    r.update(
        p50=pct(lat, 50),
        p95=pct(lat, 95),
        p99=pct(lat, 99),
        max=max(lat),
        p95_plain=pct(plain, 95),
        p95_filtered=pct(filt, 95),
        cpu_p50=pct(cpu, 50),
        cpu_p95=pct(cpu, 95),
    )
    r["hits_mean"] = statistics.mean(len(t) for t in tops)
    hard = [{"query": q} for q in frequent_word_queries(words, args.queries // 2, rng)]
    hard_lat, _ = time_queries(ranker, hard)
    r.update(hard_p50=pct(hard_lat, 50), hard_p95=pct(hard_lat, 95))

    if not args.no_duckdb:
        t0 = time.perf_counter()
        duck = DuckDBBM25(ranker)
        r["duck_load_s"] = time.perf_counter() - t0
        sub = qs[: args.duckdb_queries]
        for q in sub[:5]:
            duck.search(q)
        dlat, agree = [], []
        for q, ours in zip(sub, tops):
            s = time.perf_counter()
            theirs = duck.search(q)
            dlat.append((time.perf_counter() - s) * 1000)
            both_empty = not theirs and not ours
            agree.append(
                1.0 if both_empty else len(set(theirs) & set(ours)) / max(len(theirs), len(ours))
            )
        r.update(
            duck_p50=pct(dlat, 50),
            duck_p95=pct(dlat, 95),
            agreement=statistics.mean(agree) if agree else float("nan"),
        )
        duck.con.close()
        del duck
        gc.collect()

    single = []
    for doc in singles:
        s = time.perf_counter()
        ranker.add([doc])
        single.append((time.perf_counter() - s) * 1000)
    r.update(single_add_p50=pct(single, 50), single_add_p95=pct(single, 95))
    visible = ranker.search(singles[-1].text, limit=len(ranker))
    r["last_single_found"] = any(d == singles[-1].doc_id for d, _ in visible)

    clat, rate = concurrent_latency(ranker, qs, extra)
    r.update(
        conc_p50=pct(clat, 50),
        conc_p95=pct(clat, 95),
        conc_add_docs_per_s=rate,
        conc_searches=len(clat),
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.snap"
        s = time.perf_counter()
        ranker.save(path, covered_up_to=int(docs[-1].doc_id))
        r["save_s"] = time.perf_counter() - s
        r["snapshot_mb"] = path.stat().st_size / 2**20
        s = time.perf_counter()
        loaded, _ = BM25Ranker.load(path)
        r["load_s"] = time.perf_counter() - s
        same = all(
            loaded.search(q["query"], limit=10) == ranker.search(q["query"], limit=10)
            for q in qs[:50]
        )
        r["load_identical"] = same
        del loaded
    del ranker
    gc.collect()
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--duckdb-queries", type=int, default=150)
    parser.add_argument("--batch", type=int, default=10_000, help="docs per add() call")
    parser.add_argument("--vocab", type=int, default=300_000, help="vocabulary size")
    parser.add_argument("--locomo", type=Path, default=None, help="LoCoMo jsonl: word source")
    parser.add_argument("--no-duckdb", action="store_true", help="skip the SQL baseline")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    words = vocabulary(args.vocab, args.locomo, np.random.default_rng(SEED))
    print(f"vocabulary {len(words)} words; batch {args.batch}; {args.queries} queries per size\n")
    results = []
    for n in sizes:
        r = bench_size(n, words, args)
        results.append(r)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}))
        sys.stdout.flush()

    print(
        "\n| docs | ingest docs/s | RSS growth MB | index arrays MB | postings | query p50 ms |"
        " p95 ms | p99 ms | CPU p50 / p95 ms | p95 filtered | frequent-word p50 / p95 ms |"
        " SQL baseline p50 / p95 ms | p95 speed-up |"
        " top-10 agreement |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        duck = (
            (
                f"{r['duck_p50']:.1f} / {r['duck_p95']:.1f} | x{r['duck_p95'] / r['p95']:.1f} | "
                f"{r['agreement']:.3f}"
            )
            if "duck_p50" in r
            else "- | - | -"
        )
        print(
            f"| {r['docs']:,} | {r['docs_per_s']:,.0f} | {r['rss_mb']:.0f} | {r['array_mb']:.0f} | "
            f"{r['postings']:,} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | "
            f"{r['cpu_p50']:.2f} / {r['cpu_p95']:.2f} | "
            f"{r['p95_filtered']:.2f} | {r['hard_p50']:.2f} / {r['hard_p95']:.2f} | {duck} |"
        )
    print(
        "\n| docs | single add p50 / p95 ms | search p50 / p95 ms while adding | adds/s meanwhile |"
        " save s | load s | snapshot MB | identical after load |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['docs']:,} | {r['single_add_p50']:.2f} / {r['single_add_p95']:.2f} | "
            f"{r['conc_p50']:.2f} / {r['conc_p95']:.2f} | {r['conc_add_docs_per_s']:,.0f} | "
            f"{r['save_s']:.2f} | {r['load_s']:.2f} | {r['snapshot_mb']:.0f} | "
            f"{r['load_identical']} |"
        )


if __name__ == "__main__":
    main()
