"""Data wrangling with the allowed modules: logs, aggregation, pipelines, statistics, formats."""

from __future__ import annotations

from .case import BenignCase

ACCESS_LOG = '''log = """\\
2024-05-01 12:00:01 GET /api/orders 200 35ms
2024-05-01 12:00:02 POST /api/orders 201 120ms
2024-05-01 12:00:05 GET /api/users 500 9ms
2024-05-01 12:00:07 GET /api/orders 200 41ms
2024-05-01 12:01:00 DELETE /api/users/7 404 3ms
2024-05-01 12:01:30 GET /api/orders 200 38ms"""
'''

CASES: list[BenignCase] = [
    BenignCase(
        name="regex_parse_access_log",
        code=ACCESS_LOG
        + """import re
pattern = re.compile(r"^(\\S+) (\\S+) (GET|POST|PUT|DELETE) (\\S+) (\\d{3}) (\\d+)ms$", re.M)
rows = [(m[3], m[4], int(m[5]), int(m[6])) for m in pattern.finditer(log)]
errors = [r for r in rows if r[2] >= 400]
print(len(rows), "requests,", len(errors), "errors")
for method, path, status, ms in errors:
    print(f"{method:<6} {path:<13} {status} {ms:>4}ms")
""",
        stdout=(
            "6 requests, 2 errors\n"
            "GET    /api/users    500    9ms\n"
            "DELETE /api/users/7  404    3ms\n"
        ),
    ),
    BenignCase(
        name="counter_status_codes",
        code=ACCESS_LOG
        + """from collections import Counter
codes = Counter(line.split()[4] for line in log.splitlines())
codes.most_common(2), codes["500"], sum(codes.values())
""",
        result="([('200', 3), ('201', 1)], 1, 6)",
    ),
    BenignCase(
        name="defaultdict_latency_by_endpoint",
        code=ACCESS_LOG
        + """from collections import defaultdict
import statistics
latency = defaultdict(list)
for line in log.splitlines():
    _, _, method, path, status, ms = line.split()
    latency[path].append(int(ms.removesuffix("ms")))
for path in sorted(latency):
    values = latency[path]
    print(f"{path}: n={len(values)} mean={statistics.mean(values):.1f} max={max(values)}")
""",
        stdout=(
            "/api/orders: n=4 mean=58.5 max=120\n"
            "/api/users: n=1 mean=9.0 max=9\n"
            "/api/users/7: n=1 mean=3.0 max=3\n"
        ),
    ),
    BenignCase(
        name="itertools_groupby_and_accumulate",
        code="""import itertools
sales = [("north", 120), ("south", 80), ("north", 45), ("east", 60), ("south", 20)]
by_region = sorted(sales, key=lambda s: s[0])
totals = {region: sum(v for _, v in group)
          for region, group in itertools.groupby(by_region, key=lambda s: s[0])}
running = list(itertools.accumulate(v for _, v in sales))
print(totals)
print(running)
print(list(itertools.islice(itertools.cycle("ab"), 5)))
""",
        stdout=(
            "{'east': 60, 'north': 165, 'south': 100}\n"
            "[120, 200, 245, 305, 325]\n"
            "['a', 'b', 'a', 'b', 'a']\n"
        ),
    ),
    BenignCase(
        name="itertools_combinatorics",
        code="""from itertools import combinations, permutations, product, chain, pairwise, zip_longest
team = ["ana", "bo", "cy"]
pairs = [f"{a}+{b}" for a, b in combinations(team, 2)]
orders = len(list(permutations(team)))
grid = list(product([0, 1], repeat=2))
steps = [b - a for a, b in pairwise([3, 7, 12, 20])]
merged = list(chain([1, 2], (3,), range(4, 6)))
filled = list(zip_longest("ab", [1, 2, 3], fillvalue="-"))
pairs, orders, grid, steps, merged, filled
""",
        result=(
            "(['ana+bo', 'ana+cy', 'bo+cy'],\n"
            " 6,\n"
            " [(0, 0), (0, 1), (1, 0), (1, 1)],\n"
            " [4, 5, 8],\n"
            " [1, 2, 3, 4, 5],\n"
            " [('a', 1), ('b', 2), ('-', 3)])"
        ),
    ),
    BenignCase(
        name="statistics_summary",
        code="""import statistics as st
latencies = [12, 15, 11, 40, 13, 14, 12, 90, 16, 12]
print("mean", st.mean(latencies))
print("median", st.median(latencies))
print("mode", st.mode(latencies))
print("stdev", round(st.stdev(latencies), 3))
print("quartiles", st.quantiles(latencies, n=4))
print("fmean", st.fmean([1.5, 2.5, 3.0]))
""",
        stdout=(
            "mean 23.5\n"
            "median 13.5\n"
            "mode 12\n"
            "stdev 24.892\n"
            "quartiles [12.0, 13.5, 22.0]\n"
            "fmean 2.3333333333333335\n"
        ),
    ),
    BenignCase(
        name="datetime_arithmetic",
        code="""from datetime import datetime, timedelta, date
start = datetime(2024, 2, 27, 22, 30)
end = start + timedelta(days=3, hours=2, minutes=15)
print(end.isoformat())
print(end.strftime("%A %d %B %Y, %H:%M"))
print((end - start).total_seconds() / 3600, "hours")
print(date(2024, 12, 25) - date(2024, 2, 29))
print(date(2024, 3, 1).isocalendar().week, date(2024, 3, 1).weekday())
""",
        stdout=(
            "2024-03-02T00:45:00\n"
            "Saturday 02 March 2024, 00:45\n"
            "74.25 hours\n"
            "300 days, 0:00:00\n"
            "9 4\n"
        ),
    ),
    BenignCase(
        name="datetime_parse_and_bucket",
        code="""from datetime import datetime
stamps = ["2024-05-01T09:15:00", "2024-05-01T09:47:10", "2024-05-01T11:02:59",
          "2024-05-02T09:00:00"]
buckets = {}
for s in stamps:
    t = datetime.fromisoformat(s)
    key = t.replace(minute=0, second=0).strftime("%m-%d %Hh")
    buckets[key] = buckets.get(key, 0) + 1
buckets
""",
        result="{'05-01 09h': 2, '05-01 11h': 1, '05-02 09h': 1}",
    ),
    BenignCase(
        name="datetime_timezones",
        code="""from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo
utc = datetime(2024, 7, 1, 12, 0, tzinfo=timezone.utc)
berlin = utc.astimezone(ZoneInfo("Europe/Berlin"))
tokyo = utc.astimezone(ZoneInfo("Asia/Tokyo"))
fixed = utc.astimezone(timezone(timedelta(hours=-5)))
print(berlin.isoformat(), berlin.tzname())
print(tokyo.strftime("%H:%M %Z"))
print(fixed.isoformat())
""",
        stdout="2024-07-01T14:00:00+02:00 CEST\n21:00 JST\n2024-07-01T07:00:00-05:00\n",
    ),
    BenignCase(
        name="json_round_trip",
        code="""import json
payload = '{"user": "u1", "items": [{"sku": "A1", "qty": 2}, {"sku": "B7", "qty": 1}]}'
order = json.loads(payload)
order["items"].append({"sku": "C3", "qty": 5})
order["total_qty"] = sum(i["qty"] for i in order["items"])
text = json.dumps(order, sort_keys=True)
print(text)
print(json.loads(text) == order)
print(json.dumps({"b": [1, 2], "a": None}, indent=2))
""",
        stdout=(
            '{"items": [{"qty": 2, "sku": "A1"}, {"qty": 1, "sku": "B7"}, '
            '{"qty": 5, "sku": "C3"}], "total_qty": 8, "user": "u1"}\n'
            "True\n"
            '{\n  "b": [\n    1,\n    2\n  ],\n  "a": null\n}\n'
        ),
    ),
    BenignCase(
        name="json_custom_default_and_errors",
        code="""import json
from datetime import date
def encode(obj):
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, set):
        return sorted(obj)
    raise TypeError(f"cannot encode {type(obj).__name__}")
print(json.dumps({"when": date(2024, 1, 31), "tags": {"b", "a"}}, default=encode))
try:
    json.loads('{"broken": }')
except json.JSONDecodeError as exc:
    print("bad json:", exc.msg, "at column", exc.colno)
""",
        stdout=(
            '{"when": "2024-01-31", "tags": ["a", "b"]}\nbad json: Expecting value at column 12\n'
        ),
    ),
    BenignCase(
        name="csv_reader_over_string",
        code='''import csv
text = """sku,name,price,qty
A1,Widget,2.50,4
B7,"Gadget, large",10.00,1
C3,Gizmo,0.99,10"""
rows = list(csv.DictReader(text.splitlines()))
total = sum(float(r["price"]) * int(r["qty"]) for r in rows)
print([r["name"] for r in rows])
print(f"total {total:.2f}")
''',
        stdout="['Widget', 'Gadget, large', 'Gizmo']\ntotal 29.90\n",
    ),
    BenignCase(
        name="csv_writer_to_list_sink",
        code="""import csv
class Lines:
    def __init__(self):
        self.parts = []
    def write(self, text):
        self.parts.append(text)
        return len(text)
out = Lines()
writer = csv.writer(out, lineterminator="\\n")
writer.writerow(["name", "note"])
writer.writerows([["a", "plain"], ["b", 'has "quotes", commas']])
print("".join(out.parts), end="")
""",
        stdout='name,note\na,plain\nb,"has ""quotes"", commas"\n',
    ),
    BenignCase(
        name="decimal_invoice",
        code="""from decimal import Decimal, ROUND_HALF_UP
items = [("coffee", Decimal("3.45"), 3), ("bagel", Decimal("2.10"), 2)]
subtotal = sum((price * qty for _, price, qty in items), Decimal("0"))
tax = (subtotal * Decimal("0.0825")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
print(f"subtotal {subtotal}  tax {tax}  total {subtotal + tax}")
print(Decimal("0.1") + Decimal("0.2") == Decimal("0.3"), 0.1 + 0.2 == 0.3)
""",
        stdout="subtotal 14.55  tax 1.20  total 15.75\nTrue False\n",
    ),
    BenignCase(
        name="decimal_context_precision",
        code="""import decimal
with decimal.localcontext() as ctx:
    ctx.prec = 6
    third = decimal.Decimal(1) / decimal.Decimal(3)
print(third, decimal.Decimal("2").sqrt().quantize(decimal.Decimal("0.0001")))
""",
        stdout="0.333333 1.4142\n",
    ),
    BenignCase(
        name="fractions_split_bill",
        code="""from fractions import Fraction
shares = {"ana": Fraction(1, 2), "bo": Fraction(1, 3)}
shares["cy"] = 1 - sum(shares.values())
bill = 120
print({name: str(part) for name, part in shares.items()})
print({name: bill * part for name, part in shares.items()})
print(Fraction("0.75") + Fraction(1, 8), float(Fraction(7, 8)))
""",
        stdout=(
            "{'ana': '1/2', 'bo': '1/3', 'cy': '1/6'}\n"
            "{'ana': Fraction(60, 1), 'bo': Fraction(40, 1), 'cy': Fraction(20, 1)}\n"
            "7/8 0.875\n"
        ),
    ),
    BenignCase(
        name="heapq_top_k_and_queue",
        code="""import heapq
scores = {"ana": 88, "bo": 95, "cy": 72, "di": 95, "ed": 60}
top = heapq.nlargest(3, scores.items(), key=lambda kv: (kv[1], kv[0]))
queue = []
for priority, job in [(3, "reindex"), (1, "page on-call"), (2, "rotate logs")]:
    heapq.heappush(queue, (priority, job))
order = [heapq.heappop(queue)[1] for _ in range(len(queue))]
merged = list(heapq.merge([1, 4, 9], [2, 3, 10]))
top, order, merged, heapq.nsmallest(2, [5, 1, 4])
""",
        result=(
            "([('di', 95), ('bo', 95), ('ana', 88)],\n"
            " ['page on-call', 'rotate logs', 'reindex'],\n"
            " [1, 2, 3, 4, 9, 10],\n"
            " [1, 4])"
        ),
    ),
    BenignCase(
        name="bisect_grades_and_insort",
        code="""import bisect
def grade(score, breakpoints=(60, 70, 80, 90), grades="FDCBA"):
    return grades[bisect.bisect(breakpoints, score)]
marks = [33, 99, 77, 70, 89, 90, 100]
timeline = [1, 5, 9]
bisect.insort(timeline, 6)
[grade(m) for m in marks], timeline, bisect.bisect_left(timeline, 5)
""",
        result="(['F', 'A', 'C', 'C', 'B', 'A', 'A'], [1, 5, 6, 9], 1)",
    ),
    BenignCase(
        name="sorting_with_keys",
        code="""from operator import itemgetter
people = [
    {"name": "ana", "team": "ops", "age": 31},
    {"name": "bo", "team": "dev", "age": 25},
    {"name": "cy", "team": "ops", "age": 25},
    {"name": "di", "team": "dev", "age": 40},
]
by_team_age = sorted(people, key=itemgetter("team", "age"))
print([p["name"] for p in by_team_age])
print([p["name"] for p in sorted(people, key=lambda p: (-p["age"], p["name"]))])
print(sorted(["b10", "a2", "b9", "a10"], key=lambda s: (s[0], int(s[1:]))))
print(max(people, key=itemgetter("age"))["name"], min(p["age"] for p in people))
""",
        stdout=(
            "['bo', 'di', 'cy', 'ana']\n"
            "['di', 'ana', 'bo', 'cy']\n"
            "['a2', 'a10', 'b9', 'b10']\n"
            "di 25\n"
        ),
    ),
    BenignCase(
        name="random_with_seed",
        code="""import random
rng = random.Random(1234)
sample = rng.sample(range(100), 5)
deck = list("ABCDE")
rng.shuffle(deck)
print(sample, deck, rng.randint(1, 6), rng.choice(["red", "green", "blue"]))
random.seed(7)
print(round(random.random(), 6), random.randrange(0, 100, 5))
""",
        stdout="[99, 56, 14, 0, 11] ['B', 'D', 'C', 'A', 'E'] 1 green\n0.323833 20\n",
    ),
    BenignCase(
        name="collections_namedtuple_deque_chainmap",
        code="""from collections import namedtuple, deque, OrderedDict, ChainMap
Point = namedtuple("Point", "x y")
p = Point(3, 4)._replace(y=10)
recent = deque(maxlen=3)
for event in ["a", "b", "c", "d"]:
    recent.append(event)
recent.rotate(1)
lru = OrderedDict.fromkeys("abc")
lru.move_to_end("a")
settings = ChainMap({"debug": True}, {"debug": False, "level": "info"})
print(p, p._asdict())
print(list(recent), list(lru), settings["debug"], settings["level"])
""",
        stdout="Point(x=3, y=10) {'x': 3, 'y': 10}\n['d', 'b', 'c'] ['b', 'c', 'a'] True info\n",
    ),
    BenignCase(
        name="nested_data_reshaping",
        code="""orders = [
    {"id": 1, "customer": "acme", "lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}]},
    {"id": 2, "customer": "globex", "lines": [{"sku": "A", "qty": 5}]},
    {"id": 3, "customer": "acme", "lines": []},
]
flat = [(o["customer"], l["sku"], l["qty"]) for o in orders for l in o["lines"]]
per_sku = {}
for _, sku, qty in flat:
    per_sku[sku] = per_sku.get(sku, 0) + qty
empty = [o["id"] for o in orders if not o["lines"]]
customers = sorted({o["customer"] for o in orders})
flat, per_sku, empty, customers
""",
        result=(
            "([('acme', 'A', 2), ('acme', 'B', 1), ('globex', 'A', 5)],\n"
            " {'A': 7, 'B': 1},\n"
            " [3],\n"
            " ['acme', 'globex'])"
        ),
    ),
    BenignCase(
        name="functools_reduce_partial_lru_cache",
        code="""from functools import reduce, partial, lru_cache, cmp_to_key
import operator
product = reduce(operator.mul, [1, 2, 3, 4, 5], 1)
to_int_base2 = partial(int, base=2)
@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
by_length_then_alpha = sorted(["ccc", "a", "bb", "aa"],
                              key=cmp_to_key(lambda a, b: (len(a) - len(b)) or (a > b) - (a < b)))
print(product, to_int_base2("1011"), fib(80))
print(fib.cache_info().hits, fib.cache_info().currsize)
print(by_length_then_alpha)
""",
        stdout="120 11 23416728348467685\n78 81\n['a', 'aa', 'bb', 'ccc']\n",
    ),
    BenignCase(
        name="textwrap_report",
        code='''import textwrap
note = """\\
    The deploy failed twice because the migration locked the orders table
    for longer than the health check allowed."""
body = textwrap.dedent(note)
print(textwrap.fill(body, width=40))
print(textwrap.indent("a\\nb", "> "))
print(textwrap.shorten("The quick brown fox jumps over the lazy dog", width=25))
''',
        stdout=(
            "The deploy failed twice because the\n"
            "migration locked the orders table for\n"
            "longer than the health check allowed.\n"
            "> a\n> b\n"
            "The quick brown fox [...]\n"
        ),
    ),
    BenignCase(
        name="difflib_config_diff",
        code="""import difflib
old = ["host = db1", "port = 5432", "pool = 5"]
new = ["host = db2", "port = 5432", "pool = 10", "ssl = on"]
for line in difflib.unified_diff(old, new, "before", "after", lineterm="", n=0):
    print(line)
print(round(difflib.SequenceMatcher(None, "deploy", "deplyo").ratio(), 3))
print(difflib.get_close_matches("stagng", ["staging", "production", "stage"]))
""",
        stdout=(
            "--- before\n+++ after\n@@ -1 +1 @@\n-host = db1\n+host = db2\n"
            "@@ -3 +3,2 @@\n-pool = 5\n+pool = 10\n+ssl = on\n"
            "0.833\n['staging', 'stage']\n"
        ),
    ),
    BenignCase(
        name="hashlib_base64_uuid",
        code="""import hashlib, base64, uuid
digest = hashlib.sha256(b"release-2024.05").hexdigest()
short = hashlib.md5("config v2".encode()).hexdigest()[:8]
token = base64.b64encode(b"hello, athena").decode()
back = base64.b64decode(token)
url_safe = base64.urlsafe_b64encode(bytes([250, 251, 252])).decode()
stable = uuid.uuid5(uuid.NAMESPACE_DNS, "example.org")
print(len(digest), digest[:10], short)
print(token, back, url_safe)
print(stable, stable.version, uuid.UUID(str(stable)) == stable)
""",
        stdout=(
            "64 c112b33293 7768e127\n"
            "aGVsbG8sIGF0aGVuYQ== b'hello, athena' -vv8\n"
            "aad03681-8b63-5304-89e0-8ca8f49461b5 5 True\n"
        ),
    ),
    BenignCase(
        name="string_template_and_helpers",
        code="""import string
tmpl = string.Template("Deploy $service to $env at ${hour}h")
print(tmpl.substitute(service="api", env="staging", hour=14))
print(tmpl.safe_substitute(service="api"))
print(string.capwords("hello  athena kernel"), string.ascii_lowercase[:5], string.digits)
print("v1.2".translate(str.maketrans({".": "_"})), "42".zfill(5), "ok".center(6, "*"))
""",
        stdout=(
            "Deploy api to staging at 14h\n"
            "Deploy api to $env at ${hour}h\n"
            "Hello Athena Kernel abcde 0123456789\n"
            "v1_2 00042 **ok**\n"
        ),
    ),
    BenignCase(
        name="unicodedata_slugify",
        code="""import unicodedata, re
def slugify(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
print(slugify("Crème Brûlée — Café Menu!"), unicodedata.name("é"), unicodedata.category("7"))
""",
        stdout="creme-brulee-cafe-menu LATIN SMALL LETTER E WITH ACUTE Nd\n",
    ),
    BenignCase(
        name="calendar_and_math",
        code="""import calendar, math
print(calendar.monthrange(2024, 2), calendar.isleap(2100), calendar.day_name[0])
print(math.ceil(7 / 2), math.floor(-1.5), math.gcd(84, 36), math.comb(10, 3))
print(math.isclose(0.1 + 0.2, 0.3), math.hypot(3, 4), round(math.log10(2000), 4))
print(f"{math.pi:.5f}", math.inf > 10 ** 100, math.isnan(float("nan")), math.prod([2, 3, 7]))
""",
        stdout=("(3, 29) False Monday\n4 -2 12 120\nTrue 5.0 3.301\n3.14159 True True 42\n"),
    ),
    BenignCase(
        name="copy_and_pprint",
        code="""import copy, pprint
config = {"db": {"hosts": ["a", "b"], "port": 5432}, "features": {"beta": False}}
staging = copy.deepcopy(config)
staging["db"]["hosts"].append("c")
shallow = copy.copy(config)
print(config["db"]["hosts"], staging["db"]["hosts"], shallow["db"] is config["db"])
pprint.pprint(staging, width=40, sort_dicts=True)
""",
        stdout=(
            "['a', 'b'] ['a', 'b', 'c'] True\n"
            "{'db': {'hosts': ['a', 'b', 'c'],\n"
            "        'port': 5432},\n"
            " 'features': {'beta': False}}\n"
        ),
    ),
    BenignCase(
        name="time_module_formatting",
        code="""import time
started = time.perf_counter()
total = sum(i * i for i in range(1000))
elapsed = time.perf_counter() - started
print(total, elapsed >= 0, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(86400 * 365)))
print(time.gmtime(0).tm_year, isinstance(time.time(), float))
""",
        stdout="332833500 True 1971-01-01 00:00:00\n1970 True\n",
    ),
    BenignCase(
        name="cmath_and_numbers",
        code="""import cmath, numbers
from fractions import Fraction
from decimal import Decimal
root = cmath.sqrt(-4)
print(root, abs(3 + 4j), cmath.phase(1j) == cmath.pi / 2)
print([isinstance(v, numbers.Number) for v in (1, 2.5, Fraction(1, 3), 1j, "1")])
print(isinstance(Fraction(1, 3), numbers.Rational), isinstance(1.0, numbers.Integral))
print(isinstance(Decimal("1.5"), numbers.Number))
""",
        stdout="2j 5.0 True\n[True, True, True, True, False]\nTrue False\nTrue\n",
    ),
    BenignCase(
        name="operator_helpers",
        code="""import operator
rows = [("b", 2), ("a", 3), ("c", 1)]
print(sorted(rows, key=operator.itemgetter(1)))
print(list(map(operator.add, [1, 2], [10, 20])), operator.truediv(7, 2), operator.neg(5))
print(operator.contains([1, 2], 2), operator.getitem({"k": "v"}, "k"))
""",
        stdout="[('c', 1), ('b', 2), ('a', 3)]\n[11, 22] 3.5 -5\nTrue v\n",
    ),
    BenignCase(
        name="word_frequency_report",
        code="""import re
from collections import Counter
text = '''The agent read the ticket. The ticket said the deploy failed;
the agent retried the deploy and it passed.'''
words = re.findall(r"[a-z']+", text.lower())
common = Counter(w for w in words if w not in {"the", "and", "it"}).most_common(3)
width = max(len(w) for w, _ in common)
for word, n in common:
    print(f"{word:<{width}} {'#' * n} {n}")
""",
        stdout="agent  ## 2\nticket ## 2\ndeploy ## 2\n",
    ),
    BenignCase(
        name="bytes_and_integers",
        code="""payload = "naïve café".encode("utf-8")
print(len(payload), payload[:5], payload.decode("utf-8").upper())
n = 0xBEEF
print(n, hex(n), bin(10), oct(8), int("ff", 16), n.to_bytes(2, "big"), int.from_bytes(b"\\x01\\x00", "little"))
buf = bytearray(b"abc")
buf[0] = ord("A")
buf += b"!"
print(buf, buf.hex(), bytes.fromhex("4869").decode())
""",
        stdout=(
            "12 b'na\\xc3\\xafv' NAÏVE CAFÉ\n"
            "48879 0xbeef 0b1010 0o10 255 b'\\xbe\\xef' 1\n"
            "bytearray(b'Abc!') 41626321 Hi\n"
        ),
    ),
    BenignCase(
        name="string_methods_parsing",
        code="""line = "  key=value; other = 2 ;flag  "
pairs = [part.strip() for part in line.split(";")]
parsed = {}
for pair in pairs:
    name, sep, value = pair.partition("=")
    parsed[name.strip()] = value.strip() if sep else True
print(parsed)
print("report.csv".endswith((".csv", ".tsv")), "a,b,,c".split(","), " x ".strip() * 3)
print("-".join(reversed("2024-05-01".split("-"))), "Hello"[::-1], "abc".upper().lower())
""",
        stdout=(
            "{'key': 'value', 'other': '2', 'flag': True}\n"
            "True ['a', 'b', '', 'c'] xxx\n"
            "01-05-2024 olleH abc\n"
        ),
    ),
]
