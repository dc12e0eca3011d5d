"""E-mail addresses."""

from __future__ import annotations

import re

from .entities import EntityType, Span
from .scan import TextView

# the domain, matched from the '@' (a literal, so the engine jumps from '@' to '@')
_DOMAIN = re.compile(
    rb"@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,10}([A-Za-z]{2,24}))"
    rb"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"
)
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# internationalised local parts (RFC 6531): Latin-1 letters, and NUL, which stands for any
# character outside Latin-1 in the byte view (see scan.TextView.raw)
_LETTERS = _ALNUM | frozenset(range(0xC0, 0x100)) - {0xD7, 0xF7} | {0}
_LOCAL = _LETTERS | frozenset(b"._%+-")

#: File extensions that look like top-level domains (``icon@2x.png``, ``pkg@1.0.py``).
_FILE_EXTENSIONS = frozenset(
    b"png jpg jpeg gif svg webp bmp ico tif tiff pdf py pyc pyi js mjs ts tsx jsx css scss json "
    b"yaml yml toml ini cfg txt md rst html htm xml csv tsv log lock whl gz tgz bz2 xz zip tar "
    b"so dll exe bin sh bat ipynb rs go java kt rb php c h cc cpp hpp o a wasm map".split()
)
_SECOND_LEVEL = frozenset(b"com net org edu gov co ac or ne go mil".split())
_URL_USERINFO = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^\s/@]{0,300}\Z")
# Message-ID / Content-ID style identifiers: a UUID or a long hex/base32 run before the '@'
_ID_LOCAL_PART = re.compile(
    rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    rb"|[0-9a-fA-F.\-]{16,}|[0-9A-Za-z]{24,}\.[0-9A-Za-z.]+"
)
_ID_HEADER = re.compile(
    rb"[ \t]*(?:message-id|in-reply-to|references|content-id|x-[a-z\-]*id)[ \t]*:", re.IGNORECASE
)


def _local_start(raw: bytes, at: int) -> int | None:
    """Start of the local part ending at ``at`` (the '@'), or None if there is none."""
    i = at
    lo = max(0, at - 65)
    while i > lo and raw[i - 1] in _LOCAL:
        i -= 1
    if i == lo and lo > 0 and raw[lo - 1] in _LOCAL:
        return None  # a run of more than 64 characters: not a local part
    while i < at and raw[i] not in _LETTERS:
        i += 1
    return i if i < at else None


def detect_emails(view: TextView) -> list[Span]:
    """E-mail addresses, except URL user-info (``scheme://user:pw@host``), scp-style
    ``git@host:path`` remotes, message ids and file names such as ``icon@2x.png``."""
    if "@" not in view.text:
        return []
    raw = view.raw
    spans: list[Span] = []
    for m in _DOMAIN.finditer(raw):
        at, end = m.start(), m.end()
        start = _local_start(raw, at)
        if start is None:
            continue
        if m.group(2).lower() in _FILE_EXTENSIONS:
            labels = m.group(1).lower().split(b".")
            if len(labels) < 3 or labels[-2] not in _SECOND_LEVEL:
                continue
        if _ID_LOCAL_PART.fullmatch(raw, start, at):
            continue  # <3f2a...@mail.example.com>: a message id, not a mailbox
        line_start = raw.rfind(b"\n", 0, start) + 1
        if _ID_HEADER.match(raw, line_start):
            continue
        if (
            start
            and raw[start - 1] in b":/"
            and _URL_USERINFO.search(raw, max(0, start - 330), start)
        ):
            continue  # user-info of a URL: the URL password detector owns it
        if (
            end + 1 < len(raw)
            and raw[end] == 58
            and (raw[end + 1] in _ALNUM or raw[end + 1] in b"~/")
        ):
            continue  # git@github.com:org/repo.git
        spans.append(Span(start, end, EntityType.EMAIL, "email"))
    return spans
