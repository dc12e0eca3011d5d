"""Compaction of Jupyter/IPython traceback lists for agents.

A traceback from IPython is a list of (ANSI-coloured) strings: a separator and header, one
entry per frame (location line plus source context), chained-exception notes, and the final
``ename: evalue`` line. Compaction strips ANSI codes, drops frames inside IPython, ipykernel,
Athena and the event loop, keeps user frames (``Cell In[3], line 2``) and library frames with only
the failing source line, shortens paths to ``site-packages/...``, and bounds the total length by
dropping middle frames — never the final exception line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .ansi import strip_ansi
from .cuts import head_tail_cut

#: Path fragments of frames that are kernel internals, not the user's or a library's code.
INTERNAL_PATH_PARTS = (
    "/IPython/",
    "/ipykernel/",
    "/ipykernel_launcher",
    "/athena_kernel/",
    "/traitlets/",
    "/tornado/",
    "/zmq/",
    "/jupyter_client/",
    "/jupyter_core/",
    "/RestrictedPython/",
    "/asyncio/",
    "/concurrent/futures/",
    "/threading.py",
    "/runpy.py",
    "<frozen runpy>",
)

_SEPARATOR = re.compile(r"^\s*-{20,}\s*$")
_CONTEXT_HEADER = re.compile(r"^\s*([A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)\s*$")
_FRAME_START = re.compile(r"^\s*(?:Cell In\[\d+\]|File |Input In \[\d+\])")
_FRAME_PATH = re.compile(r'^\s*File "?(?P<path>[^",]+?)"?(?::\d+|, line \d+| in |,|\s*$)')
_ARROW = re.compile(r"^\s*-+>")
_LONG_SIGNATURE = re.compile(r"(\bin [\w.<>]+)\([^()]{40,}\)\s*$")
_SKIPPING = re.compile(r"^\s*\[\.\.\. skipping")
_SITE = re.compile(r"(?:[^\s:,\"']*?/)?(site-packages|dist-packages)/")
_STDLIB = re.compile(r"(?:[^\s:,\"']*?/)?lib/(python3\.\d+)/")

#: Longest exception message kept in full; longer ones keep a head and tail.
MAX_EVALUE_CHARS = 2000
TRACEBACK_HEADER = "Traceback (most recent call last):"


@dataclass
class _Entry:
    text: str
    kind: str  # "frame", "final", "note", "header"
    user: bool = False


def shorten_paths(text: str) -> str:
    """Replace interpreter paths by ``site-packages/...`` and ``python3.X/...`` (shorter, and no
    home directory or user name in the output)."""
    text = _SITE.sub(r"\1/", text)
    return _STDLIB.sub(r"\1/", text)


def is_internal_frame(location: str) -> bool:
    """True when a frame's location line points into kernel machinery (see INTERNAL_PATH_PARTS)."""
    match = _FRAME_PATH.match(location)
    if not match:
        return False
    path = match.group("path").replace("\\", "/")
    return any(part in path for part in INTERNAL_PATH_PARTS)


def _compact_frame(text: str, user: bool) -> str:
    lines = text.rstrip("\n").split("\n")
    location = lines[0].strip()
    body = lines[1:]
    arrows = [ln for ln in body if _ARROW.match(ln)]
    if user and not arrows:  # e.g. a SyntaxError: source, caret line and message, verbatim
        return "\n".join([location, *[ln.rstrip() for ln in body if ln.strip()][:6]])
    # context mode marks the failing line with an arrow; plain mode shows just that line
    kept = arrows or [ln for ln in body if ln.strip() and set(ln.strip()) - set("^~ ")][:1]
    kept = [("    " + ln.strip()) for ln in kept if "Could not get source" not in ln]
    location = _LONG_SIGNATURE.sub(r"\1(…)", shorten_paths(location))
    return "\n".join([location, *kept])


def _classify(lines: Sequence[str]) -> list[_Entry]:
    entries: list[_Entry] = []
    for raw in lines:
        text = strip_ansi(str(raw))
        first = text.lstrip("\n").split("\n", 1)[0]
        if not text.strip() or _SEPARATOR.match(text):
            continue
        if _CONTEXT_HEADER.match(first) or first.strip() == TRACEBACK_HEADER:
            entries.append(_Entry(TRACEBACK_HEADER, "header"))
        elif _FRAME_START.match(first):
            user = first.lstrip().startswith(("Cell In[", "Input In ["))
            entries.append(_Entry(text, "frame", user=user))
        elif _SKIPPING.match(first):
            entries.append(_Entry(text.strip(), "note"))
        else:
            entries.append(_Entry(text.rstrip("\n"), "final"))
    return entries


def _bound_final(text: str, max_chars: int) -> str:
    return head_tail_cut(
        text,
        max_chars,
        lambda omitted, _s, _e: f"[… {omitted:,} chars of the message omitted …]",
        detector=None,
    )


