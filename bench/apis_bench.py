"""Characters an agent reads to find and call one API: progressive %apis vs the whole catalogue.

    .venv/bin/python bench/apis_bench.py [--repeat N]

Progressive: the top level, then the namespace, then the one function (exactly what `%apis`,
`%apis NS` and `%apis NS.FUNC` print). Baseline: every function of every namespace printed in
full at once (what a prompt carrying all signatures and docs would hold). Same renderer, same
catalogue (introspected from the live objects, with a saved procedure), same run. A second
route, `%apis --search WORDS` then the function, is measured the same way. Last, the time each
answer takes (median of N calls; "cold" rebuilds the introspected catalogue first).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from athena_kernel.bindings import engine_parts
from athena_kernel.config import AthenaSettings
from athena_kernel.discovery.render import function_text
from athena_kernel.memory import open_backend
from athena_kernel.services import KernelServices

TARGETS = [
    "memory.graph.relate",
    "memory.recall",
    "memory.events.between",
    "memory.tasks.overdue",
    "memory.procedures.rollback",
    "procedures.weekly_summary",
]
#: What an agent would search for to find each target (the search route).
QUERIES = {
    "memory.graph.relate": "relate two entities",
    "memory.recall": "search all memories",
    "memory.events.between": "events in a time range",
    "memory.tasks.overdue": "overdue tasks",
    "memory.procedures.rollback": "roll back a procedure",
    "procedures.weekly_summary": "weekly summary",
}


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``call`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="calls per latency figure")
    repeat = parser.parse_args().repeat
    services = KernelServices(open_backend(":memory:"))
    parts = engine_parts(AthenaSettings(environ={}), services)
    memory, browser = parts.names["memory"], parts.browser
    memory.procedures.save(
        "weekly_summary",
        'def weekly_summary(memory, days=7):\n    """Events of the last days by outcome."""\n'
        "    return len(memory.events.recent(100))\n",
        description="Count the week's events by outcome",
    )
    catalog = browser.catalog()
    whole = "\n\n".join(function_text(f) for f in catalog.functions())
    top = browser.answer().text
    print(
        f"catalogue: {len(catalog.namespaces)} namespaces, {sum(1 for _ in catalog.functions())}"
        f" functions; all of it printed at once: {len(whole):,} chars"
    )
    print(f"{'target':<30}{'top':>6}{'namespace':>11}{'function':>10}{'total':>8}{'share':>8}")
    shares = []
    for path in TARGETS:
        ns = path.rpartition(".")[0]
        a, b, c = len(top), len(browser.answer(ns).text), len(browser.answer(path).text)
        total = a + b + c
        shares.append(total / len(whole))
        print(f"{path:<30}{a:>6}{b:>11}{c:>10}{total:>8}{total / len(whole):>8.1%}")
    print(f"mean share of the whole catalogue: {sum(shares) / len(shares):.1%} (target < 10%)")

    print(f"\n{'search route':<30}{'search':>8}{'rank':>6}{'function':>10}{'total':>8}{'share':>8}")
    search_shares = []
    for path, query in QUERIES.items():
        found = browser.answer(search=query)
        ranked = [m["path"] for m in found.data["matches"]]
        rank = ranked.index(path) + 1 if path in ranked else 0
        a, c = len(found.text), len(browser.answer(path).text)
        total = a + c
        search_shares.append(total / len(whole))
        print(f"{path:<30}{a:>8}{rank or '-':>6}{c:>10}{total:>8}{total / len(whole):>8.1%}")
    print(f"mean share by search: {sum(search_shares) / len(search_shares):.1%}")

    def cold() -> None:
        browser._static = None  # forget the introspected catalogue
        browser.answer()

    print(f"\nlatency, median of {repeat} calls (in-process engine, :memory: store):")
    for label, call in (
        ("top level, cold (introspect memory)", cold),
        ("top level", lambda: browser.answer()),
        ("namespace memory.graph", lambda: browser.answer("memory.graph")),
        ("function memory.graph.relate", lambda: browser.answer("memory.graph.relate")),
        ("namespace procedures", lambda: browser.answer("procedures")),
        ('search "time range"', lambda: browser.answer(search="time range")),
    ):
        print(f"  {label:<40}{median_ms(call, repeat):>8.2f} ms")


if __name__ == "__main__":
    main()
