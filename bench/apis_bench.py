"""Characters an agent reads to find and call one API: progressive %apis vs the whole catalogue.

    .venv/bin/python bench/apis_bench.py

Progressive: the top level, then the namespace, then the one function (exactly what `%apis`,
`%apis NS` and `%apis NS.FUNC` print). Baseline: every function of every namespace printed in
full at once (what a prompt carrying all signatures and docs would hold). Same renderer, same
catalogue (introspected from the live objects, with a few saved procedures), same run.
"""

from __future__ import annotations

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


def main() -> None:
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


if __name__ == "__main__":
    main()
