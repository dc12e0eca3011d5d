"""Bytes an agent receives: agent-style cells with big results, stock ipykernel vs `athena`.

    .venv/bin/python bench/output_bench.py

Both kernels run the same cells, in one run, from kernelspecs in a temporary JUPYTER_PATH.
Bytes are the JSON content of every iopub message of the request (stream, display_data,
execute_result, error, execute_input) plus the execute_reply content: what a client receives.
Small cells must come out identical; the big ones should cost the agent >= 95% fewer bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kernels import STOCK, isolated_jupyter

from athena_kernel.client import AthenaClient, CellResult

pandas_available = False
try:  # a 100k-row frame when pandas is installed, a list of dicts otherwise
    import pandas  # noqa: F401

    pandas_available = True
except ImportError:
    pass

BIG_CELLS: list[tuple[str, str]] = [
    (
        "5,000 memory-like records",
        "records = [{'id': f'mem_{i:012x}', 'content': f'note {i}: the nightly export of "
        "shard {i % 40} finished late', 'tags': ['export', f'shard-{i % 40}'], "
        "'importance': round((i % 10) / 10, 1)} for i in range(5000)]\nrecords",
    ),
    (
        "100k-row table" + (" (pandas)" if pandas_available else " (list of dicts)"),
        (
            "import pandas as pd\n"
            "pd.DataFrame({'id': range(100_000), 'user': [f'user{i}' for i in range(100_000)],"
            " 'score': [i * 0.5 for i in range(100_000)]})"
        )
        if pandas_available
        else "[{'id': i, 'user': f'user{i}', 'score': i * 0.5} for i in range(100_000)]",
    ),
    (
        "1 MB log",
        "for i in range(14_000):\n"
        "    print(f'2026-11-21T10:{i % 60:02d}:00Z INFO worker-{i % 8} processed batch {i} "
        "in {i % 97} ms')",
    ),
    (
        "long traceback",
        "def descend(n):\n    if n == 0:\n        raise ValueError('reached the bottom')\n"
        "    return descend(n - 1)\ndescend(150)",
    ),
    (
        "nested JSON",
        "import json\n"
        "doc = {'orders': [{'id': i, 'lines': [{'sku': f'SKU-{i}-{j}', 'qty': j, "
        "'price': {'amount': j * 9.99, 'currency': 'EUR'}} for j in range(8)], "
        "'status': 'open'} for i in range(300)]}\nprint(json.dumps(doc, indent=2))",
    ),
]

SMALL_CELLS = [
    "1 + 1",
    "print('hello')",
    "{'a': 1, 'b': [1, 2, 3]}",
    "'x' * 50",
    "for i in range(3):\n    print(i)",
    "sorted({3, 1, 2})",
]


def visible(cell: CellResult) -> tuple[str, str, str | None]:
    """What a reader sees of a small cell (to compare stock and athena)."""
    return cell.stdout, cell.stderr, cell.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="athena", help="Athena kernelspec to compare")
    args = parser.parse_args()
    isolated_jupyter()
    stock = AthenaClient(STOCK).start()
    athena = AthenaClient(args.kernel).start()
    try:
        print(f"{'cell':<32}{'stock bytes':>13}{args.kernel + ' bytes':>14}{'saved':>9}")
        total_stock = total_athena = 0
        for title, code in BIG_CELLS:
            s, a = stock.run(code, timeout=300), athena.run(code, timeout=300)
            total_stock += s.bytes_received
            total_athena += a.bytes_received
            saved = 1 - a.bytes_received / s.bytes_received
            print(f"{title:<32}{s.bytes_received:>13,}{a.bytes_received:>14,}{saved:>9.1%}")
        saved = 1 - total_athena / total_stock
        print(f"{'suite':<32}{total_stock:>13,}{total_athena:>14,}{saved:>9.1%}")
        same = 0
        for code in SMALL_CELLS:
            s, a = stock.run(code), athena.run(code)
            if visible(s) == visible(a):
                same += 1
            else:
                print(f"  small cell differs: {code!r}: {visible(s)!r} vs {visible(a)!r}")
        print(f"small cells identical: {same}/{len(SMALL_CELLS)}")
    finally:
        stock.stop()
        athena.stop()


if __name__ == "__main__":
    main()
