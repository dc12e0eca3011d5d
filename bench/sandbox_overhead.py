"""Overhead of the in-process sandbox: the same cells in plain IPython and in the sandbox.

    .venv/bin/python bench/sandbox_overhead.py [--repeat 30] [--loop 100000]

Prints, per cell, p50/p95 wall time in a plain ``InteractiveShell`` and in one with the sandbox
installed (validation + RestrictedPython transform + guards + per-cell limits), and their ratio.
Then the cost of the pieces: validate+transform alone per cell size, the per-cell limit
set-up (RLIMIT_AS + recursion limit), and — for comparison — tracemalloc on the same cells.
Both shells run in this process, interleaved, so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

from athena_kernel.policy import PolicyConfig, restrict_tree, validate_tree
from athena_kernel.sandbox import install_sandbox
from athena_kernel.sandbox.limits import MemoryLimit, RecursionLimit


def cells(loop: int) -> dict[str, str]:
    """Benign workloads: fixed per-cell cost, a typical agent cell, and guard-heavy loops."""
    return {
        "tiny cell": "x = 1 + 2",
        "typical cell": (
            "import json, re\n"
            "class Note:\n"
            "    def __init__(self, title, tags):\n"
            "        self.title = title\n"
            "        self.tags = tags\n"
            "    def __repr__(self):\n"
            "        return f'Note({self.title!r})'\n"
            "notes = [Note(f'n{i}', ['a', 'b'][: i % 3]) for i in range(200)]\n"
            "tagged = {t: [n.title for n in notes if t in n.tags] for t in ('a', 'b')}\n"
            "summary = json.dumps({k: len(v) for k, v in tagged.items()})\n"
            "found = re.findall(r'n1\\d', ' '.join(n.title for n in notes))\n"
            "len(found), summary"
        ),
        "attribute loop": f"acc = []\nfor i in range({loop}):\n    acc.append(i)\nlen(acc)",
        "arithmetic loop": f"t = 0\nfor i in range({loop}):\n    t += i * i % 7\nt",
        "dict counting": (
            f"words = ['w' + str(i % 97) for i in range({loop})]\n"
            "counts = {}\n"
            "for w in words:\n"
            "    counts[w] = counts.get(w, 0) + 1\n"
            "len(counts)"
        ),
        "comprehension": f"sum([i * 2 for i in range({loop}) if i % 3])",
    }


def new_shell() -> InteractiveShell:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    return InteractiveShell(config=config)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def check_and_transform(source: str, config: PolicyConfig) -> None:
    """What the sandbox's AST transformer does to a cell, without running it."""
    tree = ast.parse(source)
    validate_tree(tree, config)
    restrict_tree(tree, config)


def run_cell(shell: InteractiveShell, code: str) -> None:
    with capture_output():
        result = shell.run_cell(code, store_history=False)
    if not result.success:
        raise SystemExit(f"benchmark cell failed:\n{code}\n{result.error_in_exec!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per cell and shell")
    parser.add_argument("--loop", type=int, default=100_000, help="iterations in the loop cells")
    args = parser.parse_args()

    plain = new_shell()
    sandboxed = new_shell()
    install_sandbox(sandboxed, PolicyConfig(), names={})
    workloads = cells(args.loop)

    print(f"Python {sys.version.split()[0]}, {args.repeat} runs per cell, loops of {args.loop:,}")
    print(f"{'cell':<18}{'plain p50':>11}{'p95':>9}{'sandbox p50':>13}{'p95':>9}{'ratio':>8}")
    for name, code in workloads.items():
        run_cell(plain, code)  # warm-up (imports, caches)
        run_cell(sandboxed, code)
        plain_times: list[float] = []
        sandbox_times: list[float] = []
        for _ in range(args.repeat):
            plain_times.append(timed(lambda c=code: run_cell(plain, c)))
            sandbox_times.append(timed(lambda c=code: run_cell(sandboxed, c)))
        p50, p95 = percentiles(plain_times)
        s50, s95 = percentiles(sandbox_times)
        print(f"{name:<18}{p50:>9.2f}ms{p95:>7.2f}ms{s50:>11.2f}ms{s95:>7.2f}ms{s50 / p50:>7.2f}x")

    print("\nvalidate + transform only (no execution), p50 per cell:")
    config = PolicyConfig()
    typical = workloads["typical cell"]
    for lines in (1, 12, 120, 1200):
        source = "\n".join((typical.splitlines() * (lines // 12 + 1))[:lines])
        samples = [
            timed(lambda s=source: check_and_transform(s, config)) for _ in range(args.repeat)
        ]
        print(f"  {lines:>5} lines: {percentiles(samples)[0]:8.3f} ms")

    print("\nper-cell memory/recursion limit set-up and tear-down (RLIMIT_AS), p50:")
    memory, recursion = MemoryLimit(512 * 2**20), RecursionLimit(500)
    samples = []
    for _ in range(args.repeat * 20):
        start = time.perf_counter()
        memory.enter()
        recursion.enter()
        recursion.exit()
        memory.exit()
        samples.append(time.perf_counter() - start)
    print(f"  {percentiles(samples)[0] * 1000:.1f} µs (RLIMIT_AS enforced: {memory.supported})")

    print("\nfor comparison, tracemalloc around the same cells in plain IPython (p50):")
    for name in ("typical cell", "attribute loop", "dict counting"):
        code = workloads[name]
        base, traced = [], []
        for _ in range(max(5, args.repeat // 3)):
            base.append(timed(lambda c=code: run_cell(plain, c)))
            tracemalloc.start()
            traced.append(timed(lambda c=code: run_cell(plain, c)))
            tracemalloc.stop()
        b50, t50 = percentiles(base)[0], percentiles(traced)[0]
        print(f"  {name:<16} plain {b50:7.2f} ms   tracemalloc {t50:7.2f} ms   {t50 / b50:5.2f}x")


if __name__ == "__main__":
    main()
