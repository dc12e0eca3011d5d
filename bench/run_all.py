"""Run the benchmarks: ``./run bench`` (all) or ``./run bench NAME [NAME...]``.

Evaluation data is read from where it lives, never copied into the repository: pass
``--data DIR`` (default: ``../shared/data`` next to the checkout) holding ``locomo/dev.jsonl``
and ``pii/presidio_research.jsonl``; benchmarks whose data is missing are skipped with a note.
The big memory sizes (1M) take a while: ``--quick`` runs smaller sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def commands(data: Path, quick: bool) -> dict[str, list[str]]:
    """Benchmark name -> command line (run with this interpreter, from the checkout)."""
    sizes = "10000,100000" if quick else "10000,100000,1000000"
    return {
        "kernel": ["kernel_bench.py", "--starts", "4" if quick else "8"],
        "output": ["output_bench.py"],
        "sandbox": ["sandbox_bench.py"],
        "apis": ["apis_bench.py"],
        "memory": ["memory_bench.py", "--sizes", sizes],
        "search": ["search_bench.py", "--sizes", sizes],
        "locomo": ["locomo_bench.py", str(data / "locomo" / "dev.jsonl")],
        "pii": ["pii_bench.py", "--presidio", str(data / "pii" / "presidio_research.jsonl")],
    }


def main() -> int:
    default_data = HERE.parent.parent / "shared" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--data", type=Path, default=default_data, help="evaluation data dir")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args()
    table = commands(args.data, args.quick)
    unknown = [n for n in args.names if n not in table]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(table)}")
    failed = []
    for name in args.names or list(table):
        script, *rest = table[name]
        missing = [p for p in rest if p.endswith(".jsonl") and not Path(p).exists()]
        if missing:
            print(f"\n=== {name}: skipped, data not found: {missing[0]} (use --data DIR)")
            continue
        print(f"\n=== {name}: {sys.executable} bench/{script} {' '.join(rest)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *rest])
        if code:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
