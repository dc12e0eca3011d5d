"""Kernel start-up and trivial-cell round trip: Athena kernelspecs against stock ipykernel.

    .venv/bin/python bench/kernel_bench.py [--starts 8] [--cells 300]

Start-up is the time from launching the kernel process to its first ``kernel_info`` reply.
The round trip is ``execute_request`` of ``x = 1`` until the reply and the idle status arrived.
Every kernel runs on this interpreter, from kernelspecs in a temporary JUPYTER_PATH; the
kernels are started interleaved so machine noise hits all of them alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kernels import STOCK, isolated_jupyter, summary

from athena_kernel.client import AthenaClient


def time_start(name: str) -> tuple[float, AthenaClient]:
    """Seconds from process launch to the first kernel_info reply."""
    client = AthenaClient(name)
    t0 = time.perf_counter()
    client.start()  # start_kernel + wait_for_ready (first kernel_info reply)
    return time.perf_counter() - t0, client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=8, help="start-ups per kernel")
    parser.add_argument("--cells", type=int, default=300, help="trivial cells per kernel")
    args = parser.parse_args()
    isolated_jupyter()
    names = [STOCK, "athena", "athena-lab"]

    starts: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(args.starts):
        for name in names:
            seconds, client = time_start(name)
            starts[name].append(seconds)
            client.stop()

    rtts: dict[str, list[float]] = {n: [] for n in names}
    clients = {n: AthenaClient(n).start() for n in names}
    try:
        for client in clients.values():  # warm up: first cell binds memory, imports lazily
            for _ in range(20):
                client.run("x = 1")
        for _ in range(args.cells):
            for name, client in clients.items():
                t0 = time.perf_counter()
                cell = client.run("x = 1")
                rtts[name].append(time.perf_counter() - t0)
                assert cell.ok, cell.text()
    finally:
        for client in clients.values():
            client.stop()

    base_start = summary(starts[STOCK])
    base_rtt = summary(rtts[STOCK])
    print(f"kernel start-up to first kernel_info reply ({args.starts} starts each)")
    print(f"{'kernel':<22}{'p50 s':>8}{'p95 s':>8}{'ratio p50':>11}")
    for name in names:
        s = summary(starts[name])
        print(f"{name:<22}{s['p50']:>8.3f}{s['p95']:>8.3f}{s['p50'] / base_start['p50']:>10.2f}x")
    print(f"\ntrivial cell round trip `x = 1` ({args.cells} cells each)")
    print(f"{'kernel':<22}{'p50 ms':>8}{'p95 ms':>8}{'Δp50 ms':>10}")
    for name in names:
        r = summary(rtts[name])
        delta = (r["p50"] - base_rtt["p50"]) * 1000
        print(f"{name:<22}{r['p50'] * 1000:>8.2f}{r['p95'] * 1000:>8.2f}{delta:>+10.2f}")


if __name__ == "__main__":
    main()
