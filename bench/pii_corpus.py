"""Deterministic generator of labelled, kernel-shaped outputs for the PII benchmark.

    .venv/bin/python bench/pii_corpus.py --out bench/data/pii_kernel_outputs.jsonl [--n 400]

Each sample is what a notebook cell might print — log lines, pretty JSON, Python reprs, a
traceback, CSV, an ``env`` dump, HTTP headers, config files, ``DataFrame`` tables, e-mail
headers, forms, diagnostics — with its sensitive values labelled by construction, in the shared
format ``{"text": ..., "spans": [{"start", "end", "type"}], "source": ...}``. Most samples also
carry hard negatives: timestamps, epoch times, UUIDs, git SHAs, sha256 digests, versions, order
ids, Luhn-failing 16-digit numbers, pointers, ports, line numbers, floats, durations, dates.

All values are synthetic (random names from short lists, numbers with valid checksums made up
on the spot); the same seed always gives the same corpus.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
from collections.abc import Callable
from pathlib import Path

FIRST = [
    "Alice",
    "Bob",
    "Carol",
    "David",
    "Emma",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kaito",
    "Lena",
    "Mateo",
    "Nadia",
    "Olga",
    "Pavel",
    "Quentin",
    "Rosa",
    "Sanjay",
    "Tomasz",
    "Ulla",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoltan",
    "Amara",
    "Bjorn",
    "Chloe",
    "Dmitri",
    "Elif",
    "Fatima",
    "Giulia",
    "Hannah",
    "Ivan",
    "Jamal",
    "Keiko",
    "Lucia",
    "Marek",
    "Nora",
    "Oscar",
    "Priya",
    "Rafael",
    "Sofia",
    "Thabo",
    "Uma",
    "Valentina",
    "Wojciech",
    "Ximena",
    "Yusuf",
    "Zainab",
    "Søren",
    "José",
    "Zoë",
    "Agnieszka",
    "Łukasz",
]
LAST = [
    "Smith",
    "Johnson",
    "Garcia",
    "Müller",
    "Rossi",
    "Nakamura",
    "Kowalski",
    "Dubois",
    "Okafor",
    "Patel",
    "Silva",
    "Novak",
    "Andersen",
    "Ivanova",
    "Haddad",
    "Fischer",
    "Moreau",
    "Tanaka",
    "Nguyen",
    "Kim",
    "Hernández",
    "Cohen",
    "Schmidt",
    "Jensen",
    "Rahman",
    "Costa",
    "Popescu",
    "Horváth",
    "Yilmaz",
    "Lindqvist",
    "O'Brien",
    "MacLeod",
    "Van",
    "Dijk",
    "Santos",
    "Wójcik",
    "Petrov",
    "Ali",
    "Mensah",
    "Larsen",
    "Ferreira",
    "Bianchi",
    "Kuznetsov",
    "Abe",
    "Delgado",
    "Sato",
    "Brennan",
    "Kaur",
    "Osei",
    "Virtanen",
    "Dvořák",
]
DOMAINS = [
    "example.com",
    "mail.example.org",
    "acme-corp.io",
    "gmail.com",
    "outlook.com",
    "uni-example.edu",
    "company.co.uk",
    "post.example.de",
    "startup.ai",
    "fastmail.fm",
]
STREETS = [
    "Elm Street",
    "Oak Avenue",
    "Maple Drive",
    "Baker Street",
    "Rue de la Paix",
    "Hauptstraße",
    "Via Roma",
    "Calle Mayor",
    "King's Road",
    "Sunset Boulevard",
    "Mill Lane",
    "Station Road",
    "Kungsgatan",
    "Nowy Świat",
]
CITIES = (
    ("Springfield", "IL", "62704"),
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78701"),
    ("London", "", "NW1 6XE"),
    ("Paris", "", "75002"),
    ("Berlin", "", "10115"),
    ("Rome", "", "00184"),
    ("Madrid", "", "28013"),
    ("Stockholm", "", "111 57"),
    ("Warsaw", "", "00-372"),
)
PRODUCTS = [
    "Super Widget",
    "Gadget Pro",
    "Mega Blender",
    "Turbo Fan",
    "Desk Lamp",
    "Coffee Grinder",
    "Water Bottle",
    "Standing Desk",
    "USB Hub",
    "Noise Cancelling Headphones",
    "Yoga Mat",
    "Air Purifier",
]
B62 = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


class Sample:
    """A text under construction and the spans of the values in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, object]] = []

    def add(self, text: str) -> Sample:
        """Append plain (unlabelled) text."""
        self.parts.append(text)
        self.length += len(text)
        return self

    def pii(self, kind: str, value: str) -> Sample:
        """Append a labelled value."""
        self.spans.append({"start": self.length, "end": self.length + len(value), "type": kind})
        return self.add(value)

    def record(self, source: str) -> dict[str, object]:
        """The finished sample as a JSON-ready dict."""
        return {"text": "".join(self.parts), "spans": self.spans, "source": source}


