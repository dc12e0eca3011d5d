"""The language itself: classes, closures, generators, comprehensions, match, formatting, errors."""

from __future__ import annotations

from .case import BenignCase

CASES: list[BenignCase] = [
    BenignCase(
        name="class_repr_eq_hash_property",
        code="""class Money:
    def __init__(self, amount, currency="EUR"):
        self.amount = amount
        self.currency = currency
    def __repr__(self):
        return f"Money({self.amount!r}, {self.currency!r})"
    def __str__(self):
        return f"{self.amount:.2f} {self.currency}"
    def __eq__(self, other):
        return isinstance(other, Money) and (self.amount, self.currency) == (other.amount, other.currency)
    def __hash__(self):
        return hash((self.amount, self.currency))
    def __add__(self, other):
        if other.currency != self.currency:
            raise ValueError("currency mismatch")
        return Money(self.amount + other.amount, self.currency)
    @property
    def cents(self):
        return round(self.amount * 100)
total = Money(2.5) + Money(1.25)
print(total, repr(total), total.cents)
print(total == Money(3.75), len({Money(1), Money(1), Money(1, "USD")}))
""",
        stdout="3.75 EUR Money(3.75, 'EUR') 375\nTrue 2\n",
    ),
    BenignCase(
        name="class_inheritance_super",
        code="""class Shape:
    sides = 0
    def __init__(self, name):
        self.name = name
    def area(self):
        raise NotImplementedError(f"{type(self).__name__} must define area()")
    def describe(self):
        return f"{self.name} with {self.sides} sides and area {self.area():g}"
class Rectangle(Shape):
    sides = 4
    def __init__(self, w, h, name="rectangle"):
        super().__init__(name)
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side, name="square")
shapes = [Rectangle(2, 3), Square(4)]
for s in shapes:
    print(s.describe())
print(isinstance(shapes[1], Rectangle), issubclass(Square, Shape), type(shapes[1]).__name__)
try:
    Shape("blob").describe()
except NotImplementedError as exc:
    print("error:", exc)
""",
        stdout=(
            "rectangle with 4 sides and area 6\n"
            "square with 4 sides and area 16\n"
            "True True Square\n"
            "error: Shape must define area()\n"
        ),
    ),
    BenignCase(
        name="class_property_setter_validation",
        code="""class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = 0
        self.balance = balance
    @property
    def balance(self):
        return self._balance
    @balance.setter
    def balance(self, value):
        if value < 0:
            raise ValueError(f"balance cannot be negative: {value}")
        self._balance = value
acct = Account("ops", 10)
acct.balance += 5
try:
    acct.balance = -1
except ValueError as exc:
    print(exc)
print(acct.balance, acct._balance)
""",
        stdout="balance cannot be negative: -1\n15 15\n",
    ),
    BenignCase(
        name="class_container_protocol",
        code="""class Inventory:
    def __init__(self):
        self._items = {}
    def add(self, name, qty=1):
        self._items[name] = self._items.get(name, 0) + qty
        return self
    def __len__(self):
        return len(self._items)
    def __iter__(self):
        return iter(sorted(self._items))
    def __contains__(self, name):
        return name in self._items
    def __getitem__(self, name):
        return self._items[name]
    def __bool__(self):
        return bool(self._items)
inv = Inventory().add("bolt", 10).add("nut", 4).add("bolt", 2)
print(len(inv), list(inv), "nut" in inv, "gear" in inv, inv["bolt"], bool(Inventory()))
""",
        stdout="2 ['bolt', 'nut'] True False 12 False\n",
    ),
    BenignCase(
        name="class_ordering_and_sort",
        code="""from functools import total_ordering
@total_ordering
class Version:
    def __init__(self, text):
        self.parts = tuple(int(p) for p in text.split("."))
    def __eq__(self, other):
        return self.parts == other.parts
    def __lt__(self, other):
        return self.parts < other.parts
    def __repr__(self):
        return "v" + ".".join(map(str, self.parts))
versions = [Version(v) for v in ["1.10.0", "1.2.3", "1.2.10", "0.9"]]
print(sorted(versions), max(versions), Version("1.2") >= Version("1.1.9"))
""",
        stdout="[v0.9, v1.2.3, v1.2.10, v1.10.0] v1.10.0 True\n",
    ),
    BenignCase(
        name="class_context_manager",
        code="""class Step:
    log = []
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        Step.log.append(f"start {self.name}")
        return self
    def __exit__(self, exc_type, exc, tb):
        outcome = "ok" if exc_type is None else f"failed ({exc_type.__name__})"
        Step.log.append(f"end {self.name}: {outcome}")
        return False
with Step("fetch"):
    data = [1, 2, 3]
try:
    with Step("parse"):
        int("x")
except ValueError:
    pass
print(Step.log)
""",
        stdout=(
            "['start fetch', 'end fetch: ok', 'start parse', 'end parse: failed (ValueError)']\n"
        ),
    ),
    BenignCase(
        name="class_attributes_classmethod_staticmethod",
        code="""class Ticket:
    counter = 0
    PREFIX = "T"
    def __init__(self, title):
        Ticket.counter += 1
        self.number = Ticket.counter
        self.title = title
    @classmethod
    def from_line(cls, line):
        return cls(line.strip().capitalize())
    @staticmethod
    def is_valid(title):
        return bool(title.strip())
    def key(self):
        return f"{self.PREFIX}-{self.number:03d}"
tickets = [Ticket.from_line(t) for t in ["  fix login ", "add metrics"] if Ticket.is_valid(t)]
print([(t.key(), t.title) for t in tickets], Ticket.counter)
""",
        stdout="[('T-001', 'Fix login'), ('T-002', 'Add metrics')] 2\n",
    ),
    BenignCase(
        name="class_callable_and_operators",
        code="""class Vector:
    def __init__(self, *xs):
        self.xs = list(xs)
    def __add__(self, other):
        return Vector(*(a + b for a, b in zip(self.xs, other.xs)))
    def __mul__(self, k):
        return Vector(*(a * k for a in self.xs))
    __rmul__ = __mul__
    def __neg__(self):
        return self * -1
    def __abs__(self):
        return sum(a * a for a in self.xs) ** 0.5
    def __getitem__(self, i):
        return self.xs[i]
    def __repr__(self):
        return f"Vector{tuple(self.xs)}"
class Scaler:
    def __init__(self, k):
        self.k = k
    def __call__(self, v):
        return v * self.k
v = Vector(3, 4)
print(v + Vector(1, 1), 2 * v, -v, abs(v), v[0], Scaler(10)(v), callable(Scaler(1)))
""",
        stdout="Vector(4, 5) Vector(6, 8) Vector(-3, -4) 5.0 3 Vector(30, 40) True\n",
    ),
    BenignCase(
        name="dataclasses_everyday",
        code="""from dataclasses import dataclass, field, asdict, replace, astuple
@dataclass(order=True)
class Job:
    priority: int
    name: str = field(compare=False)
    tags: list = field(default_factory=list, compare=False)
    def __post_init__(self):
        self.name = self.name.strip()
jobs = [Job(3, " backup "), Job(1, "alert", ["ops"]), Job(2, "report")]
jobs.sort()
urgent = replace(jobs[0], priority=0)
print([j.name for j in jobs])
print(asdict(urgent), astuple(jobs[-1]))
print(Job(1, "x") == Job(1, "y"), urgent)
""",
        stdout=(
            "['alert', 'report', 'backup']\n"
            "{'priority': 0, 'name': 'alert', 'tags': ['ops']} (3, 'backup', [])\n"
            "True Job(priority=0, name='alert', tags=['ops'])\n"
        ),
    ),
    BenignCase(
        name="dataclass_frozen_and_inheritance",
        code="""from dataclasses import dataclass, FrozenInstanceError, fields
@dataclass(frozen=True)
class Coord:
    lat: float
    lon: float
@dataclass(frozen=True)
class Place(Coord):
    name: str = "?"
home = Place(52.5, 13.4, "Berlin")
try:
    home.lat = 0
except FrozenInstanceError as exc:
    print("frozen:", exc)
print(home, [f.name for f in fields(home)], hash(home) == hash(Place(52.5, 13.4, "Berlin")))
""",
        stdout=(
            "frozen: cannot assign to field 'lat'\n"
            "Place(lat=52.5, lon=13.4, name='Berlin') ['lat', 'lon', 'name'] True\n"
        ),
    ),
    BenignCase(
        name="enums",
        code="""from enum import Enum, IntEnum, Flag, auto
class Status(Enum):
    PENDING = "pending"
    DONE = "done"
    def label(self):
        return self.value.title()
class Level(IntEnum):
    LOW = 1
    HIGH = 3
class Perm(Flag):
    READ = auto()
    WRITE = auto()
    EXEC = auto()
rw = Perm.READ | Perm.WRITE
print(Status("done"), Status.DONE.label(), [s.name for s in Status], Status["PENDING"].value)
print(Level.HIGH > Level.LOW, Level(3).name, sorted([Level.HIGH, Level.LOW]))
print(Perm.WRITE in rw, Perm.EXEC in rw, rw.value)
""",
        stdout=(
            "Status.DONE Done ['PENDING', 'DONE'] pending\n"
            "True HIGH [<Level.LOW: 1>, <Level.HIGH: 3>]\n"
            "True False 3\n"
        ),
    ),
    BenignCase(
        name="closures_and_nonlocal",
        code="""def make_counter(start=0, step=1):
    count = start
    def tick():
        nonlocal count
        count += step
        return count
    def reset():
        nonlocal count
        count = start
    return tick, reset
tick, reset = make_counter(10, 5)
first = [tick() for _ in range(3)]
reset()
multipliers = [lambda x, k=k: x * k for k in range(1, 4)]
def make_accumulator():
    totals = []
    def add(x):
        totals.append(x)
        return sum(totals)
    return add
acc = make_accumulator()
acc(5)
print(first, tick(), [m(10) for m in multipliers], acc(7))
""",
        stdout="[15, 20, 25] 15 [10, 20, 30] 12\n",
    ),
    BenignCase(
        name="decorators_with_arguments",
        code="""calls = []
def logged(prefix):
    def decorate(fn):
        def wrapper(*args, **kwargs):
            calls.append(f"{prefix}{fn.__name__}{args}")
            return fn(*args, **kwargs)
        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper
    return decorate
def retry(times):
    def decorate(fn):
        def wrapper(*args):
            for attempt in range(1, times + 1):
                try:
                    return fn(*args), attempt
                except ConnectionError:
                    if attempt == times:
                        raise
        return wrapper
    return decorate
@logged("call:")
def add(a, b):
    "Add two numbers."
    return a + b
state = {"fails": 2}
@retry(3)
def flaky():
    if state["fails"]:
        state["fails"] -= 1
        raise ConnectionError("down")
    return "up"
print(add(2, 3), add.__name__, add.__doc__, calls, flaky())
""",
        stdout="5 add Add two numbers. ['call:add(2, 3)'] ('up', 3)\n",
    ),
    BenignCase(
        name="functools_wraps_decorator",
        code="""import functools
def timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper
@timed
def area(w, h):
    "Area of a rectangle."
    return w * h
print(area(3, 4), area.__name__, area.__doc__)
""",
        stdout="12 area Area of a rectangle.\n",
        xfail="functools.wraps is left out of the curated functools (update_wrapper can copy a "
        "real module's __globals__ into a cell's function); a stand-in that copies only "
        "__name__/__qualname__/__doc__ onto the cell's own function would be safe, but the "
        "sandbox's tests pin its absence: a decision for the sandbox's owners",
    ),
    BenignCase(
        name="generators_and_yield_from",
        code="""def read_batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
def flatten(tree):
    for node in tree:
        if isinstance(node, list):
            yield from flatten(node)
        else:
            yield node
def countdown(n):
    while n:
        yield n
        n -= 1
    return "liftoff"
def relay():
    result = yield from countdown(2)
    yield result
print(list(read_batches(range(7), 3)))
print(list(flatten([1, [2, [3, [4]], 5]])), list(relay()))
gen = (x * x for x in range(4))
print(next(gen), next(gen), sum(gen))
""",
        stdout="[[0, 1, 2], [3, 4, 5], [6]]\n[1, 2, 3, 4, 5] [2, 1, 'liftoff']\n0 1 13\n",
    ),
    BenignCase(
        name="generator_send_and_pipeline",
        code="""def running_average():
    total, count, avg = 0.0, 0, None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
avg = running_average()
next(avg)
print([avg.send(v) for v in (10, 20, 60)])
def numbers():
    yield from range(1, 11)
evens = (n for n in numbers() if n % 2 == 0)
squares = (n * n for n in evens)
print(list(squares))
it = iter([1, 2])
print(next(it), next(it), next(it, "done"))
""",
        stdout="[10.0, 15.0, 30.0]\n[4, 16, 36, 64, 100]\n1 2 done\n",
    ),
    BenignCase(
        name="comprehensions_all_kinds",
        code="""matrix = [[1, 2, 3], [4, 5, 6]]
transposed = [[row[i] for row in matrix] for i in range(3)]
index = {name: i for i, name in enumerate(["ana", "bo", "cy"])}
initials = {name[0] for name in ["ana", "amy", "bo"]}
flat_even = [x for row in matrix for x in row if x % 2 == 0]
data = [3, 8, 1, 9]
big = [y for x in data if (y := x * 10) > 50]
print(transposed, index, sorted(initials), flat_even, big)
print({k: v for k, v in sorted(index.items(), key=lambda kv: -kv[1])})
""",
        stdout=(
            "[[1, 4], [2, 5], [3, 6]] {'ana': 0, 'bo': 1, 'cy': 2} ['a', 'b'] [2, 4, 6] [80, 90]\n"
            "{'cy': 2, 'bo': 1, 'ana': 0}\n"
        ),
    ),
    BenignCase(
        name="match_statement",
        code="""from dataclasses import dataclass
@dataclass
class Click:
    x: int
    y: int
def handle(event):
    match event:
        case {"type": "key", "key": "q" | "Q"}:
            return "quit"
        case {"type": "key", "key": str(k)}:
            return f"key {k}"
        case Click(x=0, y=0):
            return "click at origin"
        case Click(x=x, y=y) if x == y:
            return f"diagonal click {x}"
        case Click():
            return "click"
        case [first, *rest]:
            return f"batch of {len(rest) + 1} starting {first}"
        case int() | float() as n if n < 0:
            return "negative"
        case _:
            return "unknown"
events = [{"type": "key", "key": "Q"}, {"type": "key", "key": "a"}, Click(0, 0),
          Click(2, 2), Click(1, 5), ["a", "b"], -3.5, None]
for e in events:
    print(handle(e))
""",
        stdout=(
            "quit\nkey a\nclick at origin\ndiagonal click 2\nclick\n"
            "batch of 2 starting a\nnegative\nunknown\n"
        ),
    ),
    BenignCase(
        name="fstring_format_specs",
        code="""from datetime import date
revenue, ratio, n, name = 1234567.891, 0.0734, 42, "athena"
day = date(2024, 3, 9)
print(f"{revenue:,.2f}|{ratio:.1%}|{n:>6}|{n:<6}|{n:^6}|{n:06d}|{n:x}|{n:#b}")
print(f"{name!r} {name:>10} {name.title()=} {day:%d %b %Y} {3.14159:.3g} {1e-7:.2e}")
width, prec = 10, 3
print(f"[{2 / 3:{width}.{prec}f}] {'left':*<8} {-5:+d} {5:+d} {1000000:_}")
""",
        stdout=(
            "1,234,567.89|7.3%|    42|42    |  42  |000042|2a|0b101010\n"
            "'athena'     athena name.title()='Athena' 09 Mar 2024 3.14 1.00e-07\n"
            "[     0.667] left**** -5 +5 1_000_000\n"
        ),
    ),
    BenignCase(
        name="str_format_and_format_map",
        code="""row = {"host": "db1", "cpu": 0.8734, "mem": 3.2}
print("{host}: cpu {cpu:.0%}, mem {mem:.1f} GB".format(**row))
print("{0}/{1} done ({2:.1f}%)".format(3, 8, 3 / 8 * 100))
print("{:>8}|{:<8}|".format("right", "left"), "{!r}".format("q"))
print("{name} has {count} items".format_map({"name": "cart", "count": 2}))
print("%s scored %d (%.1f%%)" % ("ana", 42, 87.25))
""",
        stdout=(
            "db1: cpu 87%, mem 3.2 GB\n"
            "3/8 done (37.5%)\n"
            "   right|left    | 'q'\n"
            "cart has 2 items\n"
            "ana scored 42 (87.2%)\n"
        ),
    ),
    BenignCase(
        name="augmented_assignment_targets",
        code="""class Stats:
    def __init__(self):
        self.count = 0
        self.by_kind = {"ok": 0, "err": 0}
        self.history = [0, 0]
stats = Stats()
totals = {"a": 1}
grid = [[0, 0], [0, 0]]
for kind in ["ok", "err", "ok"]:
    stats.count += 1
    stats.by_kind[kind] += 1
    stats.history[0] += 10
totals["a"] += 5
totals["b"] = totals.get("b", 0) + 1
grid[1][0] += 7
s = "ab"
s *= 2
nums = [1, 2]
nums += [3]
nums[1:] = [20, 30]
bits = 0b1100
bits &= 0b1010
bits |= 1
bits <<= 1
print(stats.count, stats.by_kind, stats.history, totals, grid, s, nums, bits)
""",
        stdout="3 {'ok': 2, 'err': 1} [30, 0] {'a': 6, 'b': 1} [[0, 0], [7, 0]] abab [1, 20, 30] 18\n",
    ),
    BenignCase(
        name="custom_exceptions_try_finally",
        code="""class ValidationError(Exception):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field
class MissingField(ValidationError):
    pass
def validate(record):
    for field in ("id", "email_domain"):
        if field not in record:
            raise MissingField(field, "is required")
    if not isinstance(record["id"], int):
        raise ValidationError("id", "must be an integer")
    return True
log = []
for rec in [{"id": 1, "email_domain": "example.org"}, {"id": "x", "email_domain": "b"}, {}]:
    try:
        validate(rec)
    except MissingField as exc:
        log.append(("missing", exc.field))
    except ValidationError as exc:
        log.append(("invalid", str(exc)))
    else:
        log.append(("ok", rec["id"]))
    finally:
        log.append("checked")
print(log)
""",
        stdout=(
            "[('ok', 1), 'checked', ('invalid', 'id: must be an integer'), 'checked', "
            "('missing', 'id'), 'checked']\n"
        ),
    ),
    BenignCase(
        name="exception_chaining_and_args",
        code="""class ConfigError(Exception):
    pass
def load_port(raw):
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"bad port {raw!r}") from exc
try:
    load_port("eighty")
except ConfigError as exc:
    print(type(exc).__name__, exc.args, exc)
try:
    {}["missing"]
except (KeyError, IndexError) as exc:
    print(repr(exc), isinstance(exc, LookupError))
""",
        stdout=(
            "ConfigError (\"bad port 'eighty'\",) bad port 'eighty'\nKeyError('missing') True\n"
        ),
    ),
    BenignCase(
        name="exception_cause_inspection",
        code="""def parse(raw):
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError("parse failed") from exc
try:
    parse("x")
except RuntimeError as exc:
    print(type(exc.__cause__).__name__, exc.__suppress_context__)
""",
        stdout="ValueError True\n",
        xfail="__cause__/__context__/__suppress_context__ are refused statically (policy.dunder): "
        "an exception raised by trusted code may chain an internal one the cell was never "
        "meant to hold; opening them needs a run-time check of the chained object's type",
    ),
    BenignCase(
        name="uncaught_custom_error_is_reported",
        code="""class QuotaExceeded(RuntimeError):
    pass
used, limit = 120, 100
if used > limit:
    raise QuotaExceeded(f"used {used} of {limit} requests")
""",
        error=("QuotaExceeded", "used 120 of 100 requests"),
    ),
    BenignCase(
        name="exception_group_with_plain_except",
        code="""errors = []
for value in ["1", "x", "3", "y"]:
    try:
        int(value)
    except ValueError as exc:
        errors.append(exc)
group = ExceptionGroup("bad rows", errors)
try:
    raise group
except ExceptionGroup as eg:
    print(eg.message, len(eg.exceptions))
    matched, rest = eg.split(ValueError)
    print(len(matched.exceptions), rest)
""",
        stdout="bad rows 2\n2 None\n",
    ),
    BenignCase(
        name="recursion_tree_walk",
        code="""tree = {"name": "root", "children": [
    {"name": "a", "children": [{"name": "a1", "children": []}]},
    {"name": "b", "children": []},
]}
def depth(node):
    return 1 + max((depth(c) for c in node["children"]), default=0)
def paths(node, prefix=""):
    here = f"{prefix}/{node['name']}"
    yield here
    for child in node["children"]:
        yield from paths(child, here)
def hanoi(n, a="A", b="B", c="C"):
    return [] if n == 0 else hanoi(n - 1, a, c, b) + [(a, c)] + hanoi(n - 1, b, a, c)
print(depth(tree), list(paths(tree)), len(hanoi(10)))
""",
        stdout="3 ['/root', '/root/a', '/root/a/a1', '/root/b'] 1023\n",
    ),
    BenignCase(
        name="unpacking_and_dict_merge",
        code="""first, *middle, last = [1, 2, 3, 4, 5]
(a, b), c = (1, 2), 3
defaults = {"retries": 3, "timeout": 10}
overrides = {"timeout": 30}
merged = defaults | overrides
merged |= {"verbose": True}
def connect(host, port=5432, **options):
    return f"{host}:{port} {sorted(options.items())}"
args = ["db1"]
print(first, middle, last, a + b + c, merged)
print(connect(*args, **merged), [*range(3), *"ab"], {**defaults, "retries": 0})
""",
        stdout=(
            "1 [2, 3, 4] 5 6 {'retries': 3, 'timeout': 30, 'verbose': True}\n"
            "db1:5432 [('retries', 3), ('timeout', 30), ('verbose', True)] [0, 1, 2, 'a', 'b'] "
            "{'retries': 0, 'timeout': 10}\n"
        ),
    ),
    BenignCase(
        name="builtins_everyday",
        code="""names = ["ana", "bo", "cy"]
scores = [88, 95, 72]
print(list(enumerate(names, start=1)), dict(zip(names, scores)))
print(any(s > 90 for s in scores), all(s > 70 for s in scores), sum(scores) / len(scores))
print(list(map(str.upper, names)), list(filter(None, [0, 1, "", "x"])), sorted(names, reverse=True))
print(divmod(17, 5), pow(2, 10), pow(3, 4, 5), round(2.675, 2), abs(-3), min(4, 2, 8))
print(list(reversed(range(3))), list(range(10, 0, -3)), [1, 2, 3][::-1], chr(65), ord("a"))
print(isinstance(3, (int, float)), type([]).__name__, repr("x"), ascii("é"), len({1: 2}))
print(list(zip(*[(1, "a"), (2, "b")])), hash("a") == hash("a"), id(names) == id(names))
""",
        stdout=(
            "[(1, 'ana'), (2, 'bo'), (3, 'cy')] {'ana': 88, 'bo': 95, 'cy': 72}\n"
            "True True 85.0\n"
            "['ANA', 'BO', 'CY'] [1, 'x'] ['cy', 'bo', 'ana']\n"
            "(3, 2) 1024 1 2.67 3 2\n"
            "[2, 1, 0] [10, 7, 4, 1] [3, 2, 1] A 97\n"
            "True list 'x' '\\xe9' 1\n"
            "[(1, 2), ('a', 'b')] True True\n"
        ),
    ),
    BenignCase(
        name="sets_and_slicing",
        code="""before = {"api", "web", "worker", "cron"}
after = {"api", "web", "queue"}
print(sorted(before - after), sorted(after - before), sorted(before & after), len(before | after))
print(sorted(before ^ after), {"api"} <= after, frozenset("ab") == frozenset("ba"))
seq = list(range(10))
print(seq[2:5], seq[-3:], seq[::3], seq[7:2:-2])
seq[::2] = [0] * 5
del seq[-2:]
print(seq)
""",
        stdout=(
            "['cron', 'worker'] ['queue'] ['api', 'web'] 5\n"
            "['cron', 'queue', 'worker'] True True\n"
            "[2, 3, 4] [7, 8, 9] [0, 3, 6, 9] [7, 5, 3]\n"
            "[0, 1, 0, 3, 0, 5, 0, 7]\n"
        ),
    ),
    BenignCase(
        name="global_statement_and_loops",
        code="""processed = 0
def process(batch):
    global processed
    processed += len(batch)
    return processed
for batch in ([1, 2], [3], [4, 5, 6]):
    process(batch)
found = None
for i, word in enumerate(["alpha", "beta", "gamma"]):
    if word.startswith("g"):
        found = i
        break
else:
    found = -1
n, attempts = 37, 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    attempts += 1
    if attempts > 100:
        break
print(processed, found, attempts)
""",
        stdout="6 2 21\n",
    ),
    BenignCase(
        name="class_slots",
        code="""class Pixel:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = Pixel(1, 2)
try:
    p.z = 3
except AttributeError:
    print("no new attributes")
print(p.x + p.y)
""",
        stdout="no new attributes\n3\n",
        xfail="__slots__ is a reserved name (policy.dunder); @dataclass(slots=True) works. "
        "Allowing a literal tuple of public names would be safe but is a new class-body rule",
    ),
    BenignCase(
        name="dataclass_slots",
        code="""from dataclasses import dataclass
@dataclass(slots=True)
class Pixel:
    x: int
    y: int
p = Pixel(1, 2)
try:
    p.z = 3
except AttributeError:
    print("no new attributes")
print(p, p.x + p.y)
""",
        stdout="no new attributes\nPixel(x=1, y=2) 3\n",
    ),
    BenignCase(
        name="class_dunder_reads",
        code="""class Node:
    "A tree node."
    def __init__(self, value):
        self.value = value
n = Node(5)
print(Node.__name__, type(n).__qualname__, n.__dict__, Node.__module__, Node.__doc__)
print(n.__class__ is Node, (3).__class__.__name__, len.__name__, str.upper.__qualname__)
""",
        stdout="Node Node {'value': 5} __main__ A tree node.\nTrue int len str.upper\n",
    ),
    BenignCase(
        name="abstract_base_class",
        code="""from abc import ABC, abstractmethod
class Exporter(ABC):
    @abstractmethod
    def export(self, rows): ...
class CSVExporter(Exporter):
    def export(self, rows):
        return "\\n".join(",".join(map(str, r)) for r in rows)
print(CSVExporter().export([(1, 2), (3, 4)]))
try:
    Exporter()
except TypeError as exc:
    print("abstract")
""",
        stdout="1,2\n3,4\nabstract\n",
        xfail="abc is not among the allowed modules (DEFAULT_ALLOWED_MODULES); an agent's ABC "
        "must be written without it",
    ),
]
