"""Where to cut text so that no value is split: line boundaries first, then whitespace, and never
inside a span that the PII detector (``athena_kernel.privacy.detect``) finds around the cut.

The detector is imported lazily; when the privacy package is missing, cuts fall back to
whitespace. Tests and callers may pass their own ``detector`` (a callable returning spans with
``start``/``end`` attributes or ``(start, end, ...)`` tuples).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

Detector = Callable[[str], Sequence[Any]]

#: How far (in characters) a cut may move to reach a line boundary or whitespace.
CUT_WINDOW = 400
#: How far a cut inside a line may move to reach whitespace (values rarely are longer).
SPACE_WINDOW = 120
#: Characters on each side of a cut handed to the detector.
DETECT_MARGIN = 256

#: Default for ``detector`` parameters: use :func:`default_detector` (``None`` = no detection).
AUTO_DETECTOR: Any = object()
_AUTO = AUTO_DETECTOR
_detector_lock = threading.Lock()
_detector_cache: list[Detector | None] = []


def resolve_detector(detector: Detector | None) -> Detector | None:
    """``AUTO_DETECTOR`` becomes the privacy package's detector; anything else is returned."""
    return default_detector() if detector is AUTO_DETECTOR else detector


def default_detector() -> Detector | None:
    """The privacy package's ``detect`` function, or ``None`` if that package is not available."""
    with _detector_lock:
        if not _detector_cache:
            try:
                from athena_kernel.privacy import detect  # type: ignore[attr-defined]
            except Exception:  # missing package or a broken import: cut at whitespace instead
                _detector_cache.append(None)
            else:
                _detector_cache.append(detect)
        return _detector_cache[0]


def _span_bounds(span: Any) -> tuple[int, int] | None:
    start = getattr(span, "start", None)
    end = getattr(span, "end", None)
    if start is None or end is None:
        try:
            start, end = span[0], span[1]
        except (TypeError, IndexError, KeyError):
            return None
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return start, end


def _spans_near(text: str, pos: int, detector: Detector) -> list[tuple[int, int]]:
    lo = max(0, pos - DETECT_MARGIN)
    hi = min(len(text), pos + DETECT_MARGIN)
    try:
        found = detector(text[lo:hi])
    except Exception:  # a failing detector must not break output; whitespace cuts still apply
        return []
    spans = []
    for span in found or ():
        bounds = _span_bounds(span)
        if bounds is not None:
            spans.append((bounds[0] + lo, bounds[1] + lo))
    return spans


def cut_point(
    text: str,
    pos: int,
    *,
    forward: bool = False,
    window: int = CUT_WINDOW,
    detector: Detector | None = _AUTO,
) -> int:
    """A position near ``pos`` where ``text`` can be cut without splitting a value.

    Backward (default) the result is ``<= pos``: the text before it is kept (a head). Forward the
    result is ``>= pos``: the text after it is kept (a tail). Preference order: just after a
    newline within ``window`` characters, else just after whitespace within ``SPACE_WINDOW``,
    else ``pos`` itself (a cut never gives up more than half of what it keeps); the result is
    then moved out of any span the detector reports around it.
    """
    n = len(text)
    pos = max(0, min(pos, n))
    if pos in (0, n):
        return pos
    # never move further than half of what the cut keeps: a small head stays a head
    line_window = min(window, (n - pos) // 2 if forward else pos // 2)
    space_window = min(line_window, SPACE_WINDOW)
    if forward:
        nl = text.find("\n", pos - 1, pos + line_window)
        cut = nl + 1 if nl != -1 else pos
        if nl == -1:
            for i in range(pos - 1, min(n, pos + space_window)):
                if text[i].isspace():
                    cut = i + 1
                    break
    else:
        nl = text.rfind("\n", pos - line_window, pos)
        cut = nl + 1 if nl != -1 else pos
        if nl == -1:
            for i in range(pos - 1, pos - space_window - 1, -1):
                if text[i].isspace():
                    cut = i + 1
                    break
    if detector is _AUTO:
        detector = default_detector()
    if detector is not None and 0 < cut < n:
        cut = _move_out_of_spans(text, cut, forward, detector)
    return cut


def _move_out_of_spans(text: str, cut: int, forward: bool, detector: Detector) -> int:
    for _ in range(8):  # adjacent spans: a few moves at most
        inside = [(s, e) for s, e in _spans_near(text, cut, detector) if s < cut < e]
        if not inside:
            return cut
        cut = max(e for _, e in inside) if forward else min(s for s, _ in inside)
        if cut <= 0 or cut >= len(text):
            return max(0, min(cut, len(text)))
    return cut


def head_tail_cut(
    text: str,
    max_chars: int,
    marker: Callable[[int, int, int], str],
    *,
    tail_share: float = 0.3,
    detector: Detector | None = _AUTO,
) -> str:
    """Shorten ``text`` to about ``max_chars`` by keeping a head and a tail around a marker line.

    ``marker(omitted_chars, start, end)`` returns the line put in place of ``text[start:end]``;
    its length is taken out of the budget. Text that fits is returned unchanged.
    """
    if len(text) <= max_chars:
        return text
    probe = marker(len(text), 0, len(text))
    room = max(0, max_chars - len(probe) - 2)
    tail_room = int(room * tail_share)
    head_room = room - tail_room
    head_end = cut_point(text, head_room, detector=detector) if head_room else 0
    tail_start = (
        cut_point(text, len(text) - tail_room, forward=True, detector=detector)
        if tail_room
        else len(text)
    )
    if tail_start < head_end:
        tail_start = head_end
    head, tail = text[:head_end], text[tail_start:]
    line = marker(tail_start - head_end, head_end, tail_start)
    sep_before = "" if not head or head.endswith("\n") else "\n"
    sep_after = "\n" if tail else ""
    return f"{head}{sep_before}{line}{sep_after}{tail}"