class Fake:
    """Synthetic values with valid formats and checksums."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # --------------------------------------------------------------------- people and places
    def person(self) -> str:
        first, last = self.r.choice(FIRST), self.r.choice(LAST)
        if self.r.random() < 0.15:
            return f"{first} {self.r.choice(string.ascii_uppercase)}. {last}"
        return f"{first} {last}"

    def email(self, person: str | None = None) -> str:
        person = person or self.person()
        parts = [p.strip(".").lower() for p in person.split() if len(p.strip(".")) > 1]
        first, last = parts[0], parts[-1]
        ascii_map = str.maketrans("øéëłóąęśźżćńüöáíúčřšžåä'", "oeeloaeszzcnuoaiucrszaa_")
        first, last = first.translate(ascii_map), last.translate(ascii_map).replace(" ", "")
        local = self.r.choice(
            [
                f"{first}.{last}",
                f"{first[0]}{last}",
                f"{first}_{last}{self.r.randint(1, 99)}",
                f"{first}{last}",
                f"{last}.{first}",
            ]
        )
        email = f"{local}@{self.r.choice(DOMAINS)}"
        return email.title() if self.r.random() < 0.1 else email

    def address(self) -> str:
        city, state, zipc = self.r.choice(CITIES)
        street = f"{self.r.randint(1, 9999)} {self.r.choice(STREETS)}"
        if state:
            return f"{street}, {city}, {state} {zipc}"
        if self.r.random() < 0.3:
            return f"Flat {self.r.randint(1, 40)}, {street}, {city} {zipc}"
        return f"{street}, {zipc} {city}"

    # ---------------------------------------------------------------------------- numbers
    def phone(self, cued: bool = False) -> str:
        """A phone number; national formats without '+' only when ``cued`` (a cue is near)."""
        r = self.r
        area, mid, last = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
        anywhere = [
            f"({area}) {mid}-{last:04d}",
            f"{area}-{mid}-{last:04d}",
            f"{area}.{mid}.{last:04d}",
            f"+1 {area} {mid} {last:04d}",
            f"+1-{area}-{mid}-{last:04d}",
            f"+44 20 {r.randint(7000, 8999)} {r.randint(1000, 9999)}",
            f"+44 7{r.randint(100, 999)} {r.randint(100000, 999999)}",
            f"+49 30 {r.randint(10000000, 99999999)}",
            "+33 1 " + " ".join(str(r.randint(10, 99)) for _ in range(4)),
            f"+91 {r.randint(70000, 99999)} {r.randint(10000, 99999)}",
            f"+81 3-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
            f"+61 2 {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
            f"+46 (0)8 {r.randint(100, 999)} {r.randint(100, 999)} {r.randint(10, 99)}",
            f"001-{area}-{mid}-{last:04d}",
            f"({area}) {mid}-{last:04d} x{r.randint(10, 9999)}",
        ]
        national = [
            f"020 {r.randint(7000, 8999)} {r.randint(1000, 9999)}",
            f"07{r.randint(100, 999)} {r.randint(100000, 999999)}",
            f"0{r.randint(1, 9)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} "
            f"{r.randint(10, 99)}",
            f"030 {r.randint(1000000, 9999999)}",
            f"0{r.randint(40, 89)}-{r.randint(1000000, 9999999)}",
            f"{area}{mid}{last:04d}",
        ]
        return r.choice(anywhere + national if cued else anywhere)

    def card(self) -> str:
        r = self.r
        prefix, length = r.choice(
            [
                ("4", 16),
                ("4", 16),
                ("51", 16),
                ("55", 16),
                ("2221", 16),
                ("2720", 16),
                ("34", 15),
                ("37", 15),
                ("6011", 16),
                ("65", 16),
                ("36", 14),
                ("3530", 16),
                ("4", 13),
                ("4", 19),
            ]
        )
        body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
        digits = body + luhn_digit(body)
        style = r.random()
        if style < 0.4 or length in (13, 19):
            return digits
        sep = " " if style < 0.75 else "-"
        if length == 15:
            return sep.join((digits[:4], digits[4:10], digits[10:]))
        if length == 14:
            return sep.join((digits[:4], digits[4:10], digits[10:]))
        return sep.join(digits[i : i + 4] for i in range(0, 16, 4))

    def luhn_failing_16(self) -> str:
        body = str(self.r.randint(4, 5)) + "".join(self.r.choice(string.digits) for _ in range(14))
        good = luhn_digit(body)
        return body + str((int(good) + self.r.randint(1, 9)) % 10)

    def ssn(self) -> str:
        r = self.r
        area = r.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"

    def iban(self) -> str:
        r = self.r
        country, bban_shape = r.choice(
            [
                ("GB", "AAAA" + "9" * 14),
                ("DE", "9" * 18),
                ("FR", "9" * 10 + "X" * 11 + "99"),
                ("NL", "AAAA" + "9" * 10),
                ("ES", "9" * 20),
                ("IT", "A" + "9" * 10 + "X" * 12),
                ("CH", "9" * 5 + "X" * 12),
                ("BE", "9" * 12),
                ("PL", "9" * 24),
            ]
        )
        bban = "".join(
            r.choice(string.ascii_uppercase)
            if c == "A"
            else r.choice(string.digits)
            if c == "9"
            else r.choice(string.ascii_uppercase + string.digits)
            for c in bban_shape
        )
        check = 98 - int(_iban_number(bban + country + "00")) % 97
        iban = f"{country}{check:02d}{bban}"
        if r.random() < 0.4:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def ipv4(self) -> str:
        r = self.r
        first = r.choice([r.randint(11, 126), r.randint(128, 223), 10, 172, 192])
        if first == 192:
            return f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def ipv6(self) -> str:
        groups = [f"{self.r.randint(0, 0xFFFF):x}" for _ in range(8)]
        groups[0] = self.r.choice(["2001", "2a02", "2600", "fe80", "2a00"])
        if self.r.random() < 0.5:
            return f"{groups[0]}:{groups[1]}::{groups[6]}:{groups[7]}"
        return ":".join(groups)

    # ---------------------------------------------------------------------------- secrets
    def rand(self, n: int, alphabet: str = B62) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def aws_key_id(self) -> str:
        return "AKIA" + self.rand(16, string.ascii_uppercase + string.digits)

    def aws_secret(self) -> str:
        return self.rand(40, B62 + "+/")

    def github_token(self) -> str:
        return self.r.choice(["ghp_", "gho_", "ghs_"]) + self.rand(36)

    def slack_token(self) -> str:
        team, bot = self.r.randint(10**10, 10**11), self.r.randint(10**10, 10**11)
        return f"xoxb-{team}-{bot}-{self.rand(24)}"

    def stripe_key(self) -> str:
        return self.r.choice(["sk_live_", "rk_live_", "sk_test_"]) + self.rand(24)

    def openai_key(self) -> str:
        return self.r.choice(["sk-proj-", "sk-"]) + self.rand(48, B62 + "_-")

    def google_key(self) -> str:
        return "AIza" + self.rand(35, B62 + "_-")

    def jwt(self) -> str:
        def b64(obj: dict[str, object]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        header = b64({"alg": "HS256", "typ": "JWT"})
        payload = b64({"sub": str(self.r.randint(1, 10**9)), "iat": 1709648551, "role": "user"})
        return f"{header}.{payload}.{self.rand(43, B62 + '_-')}"

    def pem(self) -> str:
        lines = [self.rand(64, B62 + "+/") for _ in range(self.r.randint(3, 6))]
        label = self.r.choice(
            ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]
        )
        return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"

    def password(self) -> str:
        return self.r.choice(
            [
                self.rand(12, B62 + "!@#$%^&*"),
                f"{self.r.choice(FIRST).lower()}{self.r.randint(1970, 2020)}!",
                "correct-horse-" + self.rand(6, string.ascii_lowercase),
                self.rand(16),
            ]
        )

    def basic_auth(self) -> str:
        raw = f"{self.r.choice(FIRST).lower()}:{self.rand(12)}"
        return base64.b64encode(raw.encode()).decode()

    # ----------------------------------------------------------------------- hard negatives
    def timestamp(self) -> str:
        r = self.r
        return (
            f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
            f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
        )

    def log_time(self) -> str:
        r = self.r
        return (
            f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:"
            f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d},{r.randint(0, 999):03d}"
        )

    def epoch(self) -> str:
        return str(self.r.randint(1_600_000_000, 1_750_000_000))

    def epoch_ms(self) -> str:
        return str(self.r.randint(1_600_000_000_000, 1_750_000_000_000))

    def uuid(self) -> str:
        h = self.rand(32, HEX)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def sha(self, n: int = 40) -> str:
        return self.rand(n, HEX)

    def version(self) -> str:
        r = self.r
        return f"{r.randint(0, 12)}.{r.randint(0, 30)}.{r.randint(0, 20)}"

    def order_id(self) -> str:
        return f"ORD-{self.r.randint(2019, 2024)}-{self.r.randint(1, 999999):06d}"

    def pointer(self) -> str:
        return "0x7ff" + self.rand(9, HEX)

    def duration(self) -> str:
        return self.r.choice(
            [
                f"{self.r.uniform(0.1, 999):.1f}ms",
                f"{self.r.uniform(0, 60):.3f}s",
                f"{self.r.randint(1, 9)}h {self.r.randint(0, 59)}m {self.r.randint(0, 59)}s",
            ]
        )

    def date(self) -> str:
        r = self.r
        y, m, d = r.randint(2015, 2024), r.randint(1, 12), r.randint(1, 28)
        return r.choice([f"{y}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}", f"{d:02d}/{m:02d}/{y}"])


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes ``body``."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _iban_number(s: str) -> str:
    return "".join(str(int(c, 36)) for c in s)


# =============================================================================== templates
Template = Callable[[Fake], Sample]


def app_log(f: Fake) -> Sample:
    s = Sample()
    for _ in range(f.r.randint(3, 7)):
        s.add(f"{f.log_time()} ")
        kind = f.r.randrange(8)
        if kind == 0:
            s.add("INFO  api.request method=GET path=/v1/orders/").add(f.order_id())
            s.add(f" status=200 duration={f.duration()} request_id={f.uuid()} client_ip=")
            s.pii("IP_ADDRESS", f.ipv4()).add("\n")
        elif kind == 1:
            s.add("INFO  auth.login user=").pii("EMAIL", f.email()).add(" from ")
            s.pii("IP_ADDRESS", f.ipv4()).add(" session_ttl=3600 attempt=1\n")
        elif kind == 2:
            s.add(f"DEBUG worker.job id={f.sha(12)} pid={f.r.randint(100, 65000)} rss=")
            s.add(f"{f.r.randint(10, 900)}MB elapsed={f.duration()} build={f.version()}\n")
        elif kind == 3:
            s.add("WARN  billing.charge order=").add(f.order_id()).add(" card=")
            s.pii("CREDIT_CARD", f.card()).add(f" amount={f.r.uniform(1, 999):.2f} EUR\n")
        elif kind == 4:
            s.add(f"INFO  http.server listening on 0.0.0.0:{f.r.randint(1024, 65000)} ")
            s.add(f"(pid {f.r.randint(100, 65000)}, epoch {f.epoch()})\n")
        elif kind == 5:
            s.add("ERROR notify.sms failed to=").pii("PHONE", f.phone()).add(
                f" code=30003 retry_in={f.duration()}\n"
            )
        elif kind == 6:
            s.add("INFO  db.pool connected dsn=postgresql://app:")
            s.pii("SECRET", f.password().replace("@", "").replace("/", "").replace(":", ""))
            s.add("@db.internal:5432/app pool_size=10 max_tokens=4096\n")
        else:
            s.add(f"INFO  cache.hit key=user:{f.r.randint(1, 99999)} ts={f.epoch_ms()} ")
            s.add(f"etag={f.sha(32)} ratio=0.{f.r.randint(100, 999)}\n")
    return s


def json_records(f: Fake) -> Sample:
    s = Sample().add("[\n")
    count = f.r.randint(1, 3)
    for i in range(count):
        person = f.person()
        s.add("  {\n")
        s.add(f'    "id": {f.r.randint(1, 10**6)},\n    "uuid": "{f.uuid()}",\n')
        s.add('    "name": "').pii("PERSON", person).add('",\n')
        s.add('    "email": "').pii("EMAIL", f.email(person)).add('",\n')
        s.add('    "phone": "').pii("PHONE", f.phone(cued=True)).add('",\n')
        if f.r.random() < 0.6:
            s.add('    "address": "').pii("ADDRESS", f.address()).add('",\n')
        s.add(f'    "created_at": "{f.timestamp()}",\n    "plan": "pro",\n')
        s.add(f'    "last_order": "{f.order_id()}",\n    "balance": {f.r.uniform(0, 5000):.2f}\n')
        s.add("  }" + (",\n" if i < count - 1 else "\n"))
    return s.add("]")


def python_repr(f: Fake) -> Sample:
    s = Sample().add("[")
    count = f.r.randint(1, 3)
    for i in range(count):
        person = f.person()
        key = f.r.choice(["customer_name", "full_name", "patient_name"])
        quote = '"' if "'" in person else "'"  # as repr() would write it
        s.add("{'id': " + str(f.r.randint(1, 9999)) + f", '{key}': {quote}").pii("PERSON", person)
        s.add(f"{quote}, 'email': '").pii("EMAIL", f.email(person)).add("', ")
        if f.r.random() < 0.5:
            s.add("'ssn': '").pii("US_SSN", f.ssn()).add("', ")
        if f.r.random() < 0.5:
            s.add("'iban': '").pii("IBAN", f.iban()).add("', ")
        s.add(f"'score': {f.r.random():.4f}, 'tags': ['vip', 'beta'], 'since': '{f.date()}'}}")
        s.add(", " if i < count - 1 else "")
    return s.add("]")


def traceback_out(f: Fake) -> Sample:
    s = Sample()
    line = f.r.randint(10, 400)
    s.add("---------------------------------------------------------------------------\n")
    s.add("OperationalError                          Traceback (most recent call last)\n")
    s.add(f"Cell In[{f.r.randint(1, 60)}], line {f.r.randint(1, 20)}\n")
    s.add(f"      1 import psycopg\n----> {line} conn = psycopg.connect(DSN)\n\n")
    s.add(
        f"File /opt/venv/lib/python3.11/site-packages/psycopg/connection.py:{line * 3}, "
        "in connect\n"
    )
    s.add(f"    {line * 3 - 1} rv = cls._wait_conn(gen, timeout=timeout)\n")
    s.add("OperationalError: connection failed: could not connect to server postgresql://admin:")
    s.pii("SECRET", f.rand(14)).add("@")
    if f.r.random() < 0.5:
        s.pii("IP_ADDRESS", f.ipv4()).add(":5432/prod")
    else:
        s.add("db.internal:5432/prod")
    s.add(f"\n  at {f.pointer()} (thread {f.r.randint(1000, 99999)}) after {f.duration()}\n")
    if f.r.random() < 0.5:
        s.add("KeyError: 'token'\n")
    return s


def csv_table(f: Fake) -> Sample:
    s = Sample()
    delim = f.r.choice([",", "\t", ";"])
    cols = ["id", "name", "email", "phone", "signup_date", "lifetime_value"]
    s.add(delim.join(cols) + "\n")
    for _ in range(f.r.randint(2, 6)):
        person = f.person()
        s.add(f"{f.r.randint(1000, 99999)}{delim}")
        name = person
        if delim == "," and f.r.random() < 0.2:
            last, first = person.split()[-1], person.split()[0]
            s.add('"').pii("PERSON", f"{last}, {first}").add('"')
        else:
            s.pii("PERSON", name)
        s.add(delim).pii("EMAIL", f.email(person)).add(delim)
        s.pii("PHONE", f.phone(cued=True)).add(delim)
        s.add(f"{f.date()}{delim}{f.r.uniform(0, 9999):.2f}\n")
    return s


def env_dump(f: Fake) -> Sample:
    s = Sample()
    s.add(
        f"HOSTNAME=nb-{f.sha(8)}\nHOME=/home/jovyan\nLANG=C.UTF-8\nPATH=/opt/conda/bin:/usr/bin\n"
    )
    s.add(f"PYTHON_VERSION={f.version()}\nJUPYTER_PORT=8888\nSHLVL=1\n")
    s.add("AWS_ACCESS_KEY_ID=").pii("SECRET", f.aws_key_id()).add("\n")
    s.add("AWS_SECRET_ACCESS_KEY=").pii("SECRET", f.aws_secret()).add("\n")
    s.add("AWS_DEFAULT_REGION=eu-west-1\n")
    if f.r.random() < 0.7:
        s.add("GITHUB_TOKEN=").pii("SECRET", f.github_token()).add("\n")
    if f.r.random() < 0.5:
        s.add("OPENAI_API_KEY=").pii("SECRET", f.openai_key()).add("\n")
    if f.r.random() < 0.5:
        s.add("SLACK_BOT_TOKEN=").pii("SECRET", f.slack_token()).add("\n")
    s.add("DATABASE_URL=postgres://svc:").pii("SECRET", f.rand(18)).add("@db.internal:5432/main\n")
    s.add("DB_PASSWORD=").pii("SECRET", f.password()).add("\n")
    s.add(f"MAX_TOKENS=2048\nTOKENIZERS_PARALLELISM=false\nGIT_COMMIT={f.sha()}\n")
    s.add("PASSWORD_MIN_LENGTH=12\nSECRET_ROTATION_DAYS=30\n")
    return s


def http_headers(f: Fake) -> Sample:
    s = Sample()
    s.add(
        "POST /api/v2/messages HTTP/1.1\nHost: api.example.com\n"
        f"User-Agent: python-httpx/{f.version()}\n"
    )
    kind = f.r.randrange(3)
    if kind == 0:
        s.add("Authorization: Bearer ").pii("SECRET", f.jwt()).add("\n")
    elif kind == 1:
        s.add("Authorization: Basic ").pii("SECRET", f.basic_auth()).add("\n")
    else:
        s.add("Authorization: Bearer ").pii("SECRET", f.stripe_key()).add("\n")
    s.add(f"X-Request-Id: {f.uuid()}\nContent-Length: {f.r.randint(10, 5000)}\n")
    if f.r.random() < 0.5:
        s.add("X-Api-Key: ").pii("SECRET", f.rand(32, HEX)).add("\n")
    s.add("X-Forwarded-For: ").pii("IP_ADDRESS", f.ipv4()).add(", ")
    s.pii("IP_ADDRESS", f.ipv4()).add("\n")
    s.add(f'Date: Tue, 05 Mar 2024 14:22:31 GMT\nETag: "{f.sha(16)}"\n\n')
    s.add(f'{{"status": "ok", "took_ms": {f.r.randint(1, 900)}, "version": "{f.version()}"}}')
    return s


def config_file(f: Fake) -> Sample:
    s = Sample()
    style = f.r.randrange(3)
    if style == 0:  # INI
        s.add("[server]\nhost = ").pii("IP_ADDRESS", f.ipv4()).add(
            f"\nport = {f.r.randint(1024, 9999)}\n"
        )
        s.add("workers = 4\ntimeout = 30.5\n\n[database]\nuser = app\npassword = ")
        s.pii("SECRET", f.password()).add("\npool_size = 12\n\n[mail]\nadmin_email = ")
        s.pii("EMAIL", f.email()).add("\nsmtp_port = 587\n")
    elif style == 1:  # YAML
        s.add(f"service:\n  name: billing-api\n  version: {f.version()}\n  replicas: 3\n")
        s.add("stripe:\n  secret_key: ").pii("SECRET", f.stripe_key()).add("\n")
        s.add("  webhook_timeout: 10s\nslack:\n  bot_token: ").pii("SECRET", f.slack_token())
        s.add("\n  channel: '#alerts'\nowner:\n  name: ").pii("PERSON", f.person())
        s.add("\n  email: ").pii("EMAIL", f.email()).add("\n")
    else:  # TOML
        s.add('[tool.app]\nname = "inventory"\nversion = "').add(f.version()).add('"\n')
        s.add('api_key = "').pii("SECRET", f.google_key()).add('"\n')
        s.add(f'cache_ttl = 300\nbuild = "{f.sha(7)}"\n[tool.app.contact]\n')
        s.add('author = "').pii("PERSON", f.person()).add('"\n')
    return s


def _frame(
    cols: list[str], rows: list[list[object]], index: list[str] | None = None
) -> tuple[str, list[list[tuple[int, int]]]]:
    """``DataFrame.to_string()`` layout (right-aligned cells, 2-space gaps, left-aligned index)
    and the (start, end) of every cell."""
    cells = [[str(v) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    labels = index or [str(i) for i in range(len(rows))]
    iw = max(len(label) for label in labels)
    lines = [" " * iw + "".join("  " + c.rjust(w) for c, w in zip(cols, widths))]
    positions: list[list[tuple[int, int]]] = []
    offset = len(lines[0]) + 1
    for label, row in zip(labels, cells):
        line = label.ljust(iw)
        pos_row = []
        for value, w in zip(row, widths):
            line += "  "
            start = offset + len(line) + (w - len(value))
            line += value.rjust(w)
            pos_row.append((start, start + len(value)))
        positions.append(pos_row)
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines), positions


def dataframe(f: Fake) -> Sample:
    n = f.r.randint(2, 6)
    if f.r.random() < 0.7:
        cols = ["customer_name", "email", "city", "orders", "total"]
        rows, labels = [], []
        for _ in range(n):
            person = f.person()
            city = f.r.choice(CITIES)[0]
            rows.append(
                [person, f.email(person), city, f.r.randint(1, 40), f"{f.r.uniform(5, 9999):.2f}"]
            )
            labels.append(["PERSON", "EMAIL", None, None, None])
    else:
        cols = ["product", "name", "sku", "price", "updated"]
        rows, labels = [], []
        for _ in range(n):
            rows.append(
                [
                    f.r.choice(["A", "B", "C"]),
                    f.r.choice(PRODUCTS),
                    f.order_id(),
                    f"{f.r.uniform(1, 500):.2f}",
                    f.date(),
                ]
            )
            labels.append([None] * 5)
    text, positions = _frame(cols, rows)
    s = Sample().add(text)
    for pos_row, lab_row in zip(positions, labels):
        for (a, b), lab in zip(pos_row, lab_row):
            if lab:
                s.spans.append({"start": a, "end": b, "type": lab})
    s.add(f"\n\n[{n} rows x {len(cols)} columns]")
    return s


def email_message(f: Fake) -> Sample:
    s = Sample()
    sender, to = f.person(), f.person()
    s.add("From: ").pii("PERSON", sender).add(" <").pii("EMAIL", f.email(sender)).add(">\n")
    s.add("To: ").pii("PERSON", to).add(" <").pii("EMAIL", f.email(to)).add(">")
    if f.r.random() < 0.5:
        s.add(", ").pii("EMAIL", f.email()).add("\n")
    else:
        s.add("\n")
    s.add(
        f"Subject: Invoice {f.order_id()} (due {f.date()})\n"
        f"Message-ID: <{f.uuid()}@mail.example.com>\n"
    )
    s.add(f"Date: Tue, 05 Mar 2024 14:22:31 +0000\n\nHi,\n\nthe invoice for order {f.order_id()} ")
    s.add(f"is attached (v{f.version()}). Call me on ").pii("PHONE", f.phone(cued=True))
    s.add(" if anything is unclear.\n\nBest,\n").pii("PERSON", sender.split()[0]).add("\n")
    # the first name alone in the signature is free text: labelled, though no rule finds it
    return s


def form(f: Fake) -> Sample:
    s = Sample()
    person = f.person()
    s.add("Name: ").pii("PERSON", person).add("\n")
    s.add("Phone: ").pii("PHONE", f.phone(cued=True)).add("\n")
    s.add("Email: ").pii("EMAIL", f.email(person)).add("\n")
    if f.r.random() < 0.6:
        s.add("Address: ").pii("ADDRESS", f.address()).add("\n")
    if f.r.random() < 0.5:
        s.add("SSN: ").pii("US_SSN", f.ssn()).add("\n")
    s.add(f"Member since: {f.date()}\nTier: gold\nPoints: {f.r.randint(0, 99999)}\n")
    return s


def payments(f: Fake) -> Sample:
    s = Sample()
    for _ in range(f.r.randint(2, 5)):
        kind = f.r.randrange(4)
        if kind == 0:
            s.add(f"charge ok  order={f.order_id()} card=").pii("CREDIT_CARD", f.card())
            s.add(f" auth_code={f.rand(6, string.ascii_uppercase + string.digits)}\n")
        elif kind == 1:
            s.add("SEPA transfer to ").pii("IBAN", f.iban()).add(
                f" amount={f.r.uniform(10, 9000):.2f} ref={f.order_id()}\n"
            )
        elif kind == 2:
            s.add(
                f"order number {f.luhn_failing_16()} shipped {f.date()} "
                f"(tracking {f.sha(10).upper()})\n"
            )
        else:
            s.add(
                f"refund {f.r.uniform(1, 300):.2f} to card ending {f.r.randint(1000, 9999)} "
                f"at {f.timestamp()}\n"
            )
    return s


def network_diag(f: Fake) -> Sample:
    s = Sample()
    s.add("eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet ")
    s.pii("IP_ADDRESS", f.ipv4()).add("  netmask 255.255.255.0  broadcast ")
    s.pii("IP_ADDRESS", f.ipv4()).add("\n        inet6 ").pii("IP_ADDRESS", f.ipv6())
    s.add("  prefixlen 64  scopeid 0x20<link>\n        ether 02:42:ac:11:00:02  txqueuelen 0\n")
    s.add(
        "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n        inet 127.0.0.1  netmask 255.0.0.0\n"
    )
    s.add("        inet6 ::1  prefixlen 128\n")
    s.add(f"rtt min/avg/max/mdev = 0.041/0.052/0.077/0.009 ms, uptime {f.duration()}\n")
    return s


def negatives_only(f: Fake) -> Sample:
    s = Sample()
    kind = f.r.randrange(6)
    if kind == 0:
        nums = " ".join(str(f.r.randint(10, 99)) for _ in range(12))
        s.add(f"array([{nums}])\n{f.r.random():.6f} {f.r.random():.6f}\n")
        s.add(f"[{' '.join(str(f.r.randint(1000, 9999)) for _ in range(6))}]\n")
    elif kind == 1:
        s.add("numpy==2.4.0\npandas==2.2.3\nrequests==2.32.3\nurllib3==2.2.1\n")
        s.add(f"somepkg==1.2.3.4\nversion 10.0.2.1\nv{f.version()}\nPython 3.11.7\n")
    elif kind == 2:
        for _ in range(4):
            s.add(f"commit {f.sha()}\nDate:   {f.timestamp()}\n    fix: bump to {f.version()}\n")
    elif kind == 3:
        s.add(f"       count        mean         std\nrows  {f.r.randint(100, 99999)}  ")
        s.add(f"{f.r.uniform(0, 100):.4f}  {f.r.uniform(0, 10):.4f}\n")
        s.add(f"Wall time: {f.duration()}\nCPU times: user 1.2 s, sys: 80 ms\n")
        s.add(f"sha256:{f.sha(64)}\n{f.uuid()}\n{f.epoch()} {f.epoch_ms()}\n")
    elif kind == 4:
        s.add(f'  File "/srv/app/main.py", line {f.r.randint(1, 9999)}, in <module>\n')
        s.add(f'    x = data[1::2]\n  File "lib.py", line {f.r.randint(1, 9999)}\n')
        s.add("std::vector<int> v; // 12:34:56\n")
        s.add(f"max_tokens=1024 token_count={f.r.randint(1, 99999)} password: ********\n")
        s.add("api_key = os.environ['API_KEY']\n")
    else:
        s.add(f"ISBN 978-3-16-148410-0  dated {f.date()}  order {f.order_id()}\n")
        s.add(f"{f.luhn_failing_16()}  {f.r.randint(10**8, 10**9)}  #ff00aa  1,048,576 bytes\n")
        s.add(f"mac 00:1a:2b:3c:4d:5e  ptr {f.pointer()}  port :{f.r.randint(1, 65535)}\n")
        s.add(
            f'{{"name": "{f.r.choice(PRODUCTS)}", "price": {f.r.uniform(1, 99):.2f}, '
            f'"sku": "{f.order_id()}"}}\n'
        )
    return s


def secrets_misc(f: Fake) -> Sample:
    s = Sample()
    kind = f.r.randrange(5)
    if kind == 0:
        s.add("key = '''\n").pii("SECRET", f.pem()).add("\n'''\n")
    elif kind == 1:
        s.add("{'token_type': 'Bearer', 'access_token': '").pii("SECRET", f.jwt())
        s.add("', 'expires_in': 3600, 'scope': 'read write'}")
    elif kind == 2:
        s.add("client = OpenAI(api_key='").pii("SECRET", f.openai_key()).add("')\n")
        s.add(f"resp.usage: prompt_tokens=812 completion_tokens=64 id=chatcmpl-{f.rand(20)}\n")
    elif kind == 3:
        s.add("$ git remote -v\norigin  https://").pii("SECRET", f.github_token())
        s.add("@github.com/acme/app.git (fetch)\n")
        s.add("origin  git@github.com:acme/app.git (push)\n")
    else:
        s.add(f'{{"service_account": "svc-{f.sha(6)}", "client_secret": "')
        s.pii("SECRET", f.rand(24, B62 + "_-")).add('", "private_key_id": "')
        s.add(f.sha(40)).add('"}\n')
    return s


def training_log(f: Fake) -> Sample:
    s = Sample()
    epochs = f.r.randint(5, 30)
    for e in range(1, f.r.randint(3, 8)):
        s.add(
            f"Epoch {e}/{epochs}\n{f.r.randint(100, 999)}/{f.r.randint(1000, 2000)} "
            f"[==============================] - {f.r.randint(3, 90)}s {f.r.randint(5, 300)}ms/step"
            f" - loss: {f.r.uniform(0, 2):.4f} - accuracy: {f.r.random():.4f} - val_loss: "
            f"{f.r.uniform(0, 2):.4f} - lr: {f.r.choice(['1e-3', '3e-4', '1.0000e-04'])}\n"
        )
    s.add(
        f"Saved checkpoint to /runs/{f.sha(8)}/ckpt-{f.r.randint(100, 99999)}.pt "
        f"({f.r.randint(10, 900)} MB, {f.timestamp()})\n"
    )
    return s


PROSE = (
    "The revenue grew by {p}% between {d1} and {d2}, driven mostly by the {w} segment. "
    "Median latency dropped from {a} ms to {b} ms after the cache was introduced in v{v}. "
    "We sampled {n} rows (seed {seed}) and dropped {k} duplicates; the remaining {m} rows "
    "were split 80/20. See table 3.{t} and section {t}.{u} for the per-region breakdown. "
    "Note that the {w} cohort is small ({k} users), so its interval is wide "
    "(±{p}%). Build {sha} passed all {n} checks in {dur}."
)


def prose(f: Fake) -> Sample:
    s = Sample()
    for _ in range(f.r.randint(1, 3)):
        s.add(
            PROSE.format(
                p=f"{f.r.uniform(0, 40):.1f}",
                d1=f.date(),
                d2=f.date(),
                w=f.r.choice(["enterprise", "self-serve", "EMEA", "mobile", "partner"]),
                a=f.r.randint(100, 900),
                b=f.r.randint(10, 99),
                v=f.version(),
                n=f.r.randint(1000, 10**6),
                seed=f.r.randint(0, 2**31),
                k=f.r.randint(1, 999),
                m=f.r.randint(1000, 10**6),
                t=f.r.randint(1, 9),
                u=f.r.randint(1, 9),
                sha=f.sha(7),
                dur=f.duration(),
            )
            + "\n\n"
        )
    return s


def code_listing(f: Fake) -> Sample:
    s = Sample()
    s.add(
        f"def moving_average(xs, window={f.r.randint(2, 50)}):\n"
        f'    """Mean of the last `window` values (see issue #{f.r.randint(100, 9999)})."""\n'
        f"    buf = collections.deque(maxlen=window)\n    out = []\n    for x in xs:\n"
        f"        buf.append(x)\n        out.append(sum(buf) / len(buf))\n    return out\n\n"
        f"MASK = 0x{f.rand(8, HEX)}\nPATTERN = re.compile(r'^v\\d+\\.\\d+\\.\\d+$')\n"
        f"TIMEOUT_S = {f.r.uniform(1, 60):.1f}\nRETRIES = {f.r.randint(1, 9)}\n"
        f"assert moving_average([1, 2, 3], 2) == [1.0, 1.5, 2.5]\n"
    )
    return s


