"""Benchmark of the memory store: ingest, recall latency by size, writes through the owner.

    .venv/bin/python bench/memory_bench.py [--sizes 10000,100000,1000000] [--store-dir DIR]

Measures, on a deterministic synthetic corpus (Zipf-distributed pseudo-words, 5-60 words per
memory, some tags):

* ingest: ``remember`` one by one (in-process and through the owner process) and
  ``remember_many`` in batches (which also builds the stores for the recall figures);
* recall p50/p95 at each size, in-process and through the owner, plus the owner's cold start
  (open + search snapshot load) at that size and its resident memory;
* ``remember`` p50/p95 through the owner at each size;
* 4 processes writing concurrently through the owner against the baseline "open and close
  DuckDB per operation" (each write opens the file, retrying while another process holds the
  lock), both measured in this run, with ratios;
* the disk's fsync latency (DuckDB fsyncs its WAL on every commit), for context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from athena_kernel.memory import Memory, open_memory, shutdown_owners  # noqa: E402

TAGS = [f"topic{i}" for i in range(20)]
BATCH = 10_000


# ----------------------------------------------------------------------------- corpus
class Corpus:
    """Deterministic synthetic memories and queries (Zipf-like word frequencies)."""

    def __init__(self, seed: int = 7, vocabulary: int = 30_000) -> None:
        rng = random.Random(seed)
        onsets = [*"bcdfghjklmnprstvwz", "br", "ch", "st", "tr", "pl", "gr", "sh"]
        vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
        words: set[str] = set()
        while len(words) < vocabulary:
            parts = rng.choice((1, 2, 2, 3, 3, 3, 4))
            words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(parts)))
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.rng = random.Random(seed + 1)

    def text(self) -> str:
        """One memory's text: 5-60 words."""
        length = min(60, max(5, int(self.rng.lognormvariate(2.8, 0.5))))
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=length))

    def item(self) -> dict[str, Any]:
        """One memory as a remember_many item (30% carry a tag)."""
        tags = [self.rng.choice(TAGS)] if self.rng.random() < 0.3 else []
        return {"content": self.text(), "tags": tags}

    def items(self, count: int) -> Iterator[list[dict[str, Any]]]:
        """``count`` items in batches."""
        for start in range(0, count, BATCH):
            yield [self.item() for _ in range(min(BATCH, count - start))]

    def queries(self, count: int, seed: int = 99) -> list[dict[str, Any]]:
        """Realistic recall calls: 2-6 words from one generated text; some with filters."""
        rng = random.Random(seed)
        out = []
        for i in range(count):
            words = self.text().split()
            query = " ".join(rng.sample(words, min(len(words), rng.randint(2, 6))))
            call: dict[str, Any] = {"query": query, "limit": 10}
            if i % 5 == 1:
                call["tags"] = [rng.choice(TAGS)]
            elif i % 5 == 2:
                call["layers"] = ["semantic"]
            elif i % 5 == 3:
                call["since"] = datetime.now(timezone.utc) - timedelta(days=1)
            out.append(call)
        return out


# ----------------------------------------------------------------------------- helpers
def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return p50 * 1e3, p95 * 1e3


def timed(function: Callable[[Any], Any], arguments: list[Any]) -> list[float]:
    """Call ``function`` with each argument in turn; the latencies in seconds."""
    latencies = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        latencies.append(time.perf_counter() - start)
    return latencies


def fsync_latency(directory: Path, count: int = 200) -> tuple[float, float]:
    """p50/p95 of a 300-byte append + fsync in ``directory`` (what every commit pays)."""
    path = directory / "fsync-probe.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        return percentiles(timed(lambda _: (os.write(fd, b"x" * 300), os.fsync(fd)), [0] * count))
    finally:
        os.close(fd)
        path.unlink()


def owner_rss_mb(store: Path) -> float | None:
    """Resident memory of the store's owner process, in MiB."""
    try:
        pid = json.loads(Path(f"{store}.owner.json").read_text())["pid"]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, KeyError):
        return None
    return None


