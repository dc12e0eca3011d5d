"""Notebook habits: display(), stderr, timing magics, results of the last expression, state."""

from __future__ import annotations

from .case import BenignCase

CASES: list[BenignCase] = [
    BenignCase(
        name="display_objects",
        code="""summary = {"rows": 3, "ok": True}
display(summary)
display("two", [1, 2])
print("after displays")
""",
        displays=("{'rows': 3, 'ok': True}", "'two'", "[1, 2]"),
        stdout="after displays\n",
    ),
    BenignCase(
        name="display_own_class_repr",
        code="""class Report:
    def __init__(self, title, lines):
        self.title, self.lines = title, lines
    def __repr__(self):
        return f"<Report {self.title!r}: {len(self.lines)} lines>"
display(Report("daily", ["a", "b"]))
Report("weekly", [])
""",
        displays=("<Report 'daily': 2 lines>",),
        result="<Report 'weekly': 0 lines>",
    ),
    BenignCase(
        name="ipython_display_markdown",
        code="""from IPython.display import Markdown, display
display(Markdown("**3** rows"))
""",
        displays=("<IPython.core.display.Markdown object>",),
    ),
    BenignCase(
        name="print_to_stderr",
        code="""import sys
print("processing 3 files")
print("warning: file 2 is empty", file=sys.stderr)
sys.stderr.write("skipped 1\\n")
sys.stdout.write("done\\n")
""",
        stdout="processing 3 files\ndone\n",
        stderr="warning: file 2 is empty\nskipped 1\n",
        result="5",  # what sys.stdout.write returns: the number of characters written
    ),
    BenignCase(
        name="print_sep_end_flush",
        code="""for i in range(3):
    print(i, end=" ", flush=True)
print()
print("a", "b", "c", sep="|")
print(*["x", "y"], sep=", ", end="!\\n")
""",
        stdout="0 1 2 \na|b|c\nx, y!\n",
    ),
    BenignCase(
        name="last_expression_result",
        code="""values = [4, 8, 15, 16, 23, 42]
mean = sum(values) / len(values)
{"n": len(values), "mean": mean, "max": max(values)}
""",
        result="{'n': 6, 'mean': 18.0, 'max': 42}",
    ),
    BenignCase(
        name="semicolon_suppresses_result",
        code="""total = 10 + 5
total * 2;
""",
    ),
    BenignCase(
        name="line_magic_time",
        code="""%time squares = [i * i for i in range(1000)]
print(len(squares))
""",
        stdout="CPU times: user <T>, sys: <T>, total: <T>\nWall time: <T>\n1000\n",
        normalize="durations",
    ),
    BenignCase(
        name="line_magic_time_expression",
        code="%time sum(range(100))",
        stdout="CPU times: user <T>, sys: <T>, total: <T>\nWall time: <T>\n",
        result="4950",
        normalize="durations",
    ),
    BenignCase(
        name="cell_magic_time",
        code="""%%time
words = "the quick brown fox".split()
lengths = [len(w) for w in words]
print(lengths)
""",
        stdout="[3, 5, 5, 3]\nCPU times: user <T>, sys: <T>, total: <T>\nWall time: <T>\n",
        normalize="durations",
    ),
    BenignCase(
        name="line_magic_timeit",
        code='%timeit -n1 -r1 sorted(["b", "a", "c"])',
        stdout="<T> ± <T> per loop (mean ± std. dev. of 1 run, 1 loop each)\n",
        normalize="durations",
    ),
    BenignCase(
        name="multi_cell_state",
        setup=(
            """import re
from collections import Counter
LEVEL = re.compile(r"\\b(INFO|WARN|ERROR)\\b")
seen = Counter()
def ingest(lines):
    for line in lines:
        m = LEVEL.search(line)
        if m:
            seen[m.group(1)] += 1
""",
            """ingest(["INFO boot", "WARN disk 91%", "ERROR db down", "INFO retry"])""",
        ),
        code="""ingest(["ERROR db down", "INFO ok"])
dict(sorted(seen.items()))
""",
        result="{'ERROR': 2, 'INFO': 3, 'WARN': 1}",
    ),
    BenignCase(
        name="multi_cell_class_reuse",
        setup=(
            """class Cart:
    def __init__(self):
        self.items = []
    def add(self, sku, price):
        self.items.append((sku, price))
    @property
    def total(self):
        return round(sum(p for _, p in self.items), 2)
cart = Cart()
""",
            """cart.add("A1", 2.5)
cart.add("B2", 0.99)
""",
        ),
        code="""cart.add("C3", 10)
print(len(cart.items), cart.total)
""",
        stdout="3 13.49\n",
    ),
    BenignCase(
        name="help_free_introspection",
        code="""class Pipeline:
    "Runs steps in order."
    def run(self):
        "Run every step."
        return []
print(Pipeline.__doc__, Pipeline.run.__doc__, Pipeline.run.__name__)
print([name for name in dir(Pipeline) if not name.startswith("_")])
print(callable(Pipeline().run), hasattr(Pipeline, "run"), getattr(Pipeline(), "missing", "n/a"))
""",
        stdout="Runs steps in order. Run every step. run\n['run']\nTrue True n/a\n",
    ),
    BenignCase(
        name="sys_version_info",
        code="""import sys
print(sys.version_info >= (3, 10), sys.version_info.major)
""",
        stdout="True 3\n",
    ),
    BenignCase(
        name="long_ordinary_loop",
        code="""counts = {}
for i in range(200_000):
    key = i % 7
    counts[key] = counts.get(key, 0) + 1
primes = [n for n in range(2, 2000) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
print(counts[0], counts[6], len(primes), primes[-1])
""",
        stdout="28572 28571 303 1999\n",
    ),
]