def describe_table(f: Fake) -> Sample:
    cols = ["price", "quantity", "discount", "rating"]
    stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    rows = [[f"{f.r.uniform(0, 5000):.6f}" for _ in cols] for _ in stats]
    text, _ = _frame(cols, rows, index=stats)
    return Sample().add(text)


def notes(f: Fake) -> Sample:
    """Free-text notes as an agent might print them: names without structure (labelled, and
    mostly out of reach), contacts in parentheses, hard negatives around them."""
    s = Sample()
    person, other = f.person(), f.person()
    s.add(f"- {f.date()}: spoke with ").pii("PERSON", person).add(" (")
    s.pii("EMAIL", f.email(person)).add(", ")
    if f.r.random() < 0.25:  # a national number with no cue word: missed by design
        local = f"0{f.r.randint(20, 79)} {f.r.randint(1000, 9999)} {f.r.randint(1000, 9999)}"
        s.pii("PHONE", local)
    else:
        s.pii("PHONE", f.phone())
    s.add(f") about ticket #{f.r.randint(1000, 99999)}; follow up in {f.r.randint(2, 14)} days.\n")
    s.add("- ").pii("PERSON", other).add(f" approved the {f.r.choice(PRODUCTS)} order ")
    s.add(f"({f.order_id()}, {f.r.uniform(10, 999):.2f} EUR, v{f.version()}).\n")
    s.add(
        f"- Next review: {f.date()} at {f.r.randint(9, 17)}:00 in room {f.r.randint(100, 450)}.\n"
    )
    return s