def row(label: str, *values: str) -> None:
    """Print one aligned result line."""
    print(f"  {label:<44}" + "".join(f"{v:>16}" for v in values), flush=True)


# ----------------------------------------------------------------------------- sections
def bench_single_ingest(corpus: Corpus, directory: Path, count: int) -> dict[str, float]:
    """remember() one by one: in-process and through the owner."""
    results = {}
    for label, shared in (("in-process", False), ("through the owner", True)):
        store = directory / f"single-{'owner' if shared else 'local'}.duckdb"
        memory = open_memory(store, shared=shared)
        memory.remember("warm-up")  # opens the store / starts the owner
        texts = [corpus.text() for _ in range(count)]
        start = time.perf_counter()
        latencies = timed(memory.remember, texts)
        rate = count / (time.perf_counter() - start)
        p50, p95 = percentiles(latencies)
        row(
            f"remember x{count} {label}", f"{rate:,.0f}/s", f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms"
        )
        results[label] = rate
        memory.close()
    shutdown_owners(directory)
    return results


def recall_latency(memory: Memory, calls: list[dict[str, Any]]) -> tuple[float, float]:
    """p50/p95 of the recall calls (after 20 warm-up calls)."""
    for call in calls[:20]:
        memory.recall(**call)
    return percentiles(timed(lambda call: memory.recall(**call), calls))


def grow_store(memory: Memory, corpus: Corpus, count: int) -> float:
    """Add ``count`` memories with remember_many; returns memories per second."""
    start = time.perf_counter()
    for batch in corpus.items(count):
        memory.remember_many(batch)
    return count / (time.perf_counter() - start)


