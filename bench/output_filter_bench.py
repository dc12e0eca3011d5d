"""Output filter cost: streams, small cells, summaries, tracebacks — against in-process baselines.

    .venv/bin/python bench/output_filter_bench.py [--mb 10] [--cells 2000] [--pii]

Baselines run in the same process: ``json.dumps`` of each message's content (what ipykernel does
for every message anyway) for the stream and small-cell figures, ``repr`` for summaries.
``--pii`` adds the privacy package's Vault.tokenize as the text transform (and its detector).
No data files are needed: the output is generated.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from athena_kernel.output import OutputArchive, OutputFilter, compact_traceback, summarize
from athena_kernel.output.cell import CellOutput


def best(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def stream_bench(mb: int, transform: Any, detector: Any) -> None:
    line = "step {i}: value=" + "0123456789" * 7 + "\n"
    per_batch = 2500  # ~220 KB: one 0.2 s flush of a fast print loop
    n = max(1, mb * 1_000_000 // len(line.format(i=10**6) * per_batch))
    # distinct strings per batch, as a real kernel receives them
    batches = [
        "".join(line.format(i=b * per_batch + i) for i in range(per_batch)) for b in range(n)
    ]
    batch = batches[0]

    def baseline() -> None:
        for b in batches:
            json.dumps({"name": "stdout", "text": b})

    def filtered() -> None:
        cell = CellOutput(
            execution_count=1,
            budget=2000,
            archive=OutputArchive(20_000_000),
            text_transform=transform,
            detector=detector,
        )
        for b in batches:
            out = cell.stream("stdout", b)
            if out is not None:
                json.dumps({"name": "stdout", "text": out})
        cell.finish()

    base, filt = best(baseline, 3), best(filtered, 3)
    tracemalloc.start()
    filtered()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total_mb = sum(map(len, batches)) / 1e6
    print(f"stream: {total_mb:.1f} MB in {n} batches of {len(batch) / 1e3:.0f} KB, budget 2000")
    print(f"  baseline json.dumps per batch : {base * 1e3:8.1f} ms  ({total_mb / base:7.0f} MB/s)")
    print(f"  filter (+archive)             : {filt * 1e3:8.1f} ms  ({total_mb / filt:7.0f} MB/s)")
    print(f"  ratio filter/baseline         : {filt / base:8.2f}")
    print(f"  peak filter allocations       : {peak / 1e6:8.1f} MB (archive cap 20 MB)")


def small_cell_bench(cells: int, transform: Any, detector: Any) -> None:
    f = OutputFilter(max_output_chars=2000, text_transform=transform, detector=detector)
    contents = [
        ("stream", {"name": "stdout", "text": "loaded 3 records\n"}),
        ("stream", {"name": "stdout", "text": "done\n"}),
        ("execute_result", {"data": {"text/plain": "[1, 2, 3]"}, "metadata": {}}),
    ]

    def baseline() -> None:
        for _ in range(cells):
            for _, content in contents:
                json.dumps(content)

    def filtered() -> None:
        for i in range(cells):
            key = f"k{i}"
            cell = f.begin(key, i)
            for kind, content in contents:
                if kind == "stream":
                    out = cell.stream(content["name"], content["text"])
                    json.dumps({**content, "text": out})
                else:
                    result = cell.bundle(kind, content["data"], content["metadata"])
                    assert result is not None
                    data, md = result
                    json.dumps({"data": data, "metadata": md})
            cell.finish()
            f.end(key)

    base, filt = best(baseline), best(filtered)
    print(f"small cells: {cells} cells of 3 outputs (byte-identical pass-through)")
    print(f"  baseline json.dumps           : {base / cells * 1e6:8.1f} µs/cell")
    print(f"  filter                        : {filt / cells * 1e6:8.1f} µs/cell")
    print(f"  added per cell                : {(filt - base) / cells * 1e6:8.1f} µs")


def summary_bench() -> None:
    cases: list[tuple[str, Any]] = [
        ("list of 5,000,000 ints", list(range(5_000_000))),
        ("list of 100,000 dicts", [{"id": i, "name": f"user{i}"} for i in range(100_000)]),
        ("dict of 1,000,000 keys", {i: str(i) for i in range(1_000_000)}),
        ("str of 10,000,000 chars", "lorem ipsum dolor\n" * 555_556),
    ]
    print("summaries (budget 2000) vs repr():")
    for name, value in cases:
        s = best(lambda v=value: summarize(v, 2000), 3)
        r = best(lambda v=value: repr(v), 1)
        print(
            f"  {name:26}: summarize {s * 1e3:8.2f} ms, repr {r * 1e3:8.1f} ms, ratio {s / r:6.3f}"
        )


def traceback_bench() -> None:
    location = "\x1b[36mFile \x1b[39m\x1b[32m~/.venv/lib/python3.11/site-packages/pkg/m{i}.py:{i}"
    source = "\x1b[39m, in \x1b[36mf{i}\x1b[39m(x)\n\x1b[32m----> {i}\x1b[39m     return f{j}(x)\n"
    frames = [(location + source).format(i=i, j=i + 1) for i in range(200)]
    header = "ValueError    Traceback (most recent call last)"
    tb = ["\x1b[31m-----\x1b[39m", header, *frames, "ValueError: x"]
    t = best(lambda: compact_traceback(tb, max_chars=2000), 20)
    print(f"traceback of 200 frames compacted to 2000 chars: {t * 1e3:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=10, help="megabytes of stream output")
    parser.add_argument("--cells", type=int, default=2000, help="small cells")
    parser.add_argument("--pii", action="store_true", help="tokenize with the privacy Vault")
    args = parser.parse_args()
    transform = None
    detector: Any = None
    if args.pii:
        from athena_kernel.output.cuts import AUTO_DETECTOR
        from athena_kernel.privacy import Vault

        transform = Vault().tokenize
        detector = AUTO_DETECTOR
    print(f"text transform: {'privacy Vault.tokenize + detect' if args.pii else 'none'}")
    stream_bench(args.mb, transform, detector)
    small_cell_bench(args.cells, transform, detector)
    summary_bench()
    traceback_bench()


if __name__ == "__main__":
    main()