def compact_traceback(
    traceback: Sequence[str],
    *,
    max_chars: int = 4000,
    drop_internal: bool = True,
    compact_frames: bool = True,
) -> list[str]:
    """Compact an IPython traceback list to at most about ``max_chars`` characters.

    ANSI codes are stripped; internal frames are dropped (``drop_internal``); frames keep their
    location and failing source line (``compact_frames``); the final exception line(s) are always
    kept (a very long message keeps its head and tail). When the result is still too long, frames
    are dropped from the middle, keeping the outermost user frame and the innermost frames, with
    a line saying how many were left out.
    """
    entries = _classify(traceback)
    out: list[_Entry] = []
    for entry in entries:
        if entry.kind == "frame":
            if drop_internal and not entry.user and is_internal_frame(entry.text.lstrip("\n")):
                continue
            text = _compact_frame(entry.text, entry.user) if compact_frames else entry.text
            out.append(_Entry(text.rstrip("\n"), "frame", entry.user))
        elif entry.kind == "header":
            if out and out[-1].kind == "header":
                continue
            out.append(entry)
        else:
            out.append(entry)
    # a header directly followed by nothing useful (all frames internal) stays: it frames the error
    return _fit(out, max_chars)


def _size(entries: Sequence[_Entry]) -> int:
    return sum(len(e.text) + 1 for e in entries)


def _omitted_line(count: int) -> str:
    return f"[… {count} traceback entr{'y' if count == 1 else 'ies'} omitted …]"


def _fit(entries: list[_Entry], max_chars: int) -> list[str]:
    if _size(entries) <= max_chars:
        return [e.text for e in entries]
    # the final segment (after the last frame) is essential; bound each of its entries
    last_frame = max((i for i, e in enumerate(entries) if e.kind == "frame"), default=-1)
    essential = entries[last_frame + 1 :]
    share = max(200, min(MAX_EVALUE_CHARS, max_chars // max(1, len(essential))))
    essential = [_Entry(_bound_final(e.text, share), e.kind) for e in essential]
    head = entries[: last_frame + 1]
    frames = [i for i, e in enumerate(head) if e.kind == "frame"]
    order: list[int] = []
    if frames:
        order.append(frames[-1])  # innermost: where the error happened
    first_user = next((i for i in frames if head[i].user), None)
    if first_user is not None and first_user not in order:
        order.append(first_user)  # outermost user frame: which cell line started it
    order += [i for i, e in enumerate(head) if e.kind != "frame"]  # headers, chained notes
    order += [i for i in reversed(frames) if i not in order]
    room = max_chars - _size(essential)
    keep = [False] * len(head)
    for i in order:
        cost = len(head[i].text) + 1
        if cost + len(_omitted_line(10_000)) <= room:
            keep[i] = True
            room -= cost
    result: list[str] = []
    skipped = 0
    for i, e in enumerate(head):
        if keep[i]:
            if skipped:
                result.append(_omitted_line(skipped))
                skipped = 0
            result.append(e.text)
        else:
            skipped += 1
    if skipped:
        result.append(_omitted_line(skipped))
    result.extend(e.text for e in essential)
    return result


def plain_traceback_text(traceback: Sequence[str]) -> str:
    """The traceback as plain text (ANSI stripped, entries joined by newlines) for the archive."""
    return "\n".join(strip_ansi(str(line)).rstrip("\n") for line in traceback)


def bound_evalue(evalue: str, max_chars: int = MAX_EVALUE_CHARS) -> str:
    """An exception message bounded to ``max_chars`` (head and tail kept, ANSI stripped)."""
    return _bound_final(strip_ansi(evalue), max_chars)


def map_traceback(traceback: Sequence[str], transform: Callable[[str], str]) -> list[str]:
    """Apply ``transform`` to every traceback entry."""
    return [transform(str(line)) for line in traceback]


def fit_error(
    ename: str, evalue: str, traceback: Sequence[str], max_chars: int, *, compact: bool
) -> tuple[tuple[str, str, list[str]], bool]:
    """``((ename, evalue, traceback), truncated)`` for an error message within ``max_chars``.

    ``compact`` (agent profile): always compacted, ``truncated`` says whether the budget made
    it drop entries. Otherwise the traceback is kept as it is (colours included) when it fits,
    and cut without dropping internal frames when it does not.
    """
    if compact:
        fitted = compact_traceback(traceback, max_chars=max_chars)
        full = compact_traceback(traceback, max_chars=10**12)
        return (ename, bound_evalue(evalue), fitted), fitted != full
    if sum(len(str(line)) for line in traceback) <= max_chars:
        return (ename, evalue, list(traceback)), False
    fitted = compact_traceback(
        traceback, max_chars=max_chars, drop_internal=False, compact_frames=False
    )
    return (ename, bound_evalue(evalue), fitted), True
