"""Secrets recognisable by their shape: provider API keys, JWTs, PEM private keys,
``Authorization`` header values, HTTP Basic credentials and passwords inside URLs.

Secrets recognisable only by the name they are assigned to (``password=...``) are in
:mod:`.secret_fields`. Every pattern starts with a literal (the key's prefix, ``uthorization``,
``earer``, ``Basic``). One RE2 scan finds every occurrence of any of these literals (an
automaton reading each byte once), and only the patterns that start with the literal found are
tried there, as each pattern's own ``finditer`` would: one pass instead of about thirty.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from .checksums import char_classes, shannon_entropy
from .entities import EntityType, Span
from .placeholders import is_placeholder
from .re2_scan import latin1_re2, match_spans
from .scan import TextView

_B = rb"A-Za-z0-9_"  # word characters of keys (ASCII)

#: (rule name, the literal prefixes it starts with, pattern). Look-behinds come after the first
#: literal so the engine keeps jumping from one occurrence of the prefix to the next.
_PROVIDER_KEYS: tuple[tuple[str, tuple[bytes, ...], bytes], ...] = (
    ("aws_access_key", (b"AKIA", b"ASIA", b"ABIA", b"ACCA", b"A3T"),
     rb"A(?<![A-Za-z0-9_]A)(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])"),
    ("github", (b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"),
     rb"gh(?<![" + _B + rb"]gh)[pousr]_[A-Za-z0-9]{36,251}(?![" + _B + rb"])"),
    ("github_pat", (b"github_pat_",),
     rb"github_pat_(?<![" + _B + rb"]github_pat_)[" + _B + rb"]{22,251}(?![" + _B + rb"])"),
    ("gitlab", (b"glpat-", b"gldt-", b"glrt-"),
     rb"gl(?<![\w\-]gl)(?:pat|dt|rt)-[A-Za-z0-9_\-]{20,64}(?![\w\-])"),
    ("slack", (b"xox",), rb"xox(?<![\w\-]xox)[abposre]-[A-Za-z0-9\-]{10,250}(?![\w\-])"),
    ("slack_webhook", (b"https://hooks.slack.com/",),
     rb"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_\-]{20,200}"),
    ("discord_webhook", (b"https://discord", b"https://ptb.discord", b"https://canary.discord"),
     rb"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{5,25}/[\w\-]{40,100}"),
    # "sk_live_..." is found from "_live_"; the two letters before it are checked in _provider_span
    ("stripe", (b"_live_", b"_test_"), rb"_(?:live|test)_[A-Za-z0-9]{16,247}(?![" + _B + rb"])"),
    ("stripe_webhook", (b"whsec_",),
     rb"whsec_(?<![" + _B + rb"]whsec_)[A-Za-z0-9]{24,128}(?![" + _B + rb"])"),
    ("openai", (b"sk-",),
     rb"sk-(?<![\w\-]sk-)(?:[A-Za-z0-9]+-){0,3}[A-Za-z0-9_\-]{20,250}(?![\w\-])"),
    ("google_api_key", (b"AIza",), rb"AIza(?<![\w\-]AIza)[0-9A-Za-z_\-]{35}(?![\w\-])"),
    ("google_oauth", (b"ya29.",), rb"ya29\.[0-9A-Za-z_\-]{20,2000}(?![\w\-])"),
    ("google_client_secret", (b"GOCSPX-",), rb"GOCSPX-[0-9A-Za-z_\-]{20,64}(?![\w\-])"),
    ("npm", (b"npm_",), rb"npm_(?<![" + _B + rb"]npm_)[A-Za-z0-9]{36}(?![" + _B + rb"])"),
    ("pypi", (b"pypi-",), rb"pypi-AgE[A-Za-z0-9_\-]{50,400}(?![\w\-])"),
    ("sendgrid", (b"SG.",),
     rb"SG\.(?<![\w\-.]SG\.)[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?![\w\-])"),
    ("huggingface", (b"hf_",), rb"hf_(?<![" + _B + rb"]hf_)[A-Za-z0-9]{30,40}(?![" + _B + rb"])"),
    ("digitalocean", (b"dop_v1_", b"doo_v1_"), rb"do[op]_v1_[a-f0-9]{64}"),
    ("shopify", (b"shpat_", b"shpss_", b"shpca_", b"shppa_"),
     rb"shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"),
    ("mailgun", (b"key-",), rb"key-(?<![\w\-]key-)[0-9a-f]{32}(?![\w\-])"),
    ("jwt", (b"eyJ",),
     rb"eyJ(?<![\w\-]eyJ)[A-Za-z0-9_\-]{8,4000}\.eyJ[A-Za-z0-9_\-]{8,16000}\.[A-Za-z0-9_\-]{0,2000}"
     rb"(?![\w\-])"),
)  # fmt: skip

_COMPILED: tuple[tuple[str, tuple[bytes, ...], re.Pattern[bytes]], ...] = tuple(
    (name, literals, re.compile(pattern)) for name, literals, pattern in _PROVIDER_KEYS
)

_PEM_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 ]{0,40}?)PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(rb"-----END [A-Z0-9 ]{0,40}?PRIVATE KEY(?: BLOCK)?-----")
# a PEM body cut off by an output budget: base64 lines and "Proc-Type: ..." header lines, with
# real or escaped ("\\n", as in a JSON string) line breaks
_PEM_BODY = re.compile(
    rb"(?:(?:\r?\n|\\n)[ \t]{0,8}"
    rb"(?:[A-Za-z0-9+/=]{1,100}|[A-Za-z\-]{1,40}: [^\n\\]{0,200})?){0,2000}"
)

# "uthorization" is a literal prefix; the A/a before it is checked by the look-behind
_AUTH_VALUE = (
    rb"[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?"
    rb"(?:(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|[Dd]igest|[Nn]egotiate|[Aa]pi[Kk]ey|"
    rb"[Aa]pi-[Kk]ey|sso-key|[Kk]ey|AWS4-HMAC-SHA256)[ \t]+)?"
    rb"([^\s\"',;]{6,4000}(?:,[ \t]*[A-Za-z]+=[^\s\"',;]{1,1000}){0,4})"
)
_BEARER_VALUE = rb"(?<![\w\-]......)[ \t]+([A-Za-z0-9\-._~+/]{16,4000}=*)(?![\w\-])"
# one pattern per spelling, each starting with a literal the engine can jump to
_AUTH_HEADERS = (
    re.compile(rb"uthorization(?<=[Aa]uthorization)" + _AUTH_VALUE),
    re.compile(rb"UTHORIZATION(?<=AUTHORIZATION)" + _AUTH_VALUE),
)
_BEARERS = (
    re.compile(rb"earer(?<=[Bb]earer)" + _BEARER_VALUE),
    re.compile(rb"EARER(?<=BEARER)" + _BEARER_VALUE),
)
_BASIC = re.compile(rb"Basic(?<![\w\-]Basic)[ \t]+([A-Za-z0-9+/]{8,1000}={0,2})(?![\w\-+/=])")
_URL_PASSWORD = re.compile(rb"://[^\s:/?#@\[\]\"'<>]{0,256}:([^\s/?#@\[\]\"'<>]{1,256})@")
_AUTH_SCHEMES = frozenset(
    b"bearer basic token digest negotiate apikey api-key sso-key key aws4-hmac-sha256".split()
)


def looks_random(value: str, min_len: int) -> bool:
    """True if ``value`` (separators aside) has ``min_len``+ characters, a digit, two character
    classes and 3+ bits of entropy per character: a generated token rather than a word."""
    core = value.replace("-", "").replace("_", "")
    return (
        len(core) >= min_len
        and any(ch.isdigit() for ch in core)
        and char_classes(core) >= 2
        and shannon_entropy(core) >= 3.0
    )


#: what a rule's match becomes: (view, rule name, match) -> span, or None if it is no secret
SpanBuilder = Callable[[TextView, str, re.Match[bytes]], Span | None]


def _provider_span(view: TextView, name: str, m: re.Match[bytes]) -> Span | None:
    raw = view.raw
    start = m.start()
    if name == "stripe":
        start -= 2
        if (
            start < 0
            or raw[start : start + 2] not in (b"sk", b"rk", b"pk")
            or (start and raw[start - 1 : start].isalnum())
        ):
            return None
    if name == "openai" and not looks_random(view.text[start + 3 : m.end()], 20):
        return None  # "sk-learn-..." and other hyphenated words
    return Span(start, m.end(), EntityType.SECRET, f"secret.{name}")


def _authorization_span(view: TextView, name: str, m: re.Match[bytes]) -> Span | None:
    value = view.text[m.start(1) : m.end(1)]
    if value.lower().encode() in _AUTH_SCHEMES or is_placeholder(value):
        return None
    return Span(m.start(1), m.end(1), EntityType.SECRET, f"secret.{name}")


def _bearer_span(view: TextView, name: str, m: re.Match[bytes]) -> Span | None:
    if not looks_random(view.text[m.start(1) : m.end(1)], min_len=16):
        return None
    return Span(m.start(1), m.end(1), EntityType.SECRET, f"secret.{name}")


def _basic_auth_span(view: TextView, name: str, m: re.Match[bytes]) -> Span | None:
    try:
        decoded = base64.b64decode(m.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" in decoded and decoded.isprintable():
        return Span(m.start(1), m.end(1), EntityType.SECRET, f"secret.{name}")
    return None


#: (rule, literals it starts with, pattern, what a match becomes) for every pattern found
#: through the literal scan
_BY_LITERAL_RULES: tuple[tuple[str, tuple[bytes, ...], re.Pattern[bytes], SpanBuilder], ...] = (
    *((name, literals, pattern, _provider_span) for name, literals, pattern in _COMPILED),
    ("authorization", (b"uthorization",), _AUTH_HEADERS[0], _authorization_span),
    ("authorization", (b"UTHORIZATION",), _AUTH_HEADERS[1], _authorization_span),
    ("bearer", (b"earer",), _BEARERS[0], _bearer_span),
    ("bearer", (b"EARER",), _BEARERS[1], _bearer_span),
    ("basic_auth", (b"Basic",), _BASIC, _basic_auth_span),
)
#: literal -> indices of the rules that start with it
_RULES_OF: dict[bytes, list[int]] = {}
for _i, (_, _literals, _, _) in enumerate(_BY_LITERAL_RULES):
    for _literal in _literals:
        _RULES_OF.setdefault(_literal, []).append(_i)
#: Every literal, longest first.
LITERALS: tuple[bytes, ...] = tuple(sorted(_RULES_OF, key=len, reverse=True))
_ANY_LITERAL = latin1_re2(b"|".join(re.escape(literal) for literal in LITERALS))
#: literal -> (offset, other literal) that can start inside it ("_test_test_", "...discordop_v1_"):
#: the scan's hits do not overlap, so these are looked for at each hit
_STARTING_INSIDE: dict[bytes, tuple[tuple[int, bytes], ...]] = {
    a: tuple(
        (k, b)
        for k in range(1, len(a))
        for b in LITERALS
        if a[k:].startswith(b) or b.startswith(a[k:])
    )
    for a in LITERALS
}


def literal_hits(raw: bytes) -> list[tuple[int, bytes]]:
    """(position, literal) of every occurrence of a literal of :data:`LITERALS` in ``raw``,
    overlapping ones included, sorted."""
    hits: set[tuple[int, bytes]] = set()
    for start, end in match_spans(_ANY_LITERAL, raw):
        todo = [(start, raw[start:end])]
        while todo:
            hit = todo.pop()
            if hit in hits:
                continue
            hits.add(hit)
            pos, literal = hit
            for k, other in _STARTING_INSIDE[literal]:
                if raw.startswith(other, pos + k):
                    todo.append((pos + k, other))
    return sorted(hits)


def _literal_matches(raw: bytes) -> list[tuple[int, re.Match[bytes]]]:
    """(rule index, match) of every rule in :data:`_BY_LITERAL_RULES`, as each rule's own
    ``finditer`` would give them, tried only where its literal occurs."""
    out: list[tuple[int, re.Match[bytes]]] = []
    done = [0] * len(_BY_LITERAL_RULES)  # where each rule's finditer would resume
    for pos, literal in literal_hits(raw):
        for i in _RULES_OF[literal]:
            if pos < done[i]:
                continue
            m = _BY_LITERAL_RULES[i][2].match(raw, pos)
            if m is not None:
                out.append((i, m))
                done[i] = m.end()
    return out


def _pem_blocks(raw: bytes) -> list[Span]:
    spans: list[Span] = []
    begins = list(_PEM_BEGIN.finditer(raw))
    ends = list(_PEM_END.finditer(raw))
    e = 0
    pos = 0
    for i, begin in enumerate(begins):
        if begin.start() < pos:
            continue  # inside the previous block
        while e < len(ends) and ends[e].start() < begin.end():
            e += 1
        next_begin = begins[i + 1].start() if i + 1 < len(begins) else len(raw)
        if e < len(ends) and ends[e].start() < next_begin:
            stop = ends[e].end()
        else:  # no END marker (truncated output): take the base64 body that follows
            body = _PEM_BODY.match(raw, begin.end())
            stop = body.end() if body else begin.end()
            while stop > begin.end() and raw[stop - 1] in b" \t\r\n":
                stop -= 1
            while raw[stop - 2 : stop] == b"\\n":
                stop -= 2
        spans.append(Span(begin.start(), stop, EntityType.SECRET, "secret.private_key"))
        pos = stop
    return spans


def _url_passwords(view: TextView) -> list[Span]:
    spans: list[Span] = []
    for m in _URL_PASSWORD.finditer(view.raw):
        if not is_placeholder(view.text[m.start(1) : m.end(1)]):
            spans.append(Span(m.start(1), m.end(1), EntityType.SECRET, "secret.url_password"))
    return spans


def detect_credentials(view: TextView) -> list[Span]:
    """Provider keys, JWTs, PEM private keys, auth header values and URL passwords."""
    raw = view.raw
    spans: list[Span] = []
    for i, m in _literal_matches(raw):
        name, _, _, to_span = _BY_LITERAL_RULES[i]
        span = to_span(view, name, m)
        if span is not None:
            spans.append(span)
    if b"PRIVATE KEY" in raw:
        spans.extend(_pem_blocks(raw))
    if b"://" in raw:
        spans.extend(_url_passwords(view))
    return spans


#: The provider rules by name (for tests and documentation).
PROVIDER_RULES: tuple[str, ...] = tuple(name for name, _, _ in _PROVIDER_KEYS)
