"""Per-cell cost of the sandbox pipeline on the benign suite, against stock ipykernel.

    .venv/bin/python bench/sandbox_bench.py [--rounds 5] [--calls 200] [--memories 2000]

Three kernels run the same cells, interleaved so machine noise hits them alike: stock ipykernel,
``athena`` with ``ATHENA_ISOLATION=inprocess`` (validation + RestrictedPython + guards + output
filter + PII, in the kernel process) and ``athena`` with ``ATHENA_ISOLATION=process`` (the same
inside a confined worker process, the default). The cells are the benign suite's cases that
plain Python can run (``tests/benign/benign_cases``), minus any case the sandbox is known to
refuse, so every kernel does the same work; each output is checked against the case's
expectation and mismatches are reported, never timed silently. A cell's time is the round trip
from ``execute_request`` to its reply and idle status.

Then the cost of one ``memory.recall`` through the worker's proxy: each Athena kernel seeds its
own store with ``--memories`` memories and times ``--calls`` recalls inside one cell
(``time.perf_counter``), in-process and through the proxy; the difference per call is what the
process boundary costs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "benign"))

from _kernels import STOCK, isolated_jupyter, summary
from benign_cases import BenignCase, stock_cases
from benign_cases.check import mismatches, run_case

from athena_kernel.client import AthenaClient

#: (label, kernelspec, ATHENA_ISOLATION or None)
KERNELS = [
    ("stock ipykernel", STOCK, None),
    ("athena inprocess", "athena", "inprocess"),
    ("athena process", "athena", "process"),
]

RECALL_CELL = """import time
_t0 = time.perf_counter()
for _i in range({calls}):
    _hits = memory.recall("deploy schedule for the {{}} service".format(_i % 50), limit=10)
_per_call_ms = (time.perf_counter() - _t0) * 1000 / {calls}
print(round(_per_call_ms, 4), len(_hits))
"""

SEED_CELL = """memory.remember_many([
    {{"content": "deploy schedule for the " + str(i % 50) + " service, window " + str(i),
      "tags": ["ops"] if i % 3 else ["notes"]}}
    for i in range({memories})
])
None
"""


def start(kernel: str, isolation: str | None, store: Path) -> AthenaClient:
    """A running kernel with its own store."""
    env = {"ATHENA_STORE": str(store)}
    if isolation is not None:
        env["ATHENA_ISOLATION"] = isolation
    return AthenaClient(kernel, env=env).start()


def comparable_cases() -> list[BenignCase]:
    """Stock-runnable benign cases that no Athena mode is expected to refuse."""
    return [
        case
        for case in stock_cases()
        if all(case.xfail_reason(iso) is None for _, _, iso in KERNELS if iso is not None)
    ]


def time_case(client: AthenaClient, case: BenignCase) -> tuple[float, list[str]]:
    """Run the case's setup cells untimed, then time its checked cell; return (s, problems)."""
    for code in case.setup:
        client.run(code)
    t0 = time.perf_counter()
    observed = run_case(client, BenignCase(case.name, case.code))
    elapsed = time.perf_counter() - t0
    return elapsed, mismatches(case, observed)


def recall_cost(client: AthenaClient, calls: int, memories: int) -> float:
    """Milliseconds per ``memory.recall`` measured inside one cell of ``client``."""
    seeded = client.run(SEED_CELL.format(memories=memories), timeout=300)
    if not seeded.ok:
        raise RuntimeError(f"seeding the store failed: {seeded.text()}")
    client.run(RECALL_CELL.format(calls=10))  # warm: first recall loads the index
    cell = client.run(RECALL_CELL.format(calls=calls), timeout=300)
    if not cell.ok:
        raise RuntimeError(f"the recall cell failed: {cell.text()}")
    return float(cell.stdout.split()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="times each case runs per kernel")
    parser.add_argument("--calls", type=int, default=200, help="memory.recall calls timed")
    parser.add_argument("--memories", type=int, default=2000, help="memories seeded per store")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()

    root = isolated_jupyter()
    cases = comparable_cases()
    clients = {
        label: start(kernel, iso, root / f"store-{i}" / "memory.duckdb")
        for i, (label, kernel, iso) in enumerate(KERNELS)
    }
    times: dict[str, dict[str, list[float]]] = {label: {} for label in clients}
    problems: dict[str, set[str]] = {label: set() for label in clients}
    try:
        for client in clients.values():  # warm up: first cells import lazily
            for _ in range(5):
                client.run("x = 1")
        for _ in range(args.rounds):
            for case in cases:
                for label, client in clients.items():
                    seconds, wrong = time_case(client, case)
                    times[label].setdefault(case.name, []).append(seconds)
                    if wrong:
                        problems[label].add(case.name)
        recall = {
            label: recall_cost(client, args.calls, args.memories)
            for label, client in clients.items()
            if label != "stock ipykernel"
        }
    finally:
        for client in clients.values():
            client.stop()

    stock = times["stock ipykernel"]
    print(f"benign suite: {len(cases)} cells x {args.rounds} rounds per kernel, interleaved")
    print(f"{'kernel':<20}{'p50 ms':>9}{'p95 ms':>9}{'Δp50 ms':>10}{'Δp95 ms':>10}{'wrong':>7}")
    report: dict[str, object] = {"cells": len(cases), "rounds": args.rounds, "kernels": {}}
    for label, per_case in times.items():
        flat = [t for runs in per_case.values() for t in runs]
        s = summary(flat)
        # per-cell overhead: each case's median time minus the same case's median in stock
        deltas = [
            statistics.median(runs) - statistics.median(stock[name])
            for name, runs in per_case.items()
        ]
        d = summary(deltas)
        print(
            f"{label:<20}{s['p50'] * 1e3:>9.2f}{s['p95'] * 1e3:>9.2f}"
            f"{d['p50'] * 1e3:>+10.2f}{d['p95'] * 1e3:>+10.2f}{len(problems[label]):>7}"
        )
        report["kernels"][label] = {  # type: ignore[index]
            "p50_ms": s["p50"] * 1e3,
            "p95_ms": s["p95"] * 1e3,
            "delta_p50_ms": d["p50"] * 1e3,
            "delta_p95_ms": d["p95"] * 1e3,
            "wrong": sorted(problems[label]),
        }
    print("(Δ: per cell, the case's median minus the same case's median in stock ipykernel)")

    worst = sorted(
        cases,
        key=lambda c: (
            statistics.median(times["athena process"][c.name]) - statistics.median(stock[c.name])
        ),
        reverse=True,
    )[:5]
    print("\ncostliest cells in process mode (median ms: stock / inprocess / process)")
    for case in worst:
        row = [statistics.median(times[label][case.name]) * 1e3 for label in times]
        print(f"  {case.name:<34}" + " / ".join(f"{v:.2f}" for v in row))

    for label, names in problems.items():
        if names:
            print(f"\n{label}: output differed from the expectation in {sorted(names)}")

    inproc, proc = recall["athena inprocess"], recall["athena process"]
    print(f"\nmemory.recall over {args.memories} memories ({args.calls} calls in one cell)")
    print(f"  in-process      {inproc:.3f} ms per call")
    ratio = proc / inproc
    print(f"  through proxy   {proc:.3f} ms per call   ({proc - inproc:+.3f} ms, {ratio:.2f}x)")
    report["recall_ms"] = {"inprocess": inproc, "process": proc, "delta": proc - inproc}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
