"""An agent-style session against the real `athena` kernel, driven through jupyter_client.

    ./run demo                       # or: .venv/bin/python examples/agent_session.py
    .venv/bin/python examples/agent_session.py --store /tmp/demo.duckdb --kernel athena-lab

It starts the kernel from its installed kernelspec, runs cells the way an LLM agent would (each
one a small program against `memory`), and prints each reply compactly: what the agent reads,
and how many bytes reached the client.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from athena_kernel.client import AthenaClient, CellResult

HERE = Path(__file__).resolve().parent

CELLS: list[tuple[str, str]] = [
    (
        "Discover the API without reading every signature",
        "%apis",
    ),
    (
        "Drill into one namespace",
        "%apis memory.graph",
    ),
    (
        "Store what was learnt, as the agent works",
        """\
m = memory.remember(
    "The staging deploy fails when DATABASE_URL points at the read replica",
    tags=["deploy", "staging"], importance=0.9,
)
memory.events.record("deploy", "staging deploy failed: read-only transaction",
                     outcome="failure", tags=["staging"])
memory.tasks.create("Point staging DATABASE_URL at the primary", priority="high",
                    tags=["deploy"])
m""",
    ),
    (
        "Build a little knowledge graph",
        """\
memory.graph.add_entity("staging", "environment", description="pre-production cluster")
memory.graph.add_entity("orders-db", "database")
memory.graph.relate("staging", "orders-db", "reads_from")
[e.name for e in memory.graph.neighbors("staging")]""",
    ),
    (
        "Recall across layers, ranked",
        """\
for hit in memory.recall("why does the staging deploy fail?", limit=3):
    print(f"{hit.layer:<9} {hit.score:5.2f}  {hit.text[:70]}")""",
    ),
    (
        "A big result is summarised, not dumped (the agent pays per byte)",
        "rows = [{'id': i, 'status': 'ok' if i % 7 else 'failed'} for i in range(5000)]\nrows",
    ),
    (
        "A flood of prints is capped; the full text stays retrievable",
        "for i in range(2000):\n    print(f'log line {i}: processed batch {i} in {i % 13} ms')",
    ),
    (
        "PII never reaches the agent; tokens flow back into memory as real values",
        """\
print("Customer alice.smith@example.com called from +1 415 555 0100")
memory.remember("Follow up with [EMAIL_1] about the refund", tags=["crm"])""",
    ),
    (
        "The sandbox says what is not allowed, and what to do instead",
        "import os\nos.listdir('/')",
    ),
    (
        "...and the kernel carries on",
        "memory.stats()",
    ),
    (
        "Save what worked as a versioned procedure",
        """\
%%procedure save deploy_checklist -d "Open tasks tagged deploy, most urgent first"
def deploy_checklist(memory, tag="deploy"):
    tasks = memory.tasks.list(status="pending")
    return [t.title for t in tasks if tag in t.tags]""",
    ),
    (
        "...and run it by name",
        "procedures.deploy_checklist()",
    ),
]


def show(title: str, code: str, cell: CellResult) -> None:
    """Print one exchange the way an agent transcript would show it."""
    print(f"\n── {title}")
    print(textwrap.indent(code, "  >>> ", lambda _: True))
    body = cell.text() or "(no output)"
    print(textwrap.indent(body, "  "))
    meta = cell.reply_metadata.get("athena", {})
    filt = meta.get("output", {})
    sent = f"{cell.bytes_received:,} bytes to the client"
    if filt.get("chars_in") is not None:
        sent += f" (cell produced {filt['chars_in']:,} chars)"
    print(f"  [{cell.status}, {sent}, {cell.seconds * 1000:.0f} ms]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store",
        default=str(HERE.parent / ".athena-demo" / "memory.duckdb"),
        help="memory store for the demo kernel (default: .athena-demo/memory.duckdb)",
    )
    parser.add_argument("--kernel", default="athena", help="kernelspec name (default: athena)")
    args = parser.parse_args()
    Path(args.store).parent.mkdir(parents=True, exist_ok=True)
    env = {"ATHENA_STORE": os.path.abspath(args.store)}

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        print(
            f"No kernelspec named {args.kernel!r}: install it with `athena-kernel install` "
            "(./run demo does this for you)",
            file=sys.stderr,
        )
        return 2
    print(f"Starting the {args.kernel!r} kernel (store: {args.store})")
    failures = 0
    with AthenaClient(args.kernel, env=env) as kernel:
        info = kernel.kernel_info()
        print(
            f"{info['implementation']} {info['implementation_version']}, "
            f"Python {info['language_info']['version']}"
        )
        for title, code in CELLS:
            cell = kernel.run(code)
            show(title, code, cell)
            expected_error = code.startswith("import os")
            if cell.ok == expected_error:
                failures += 1
        print("\n── Restart the kernel: variables go, memory stays")
        kernel.restart()
        cell = kernel.run("len(memory.recall('staging deploy', limit=50))")
        show("After restart", "len(memory.recall('staging deploy', limit=50))", cell)
        failures += not cell.ok
    print(f"\nDemo finished: {len(CELLS) + 1 - failures}/{len(CELLS) + 1} cells as expected.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
