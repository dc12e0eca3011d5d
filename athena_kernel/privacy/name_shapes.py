"""Does a value look like a person's name or a postal address? Is a record about people?"""

from __future__ import annotations

import re

from .wordlists import words as _words

_PARTICLES = _words(
    """
    van von de da del della der den di du le la bin binti ibn al el dos das do ter ten y e
    st st. mc
    """
)
#: Capitalised words that are not names: product, tech and organisation words.
_NOT_NAME_WORDS = _words(
    """
    none null nan n/a na unknown anonymous admin administrator root system default test
    testing tests main master build deploy deployment service services server client
    production staging development dev prod python linux windows docker kubernetes jupyter
    athena memory data dataset model models project example sample demo name new untitled
    total summary report team support noreply no-reply notifications notification info bot
    newsletter sales billing inc inc. llc ltd ltd. corp corp. co co. company group github
    google microsoft amazon apple the and of for in on at to by with from true false yes no
    ok error warning user users guest owner manager customer widget gadget product products
    item items store shop api app application web mobile desktop version release config
    settings home index table column value key field string number list dict object class
    function method module package library file folder directory page post article document
    task job pipeline workflow queue worker agent assistant chatgpt claude openai anthropic
    pro plus max mini ultra premium basic standard free enterprise edition beta alpha street
    road avenue city state county country bank university school hospital college department
    office center centre foundation institute association society club labs lab systems
    solutions technologies software network networks cloud platform
    """
)
_NAME_CHARS = re.compile(r"^[^\W\d_][^\W\d_ '’.,\-]*(?:[ '’.,\-]{1,2}[^\W\d_][^\W\d_'’.\-]*)*\.?$")

_HOSTPORT = re.compile(r"^[\w.\-]+:\d{1,5}$")
_HEXISH = re.compile(r"^(?:0x)?[0-9a-fA-F:.\-]+$")

#: Words in a record that say it is about a person (matched in lower-case bytes).
# every alternative starts with a literal (a word-start check comes after its first letter), so
# the engine skips from one candidate letter to the next instead of trying every position
PERSON_HINT = re.compile(
    rb"e-?mail|phone|mobile|t(?<![a-z]t)el(?![a-z])|address|street|c(?<![a-z]c)ity|"
    rb"z(?<![a-z]z)ip|postcode|postal|birth|d(?<![a-z]d)ob(?![a-z])|a(?<![a-z]a)ge(?![a-z])|gender|"
    rb"s(?<![a-z]s)sn(?![a-z])|salary|customer|patient|employee|member|contact|person|people|"
    rb"passenger|student|guest|spouse|surname|first.?name|last.?name|u(?<![a-z]u)ser(?![a-z])|"
    rb"author|@[a-z0-9\-]+\.[a-z]"
)


def looks_like_person_name(value: str, strict: bool) -> bool:
    """True if ``value`` could be a person's name.

    ``strict`` (a generic field such as ``name``/``author``): 1-4 words, each capitalised (or
    a particle such as ``van``/``de``), none a common product/tech/organisation word.
    Otherwise (``first_name``, ``customer_name``...): 1-6 words of letters, any case.
    """
    value = value.strip()
    if not value or len(value) > 80 or not _NAME_CHARS.match(value):
        return False
    words = value.replace(",", " ").split()
    if not strict:
        return 1 <= len(words) <= 6 and sum(ch.isalpha() for ch in value) >= 2
    if not 1 <= len(words) <= 4:
        return False
    letters = 0
    for word in words:
        low = word.lower()
        if low in _NOT_NAME_WORDS:
            return False
        if low in _PARTICLES:
            continue
        if not word[0].isupper():
            return False
        letters = max(letters, sum(ch.isalpha() for ch in word))
    return letters >= 2


def looks_like_address(value: str, strict: bool) -> bool:
    """True if ``value`` could be a postal address (not an IP, host:port, e-mail, URL, pointer).

    ``strict`` (a bare ``address`` field): also needs a letter, a digit and two words.
    """
    value = value.strip()
    if len(value) < 3 or len(value) > 300 or "@" in value or "://" in value:
        return False
    if _HOSTPORT.match(value) or _HEXISH.match(value):
        return False
    has_letter = any(ch.isalpha() for ch in value)
    if not has_letter:
        return False
    if strict:
        return any(ch.isdigit() for ch in value) and len(value.replace(",", " ").split()) >= 2
    return True


def person_hint_in_record(lower: bytes, start: int, end: int, window: int = 300) -> bool:
    """True if a person hint (``email``, ``phone``, ``age``...) occurs in the record around
    ``lower[start:end]``: inside the innermost ``{...}`` that encloses it, else within the
    paragraph (no blank line in between), and at most ``window`` characters away.
    ``lower`` is the lower-cased byte view of the text (see :class:`.scan.TextView`)."""
    lo = max(
        lower.rfind(b"{", max(0, start - window), start),
        lower.rfind(b"\n\n", max(0, start - window), start),
        start - window,
        0,
    )
    hi = len(lower)
    for stop in (lower.find(b"}", end, end + window), lower.find(b"\n\n", end, end + window)):
        if stop >= 0:
            hi = min(hi, stop)
    hi = min(hi, end + window)
    return PERSON_HINT.search(lower, lo, start) is not None or (
        PERSON_HINT.search(lower, end, hi) is not None
    )