NO_PII_TEMPLATES: tuple[Template, ...] = (
    negatives_only,
    training_log,
    prose,
    code_listing,
    describe_table,
)
TEMPLATES: tuple[Template, ...] = (
    app_log,
    json_records,
    python_repr,
    traceback_out,
    csv_table,
    env_dump,
    http_headers,
    config_file,
    dataframe,
    email_message,
    form,
    payments,
    network_diag,
    negatives_only,
    secrets_misc,
    training_log,
    prose,
    code_listing,
    describe_table,
    notes,
)


def generate(n: int, seed: int = 20240305) -> list[dict[str, object]]:
    """``n`` labelled samples, cycling through the templates; same seed, same corpus."""
    rng = random.Random(seed)
    fake = Fake(rng)
    out = []
    for i in range(n):
        template = TEMPLATES[i % len(TEMPLATES)]
        out.append(template(fake).record(f"pii_corpus:{template.__name__}#{i}"))
    return out


def kernel_text(size: int, seed: int = 7, pii_share: float = 1.0) -> str:
    """About ``size`` characters of kernel-shaped output (samples joined by blank lines).

    ``pii_share`` = 1.0 cycles through every template (PII in most samples: a worst case);
    lower values draw that share of samples from all templates and the rest from the no-PII
    ones (logs of training runs, prose, code, statistics, diagnostics).
    """
    rng = random.Random(seed)
    fake = Fake(rng)
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        if pii_share >= 1.0:
            template = TEMPLATES[i % len(TEMPLATES)]
        elif rng.random() < pii_share:
            template = rng.choice(TEMPLATES)
        else:
            template = rng.choice(NO_PII_TEMPLATES)
        text = str(template(fake).record("")["text"])
        parts.append(text)
        total += len(text) + 2
        i += 1
    return "\n\n".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--n", type=int, default=450, help="number of samples")
    parser.add_argument("--seed", type=int, default=20240305)
    args = parser.parse_args()
    records = generate(args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    spans = sum(len(r["spans"]) for r in records)  # type: ignore[arg-type]
    print(f"wrote {len(records)} samples, {spans} spans to {args.out}")


if __name__ == "__main__":
    main()
