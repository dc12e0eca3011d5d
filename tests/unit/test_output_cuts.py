"""Cut placement (line boundaries, whitespace, detected values), head/tail cuts, ANSI stripping."""

from __future__ import annotations

import re

from athena_kernel.output.ansi import strip_ansi
from athena_kernel.output.cuts import cut_point, head_tail_cut

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def email_detector(text: str) -> list[tuple[int, int, str]]:
    """A small detector with the privacy package's contract: spans of e-mail addresses."""
    return [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]


def test_backward_cut_prefers_line_boundary() -> None:
    text = "first line\nsecond line that is longer\nthird"
    at = cut_point(text, 20, detector=None)
    assert text[:at] == "first line\n"


def test_forward_cut_prefers_line_boundary() -> None:
    text = "aaaa bbbb\ncccc dddd\neeee"
    at = cut_point(text, 3, forward=True, detector=None)
    assert text[at:] == "cccc dddd\neeee"


def test_cut_inside_long_line_falls_on_whitespace() -> None:
    text = "word " * 200  # one line of 1000 chars, no newline
    at = cut_point(text, 503, detector=None)
    assert at <= 503
    assert text[at - 1] == " "


def test_cut_without_whitespace_uses_position() -> None:
    text = "x" * 2000
    assert cut_point(text, 1234, detector=None) == 1234
    assert cut_point(text, 1234, forward=True, detector=None) == 1234


def test_cut_moves_out_of_a_detected_value_backward_and_forward() -> None:
    text = "x" * 599 + "|alice.smith@example.org|" + "y" * 600  # no whitespace to cut at
    start = 600
    end = start + len("alice.smith@example.org")
    inside = start + 8
    assert cut_point(text, inside, detector=email_detector) == start
    assert cut_point(text, inside, forward=True, detector=email_detector) == end


def test_cut_accepts_span_objects_with_attributes() -> None:
    class Span:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end, self.type = start, end, "X"

    text = "z" * 1000
    at = cut_point(text, 500, detector=lambda t: [Span(len(t) // 2 - 10, len(t) // 2 + 10)])
    assert at < 500


def test_failing_detector_does_not_break_cutting() -> None:
    def broken(text: str) -> list[object]:
        raise RuntimeError("detector down")

    assert cut_point("a b c d e f", 5, detector=broken) in range(0, 6)


def test_head_tail_cut_keeps_small_text_and_marks_large_text() -> None:
    assert head_tail_cut("short", 100, lambda n, s, e: "MARK") == "short"
    text = "".join(f"line {i}\n" for i in range(1000))
    out = head_tail_cut(text, 300, lambda n, s, e: f"[{n} omitted {s}:{e}]", detector=None)
    assert len(out) <= 300
    assert out.startswith("line 0\n")
    assert out.endswith("line 999\n")
    marker = re.search(r"\[(\d+) omitted (\d+):(\d+)\]", out)
    assert marker is not None
    n, s, e = map(int, marker.groups())
    assert e - s == n
    # the marker's range is exactly what was left out
    assert out == text[:s] + marker.group(0) + "\n" + text[e:]


def test_strip_ansi_removes_colours_cursor_codes_and_links() -> None:
    coloured = (
        "\x1b[31mred\x1b[39m \x1b[38;5;28;01mbold\x1b[0m\x1b[2K\x1b]8;;http://x\x07link\x1b]8;;\x07"
    )
    assert strip_ansi(coloured) == "red boldlink"
    assert strip_ansi("plain") == "plain"