def bench_sizes(corpus: Corpus, directory: Path, sizes: list[int], queries: int) -> None:
    """Grow one store through the sizes; at each, recall in-process and through the owner."""
    store = directory / "sized.duckdb"
    calls = corpus.queries(queries)
    have = 0
    for size in sizes:
        local = open_memory(store, shared=False)
        rate = grow_store(local, corpus, size - have)
        have = size
        print(f"\n  -- {size:,} memories --")
        row("remember_many ingest (batches of 10,000)", f"{rate:,.0f}/s")
        p50, p95 = recall_latency(local, calls)
        row("recall in-process", f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms")
        start = time.perf_counter()
        local.close()  # saves the search snapshot
        row("close (snapshot + checkpoint)", f"{time.perf_counter() - start:.2f} s")

        remote = open_memory(store)
        start = time.perf_counter()
        remote.stats()
        row("owner cold start (open + snapshot load)", f"{time.perf_counter() - start:.2f} s")
        p50, p95 = recall_latency(remote, calls)
        row("recall through the owner", f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms")
        texts = [corpus.text() for _ in range(300)]
        p50, p95 = percentiles(timed(remote.remember, texts))
        row("remember through the owner", f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms")
        rss = owner_rss_mb(store)
        if rss is not None:
            row("owner resident memory", f"{rss:,.0f} MiB")
        remote.close()
        shutdown_owners(directory)
        have += 300


def bench_concurrent(directory: Path, writes: int, baseline_writes: int) -> None:
    """4 writer processes: through the owner vs open-and-close DuckDB per operation."""
    results = {}
    for mode, count in (("owner", writes), ("open-close", baseline_writes)):
        store = directory / f"concurrent-{mode}.duckdb"
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", mode, str(store), str(count), str(n)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(4)
        ]
        for proc in procs:  # each has opened the store and done one write
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        latencies: list[float] = []
        for proc in procs:
            out, _ = proc.communicate(timeout=3600)
            latencies.extend(json.loads(out))
        elapsed = time.perf_counter() - start
        p50, p95 = percentiles(latencies)
        throughput = len(latencies) / elapsed
        results[mode] = (throughput, p50, p95)
        label = "through the owner" if mode == "owner" else "baseline: open+close per write"
        row(
            f"4 x {count} writes, {label}",
            f"{throughput:,.0f} writes/s",
            f"p50 {p50:.2f} ms",
            f"p95 {p95:.2f} ms",
        )
        shutdown_owners(directory)
    (t_own, p50_own, p95_own), (t_base, p50_base, p95_base) = (
        results["owner"],
        results["open-close"],
    )
    row(
        "ratio owner vs baseline",
        f"x{t_own / t_base:,.1f} writes/s",
        f"p50 /{p50_base / p50_own:,.1f}",
        f"p95 /{p95_base / p95_own:,.1f}",
    )


def worker(mode: str, store: str, count: int, ident: str) -> None:
    """One writer process of :func:`bench_concurrent` (prints its latencies as JSON)."""
    if mode == "owner":
        memory = open_memory(store)

        def write(i: int) -> None:
            memory.remember(f"writer {ident} note {i}", tags=[f"w{ident}"])

    else:
        import duckdb

        from athena_kernel.memory.engine.connection import DUCKDB_CONFIG

        def connect() -> Any:
            while True:
                try:
                    return duckdb.connect(store, config=dict(DUCKDB_CONFIG))
                except duckdb.IOException:
                    time.sleep(0.002)

        con = connect()
        con.execute(
            "CREATE TABLE IF NOT EXISTS notes (id VARCHAR PRIMARY KEY, content VARCHAR, "
            "tags VARCHAR[], created_at TIMESTAMP)"
        )
        con.close()

        def write(i: int) -> None:
            con = connect()
            try:
                con.execute(
                    "INSERT INTO notes VALUES (?, ?, ?, now()::TIMESTAMP)",
                    [f"{ident}-{i}", f"writer {ident} note {i}", [f"w{ident}"]],
                )
            finally:
                con.close()

    write(-1)
    print("ready", flush=True)
    sys.stdin.readline()
    latencies = timed(write, list(range(count)))
    print(json.dumps(latencies), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="store sizes to measure")
    parser.add_argument("--store-dir", help="where to put the stores (default: a temp dir)")
    parser.add_argument("--queries", type=int, default=300, help="recall calls per size")
    parser.add_argument("--single", type=int, default=1000, help="one-by-one remember calls")
    parser.add_argument("--writes", type=int, default=1000, help="writes per process (owner)")
    parser.add_argument(
        "--baseline-writes", type=int, default=200, help="writes per process (open/close)"
    )
    parser.add_argument(
        "--only",
        choices=("single", "sizes", "concurrent"),
        help="run one section only (default: all)",
    )
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, store, count, ident = args.worker
        worker(mode, store, int(count), ident)
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    base = (
        Path(args.store_dir) if args.store_dir else Path(tempfile.mkdtemp(prefix="memory-bench-"))
    )
    directory = base / f"run-{os.getpid()}"
    directory.mkdir(parents=True)
    os.environ.setdefault("ATHENA_STORE_IDLE_TIMEOUT", "60")
    corpus = Corpus()
    try:
        print(f"memory bench: sizes {sizes}, stores in {directory}, {os.cpu_count()} cores")
        p50, p95 = fsync_latency(directory)
        row("disk: 300-byte append + fsync", f"p50 {p50:.2f} ms", f"p95 {p95:.2f} ms")
        if args.only in (None, "single"):
            print("\n== ingest one by one ==")
            bench_single_ingest(corpus, directory, args.single)
        if args.only in (None, "sizes"):
            print("\n== sizes: batch ingest, recall, remember ==")
            bench_sizes(corpus, directory, sizes, args.queries)
        if args.only in (None, "concurrent"):
            print("\n== 4 concurrent writer processes ==")
            bench_concurrent(directory, args.writes, args.baseline_writes)
    finally:
        shutdown_owners(directory)
        shutil.rmtree(directory, ignore_errors=True)
        if not args.store_dir:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
