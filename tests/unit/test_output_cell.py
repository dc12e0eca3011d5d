"""CellOutput: the per-execution budget across all output roads."""

from __future__ import annotations

import random
import re
import threading
import time
import tracemalloc
from typing import Any

import pytest

from athena_kernel.output.archive import OutputArchive
from athena_kernel.output.cell import LINE_HOLD_CAP, CellOutput, Piece

MARKER = re.compile(
    r"\[… ([\d,]+) chars? of output omitted — see them with %output (\d+) --range (\d+):(\d+)"
    r" \(or _output\(\2\) for all of it\) …\]"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Client:
    """Collects what a kernel would send for one CellOutput, in order."""

    def __init__(self, cell: CellOutput) -> None:
        self.cell = cell
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def stream(self, name: str, text: str) -> None:
        out = self.cell.stream(name, text)
        if out is not None:
            self.sent.append(("stream", {"name": name, "text": out}))

    def bundle(self, kind: str, data: dict[str, Any], metadata: dict[str, Any] | None = None):
        self.pieces(self.cell.release_partial())
        out = self.cell.bundle(kind, data, metadata or {}, {"extra": kind})
        if out is not None:
            self.sent.append((kind, {"data": out[0], "metadata": out[1], "extra": kind}))

    def error(self, ename: str, evalue: str, tb: list[str]) -> tuple[str, str, list[str]]:
        self.pieces(self.cell.flush())
        out = self.cell.error(ename, evalue, tb)
        self.sent.append(("error", {"ename": out[0], "evalue": out[1], "traceback": out[2]}))
        return out

    def pieces(self, pieces: list[Piece]) -> None:
        self.sent.extend((p.msg_type, p.content) for p in pieces)

    def finish(self) -> None:
        self.pieces(self.cell.finish())

    def text(self) -> str:
        """Everything a text-reading agent would see, in order."""
        parts = []
        for kind, content in self.sent:
            if kind == "stream":
                parts.append(content["text"])
            elif kind == "error":
                parts.append("\n".join(content["traceback"]) + "\n")
            else:
                parts.append(content["data"].get("text/plain", "") + "\n")
        return "".join(parts)

    def stream_text(self, name: str = "stdout") -> str:
        return "".join(c["text"] for k, c in self.sent if k == "stream" and c["name"] == name)


def make_cell(budget: int | None = 2000, n: int = 7, **kw: Any) -> tuple[CellOutput, OutputArchive]:
    archive = kw.pop("archive", None) or OutputArchive(1_000_000)
    cell = CellOutput(execution_count=n, budget=budget, archive=archive, detector=None, **kw)
    return cell, archive


def email_tokens() -> Any:
    """A stable tokenizer for e-mail addresses (same contract as Vault.tokenize)."""
    table: dict[str, str] = {}

    def tokenize(text: str) -> str:
        return EMAIL.sub(lambda m: table.setdefault(m.group(0), f"[EMAIL_{len(table) + 1}]"), text)

    return tokenize


# ------------------------------------------------------------------ small outputs pass unchanged
def test_small_outputs_are_byte_identical_on_every_road() -> None:
    cell, _ = make_cell(100_000, compact_tracebacks=False)
    client = Client(cell)
    client.stream("stdout", "hello ")
    client.stream("stdout", "world\nsecond line\n")
    client.stream("stderr", "a warning\n")
    html = {"text/plain": "<Table>", "text/html": "<table><tr><td>1</td></tr></table>"}
    client.bundle("display_data", html, {"text/html": {"isolated": True}})
    client.bundle("execute_result", {"text/plain": "42"})
    tb = [
        "\x1b[31m---\x1b[39m",
        "Cell \x1b[32mIn[1], line 1\x1b[39m\n----> 1 1/0\n",
        "ZeroDivisionError: x",
    ]
    assert client.error("ZeroDivisionError", "division by zero", tb) == (
        "ZeroDivisionError",
        "division by zero",
        tb,
    )
    client.stream("stdout", "no newline at the end")
    client.finish()
    assert client.stream_text() == "hello world\nsecond line\nno newline at the end"
    assert client.stream_text("stderr") == "a warning\n"
    bundles = [c for k, c in client.sent if k in ("display_data", "execute_result")]
    assert bundles[0]["data"] == html
    assert bundles[0]["metadata"] == {"text/html": {"isolated": True}}
    assert bundles[1]["data"] == {"text/plain": "42"}
    stats = cell.stats()
    assert stats["truncated"] is False
    assert stats["items_truncated"] == stats["items_dropped"] == stats["chars_omitted"] == 0
    assert stats["retrieve"] is None


def test_output_exactly_at_the_budget_is_not_truncated() -> None:
    cell, _ = make_cell(1000)
    client = Client(cell)
    text = "".join(f"{i:04d}" + "x" * 15 + "\n" for i in range(50))  # 50 lines of 20 chars
    assert len(text) == 1000
    for line in text.splitlines(keepends=True):
        client.stream("stdout", line)
    client.finish()
    assert client.stream_text() == text
    assert cell.stats()["truncated"] is False


# ------------------------------------------------------------------ truncation, marker, tail
def test_large_stream_keeps_head_and_tail_with_a_retrieval_marker() -> None:
    cell, archive = make_cell(2000)
    client = Client(cell)
    full = "".join(f"line {i} " + "." * 30 + "\n" for i in range(2000))
    for i in range(0, len(full), 4096):  # arbitrary batch boundaries, mostly mid-line
        client.stream("stdout", full[i : i + 4096])
    client.finish()
    shown = client.stream_text()
    assert len(shown) <= 2000
    assert shown.startswith("line 0 ")
    assert shown.endswith("line 1999 " + "." * 30 + "\n")
    markers = MARKER.findall(shown)
    assert len(markers) == 1
    omitted, n, start, end = markers[0]
    omitted_chars, start, end = int(omitted.replace(",", "")), int(start), int(end)
    assert n == "7"
    assert end - start == omitted_chars
    # head + omitted + tail reconstructs the full output exactly
    head, tail = shown.split(MARKER.search(shown).group(0) + "\n")  # type: ignore[union-attr]
    assert head + archive.get(7, start, end) + tail == full
    assert archive.get(7) == full
    # whole lines on both sides of the marker
    assert head.endswith("\n") and tail.startswith("line ")
    stats = cell.stats()
    assert stats["truncated"] is True
    assert stats["chars_in"] == len(full)
    assert stats["chars_omitted"] == omitted_chars
    assert stats["chars_out"] == len(shown)
    assert stats["items_truncated"] == 1
    assert stats["retrieve"] == "%output 7"


def test_budget_spans_mixed_roads_and_keeps_order() -> None:
    cell, archive = make_cell(2000)
    client = Client(cell)
    client.stream("stdout", "start\n")
    client.bundle("display_data", {"text/plain": "D" * 900})  # fits the head: sent at once
    assert client.sent[-1][0] == "display_data"
    for i in range(300):
        client.stream("stdout" if i % 3 else "stderr", f"progress {i}\n")
        if i == 150:
            client.bundle("display_data", {"text/plain": "E" * 900})  # over budget: dropped
    client.bundle("execute_result", {"text/plain": "the final answer"})
    client.finish()
    text = client.text()
    assert len(text) <= 2000
    assert text.startswith("start\n" + "D" * 900 + "\n")
    assert "E" * 900 not in text
    assert text.splitlines()[-1] == "the final answer"
    assert len(MARKER.findall(text)) == 1
    # the omitted range covers what was dropped between head and tail, including the display
    _, _, start, end = MARKER.search(text).groups()  # type: ignore[union-attr]
    omitted = archive.get(7, int(start), int(end))
    assert omitted.startswith("progress") and "E" * 900 + "\n" in omitted
    assert [k for k, _ in client.sent][-1] == "execute_result"
    stats = cell.stats()
    assert stats["items_in"] == 5  # stdout, stderr, three bundles
    assert stats["items_dropped"] == 1


def test_held_output_that_ends_within_budget_is_released_unchanged() -> None:
    cell, _ = make_cell(2000)
    client = Client(cell)
    lines = [f"row {i:03d} " + "-" * 30 + "\n" for i in range(45)]  # 45*39 = 1755 chars
    for line in lines:
        client.stream("stdout", line)
    assert len(client.stream_text()) < 1755  # part was held back (past the head limit)
    client.finish()
    assert client.stream_text() == "".join(lines)
    assert not MARKER.search(client.text())


def test_single_huge_value_gets_cut_inside_with_its_own_marker() -> None:
    cell, archive = make_cell(2000)
    client = Client(cell)
    plain = "".join(f"item {i}\n" for i in range(5000))
    html = "<p>" * 10_000
    client.bundle("execute_result", {"text/plain": plain, "text/html": html})
    client.finish()
    (kind, content), *rest = client.sent
    assert kind == "execute_result" and not rest
    data = content["data"]
    assert set(data) == {"text/plain"}
    assert len(data["text/plain"]) <= 2000
    assert data["text/plain"].startswith("item 0\n")
    assert "text/html not shown (30,000 chars)" in data["text/plain"]
    omitted, _, start, end = MARKER.search(data["text/plain"]).groups()  # type: ignore[union-attr]
    assert int(end) - int(start) == int(omitted.replace(",", ""))
    assert archive.get(7, int(start), int(end)) in plain
    assert content["extra"] == "execute_result"


def test_error_is_sent_immediately_and_keeps_its_final_line_over_budget() -> None:
    cell, _ = make_cell(500)
    client = Client(cell)
    for i in range(200):
        client.stream("stdout", f"noise {i}\n")
    frames = [
        f"File /site-packages/lib/mod{i}.py:{i}, in f{i}()\n----> {i} f{i + 1}()\n"
        for i in range(300)
    ]
    tb = ["Traceback (most recent call last):", *frames, "ValueError: the real problem"]
    ename, evalue, out_tb = client.error("ValueError", "the real problem", tb)
    assert out_tb[-1] == "ValueError: the real problem"
    assert sum(len(x) for x in out_tb) <= 1000  # ERROR_FLOOR for a 500-char budget
    assert any("traceback entries omitted" in line for line in out_tb)
    # held noise came out (as marker + tail) before the error
    kinds = [k for k, _ in client.sent]
    assert kinds.index("error") == len(kinds) - 1
    assert MARKER.search(client.stream_text())
    assert cell.reply_error("ValueError", "the real problem", tb) == (ename, evalue, out_tb)
    client.finish()
    assert cell.stats()["items_truncated"] >= 2


# ------------------------------------------------------------------ lines and values stay whole
def test_value_split_across_batches_is_tokenized_whole() -> None:
    cell, archive = make_cell(None, text_transform=email_tokens())
    client = Client(cell)
    client.stream("stdout", "contact: alice.sm")
    client.stream("stdout", "ith@example.org, ")
    client.stream("stdout", "bob@example.net\nnext: alice.smith@example.org\n")
    client.finish()
    shown = client.stream_text()
    assert shown == "contact: [EMAIL_1], [EMAIL_2]\nnext: [EMAIL_1]\n"
    assert "example" not in shown
    assert "alice.smith@example.org" in archive.get(7)  # the archive keeps the raw text


def test_transform_applies_to_bundles_json_errors_and_markers() -> None:
    def shout(text: str) -> str:
        return text.replace("secret", "[SECRET_1]")

    cell, _ = make_cell(300, text_transform=shout)
    client = Client(cell)
    client.bundle(
        "display_data",
        {"text/plain": "a secret", "application/json": {"secret": ["secret", 1]}},
    )
    client.error(
        "KeyError", "'secret'", ["Traceback (most recent call last):", "KeyError: 'secret'"]
    )
    for _ in range(100):
        client.stream("stdout", "the secret is out\n")
    client.finish()
    assert "secret" not in repr(client.sent)
    assert "[SECRET_1]" in client.stream_text()


def test_failing_transform_withholds_text_instead_of_leaking_it() -> None:
    def broken(text: str) -> str:
        raise RuntimeError("vault unavailable")

    cell, _ = make_cell(None, text_transform=broken)
    client = Client(cell)
    client.stream("stdout", "alice@example.org\n")
    client.finish()
    assert "alice" not in client.stream_text()
    assert "output withheld" in client.stream_text()
    assert cell.stats()["transform_failures"] == 1


def test_newline_free_flood_still_flows_in_bounded_pieces() -> None:
    cell, archive = make_cell(None)
    client = Client(cell)
    chunk = ("abcdefghij" * 99 + " ") * 2  # 2,000 chars, spaces but no newlines
    released_before_finish = 0
    for _ in range(100):
        client.stream("stdout", chunk)
        released_before_finish = len(client.stream_text())
        assert 100 * len(chunk) - released_before_finish <= 100 * len(chunk)
    held = 100 * len(chunk) - released_before_finish
    assert held <= LINE_HOLD_CAP  # at most one capped incomplete line waits
    assert released_before_finish > 0
    client.finish()
    assert client.stream_text() == chunk * 100
    assert archive.get(7) == chunk * 100


def test_ten_megabytes_in_bounded_memory_and_time() -> None:
    archive = OutputArchive(2_000_000)
    cell = CellOutput(execution_count=1, budget=2000, archive=archive, detector=None)
    client = Client(cell)
    line = "0123456789" * 9 + "abcdefghi\n"  # 100 chars
    batch_size = len(line) * 2000  # 200 KB per batch, like a 0.2 s flush of a fast loop
    tracemalloc.start()
    t0 = time.perf_counter()
    for b in range(50):  # 10 MB, a new string per batch as a real kernel receives them
        client.stream("stdout", f"{b:09d}" + line[9:] + line * 1999)
    client.finish()
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(client.text()) <= 2000
    assert cell.stats()["chars_in"] == 10_000_000
    assert archive.retained_chars <= 2_000_000
    # bounded: the archive cap plus a few batches, never the whole 10 MB
    assert peak < 2_000_000 + 4 * batch_size, peak
    assert elapsed < 20, elapsed  # generous guard against quadratic work, not a benchmark


# ------------------------------------------------------------------ binary data
# a 3×2 grey PNG (signature, IHDR, IDAT, IEND with valid CRCs), as Jupyter carries it
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAAAAAC4HznGAAAAC0lEQVR4nGNggAAAAAgAAbdYc5UAAAAASUVORK5CYII="
)


@pytest.mark.parametrize(("summarize", "kept"), [(True, False), (False, True)])
def test_binary_payload_is_described_or_kept(summarize: bool, kept: bool) -> None:
    cell, archive = make_cell(2000, summarize_binary=summarize)
    client = Client(cell)
    client.bundle(
        "display_data",
        {"image/png": PNG_B64, "text/plain": "<Figure size 3x2>"},
        {"image/png": {"width": 3, "height": 2}},
    )
    client.finish()
    data = client.sent[0][1]["data"]
    metadata = client.sent[0][1]["metadata"]
    assert ("image/png" in data) is kept
    if kept:
        assert data == {"image/png": PNG_B64, "text/plain": "<Figure size 3x2>"}
        assert metadata == {"image/png": {"width": 3, "height": 2}}
    else:
        assert data["text/plain"].startswith("<Figure size 3x2>\n[image/png 3×2, 68 B — not shown")
        assert metadata == {}
    assert cell.stats()["binary_summarized"] == (0 if kept else 1)
    assert "[image/png 3×2" in archive.get(7)


# ------------------------------------------------------------------ threads, late output, notices
def test_one_cell_fed_from_two_threads_loses_and_mixes_nothing() -> None:
    cell, archive = make_cell(None)
    client = Client(cell)
    lock = threading.Lock()  # only guards the test's own list
    results: list[tuple[str, dict[str, Any]]] = []
    errors: list[BaseException] = []

    def streams() -> None:
        try:
            for i in range(3000):
                out = cell.stream("stdout", f"stream line {i}\n")
                if out:
                    with lock:
                        results.append(("stream", {"text": out}))
        except BaseException as exc:
            errors.append(exc)

    def bundles() -> None:
        try:
            for i in range(1000):
                out = cell.bundle("display_data", {"text/plain": f"bundle {i}"})
                if out:
                    with lock:
                        results.append(("display_data", {"data": out[0]}))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=streams), threading.Thread(target=bundles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.finish()
    assert not errors
    streamed = "".join(c["text"] for k, c in results if k == "stream")
    streamed += client.stream_text()
    assert streamed == "".join(f"stream line {i}\n" for i in range(3000))
    shown = [c["data"]["text/plain"] for k, c in results if k == "display_data"]
    assert shown == [f"bundle {i}" for i in range(1000)]
    assert cell.stats()["chars_in"] == len(streamed) + sum(map(len, shown))
    assert len(archive.get(7)) == len(streamed) + sum(len(s) + 1 for s in shown)


def test_one_cell_fed_from_two_threads_under_a_budget_stays_within_it() -> None:
    cell, _ = make_cell(3000)
    client = Client(cell)

    def feed(name: str) -> None:
        for i in range(2000):
            out = cell.stream(name, f"{name} {i}\n")
            if out:
                client.sent.append(("stream", {"name": name, "text": out}))  # list.append is atomic

    threads = [threading.Thread(target=feed, args=(n,)) for n in ("stdout", "stderr")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.finish()
    text = client.text()
    assert len(text) <= 3000
    assert len(MARKER.findall(text)) == 1
    for line in text.splitlines():  # every line whole: never two writers mixed in one line
        assert re.fullmatch(r"(stdout|stderr) \d+|\[… .* …\]", line), line


def test_late_output_passes_while_budget_remains_then_is_noted_once() -> None:
    cell, archive = make_cell(200)
    client = Client(cell)
    client.stream("stdout", "done\n")
    client.finish()
    assert cell.stream("stdout", "background 1\n") == "background 1\n"
    note = cell.stream("stdout", "x" * 500 + "\n")
    assert note is not None and "after the cell finished" in note and "%output 7" in note
    assert cell.stream("stdout", "more\n") is None
    assert cell.bundle("display_data", {"text/plain": "y" * 500}) is None
    assert archive.get(7).endswith("more\ny" * 1 + "y" * 499 + "\n")


def test_notices_come_first_and_are_in_stats() -> None:
    cell, _ = make_cell(2000, notices=["bad option"])
    client = Client(cell)
    client.stream("stdout", "hi\n")
    client.finish()
    assert client.sent[-1] == ("stream", {"name": "stderr", "text": "[athena] bad option\n"})
    assert cell.stats()["notices"] == ["bad option"]
    cell2, _ = make_cell(2000, notices=["bad option"])
    assert cell2.release_partial()[0].content["text"] == "[athena] bad option\n"


def test_budget_can_be_raised_for_a_retrieval_and_value_budget_shrinks() -> None:
    cell, _ = make_cell(2000)
    assert cell.value_budget() == 2000 - 200
    cell.stream("stdout", "a" * 999 + "\n")
    assert cell.value_budget() == 2000 - 200 - 1000
    cell.set_budget(50_000)
    client = Client(cell)
    client.stream("stdout", "b" * 20_000 + "\n")
    client.finish()
    assert not MARKER.search(client.text())
    cell.set_budget(0)
    assert cell.budget is None and cell.value_budget() is None


def test_bad_arguments_are_rejected_clearly() -> None:
    cell, _ = make_cell()
    with pytest.raises(ValueError, match="kind must be one of"):
        cell.bundle("stream", {"text/plain": "x"})
    with pytest.raises(TypeError, match="MIME bundle"):
        cell.bundle("display_data", "text")  # type: ignore[arg-type]


# ------------------------------------------------------------------ randomized invariants
@pytest.mark.parametrize("seed", range(0, 300, 3))
def test_random_mixed_output_keeps_the_invariants(seed: int) -> None:
    """Random interleavings of streams (with and without newlines, mid-line batches) and
    bundles: never more than the budget (plus one marker line for tiny budgets), markers whose
    ranges are exact, and an unlimited budget that changes nothing."""
    rnd = random.Random(seed)
    budget = rnd.choice([1, 10, 100, 300, 1000, 2000, 5000, None])
    archive = OutputArchive(10**7)
    cell = CellOutput(execution_count=1, budget=budget, archive=archive, detector=None)
    client = Client(cell)
    written = {"stdout": "", "stderr": ""}
    for _ in range(rnd.randint(0, 40)):
        if rnd.random() < 0.75:
            name = rnd.choice(["stdout", "stdout", "stderr"])
            alphabet = "ab cd\n" if rnd.random() < 0.5 else "xyz"
            text = "".join(rnd.choices(alphabet, k=rnd.choice([1, 5, 30, 200, 3000, 20000])))
            client.stream(name, text)
            written[name] += text
        else:
            size = rnd.choice([1, 50, 500, 5000])
            data = {"text/plain": "p" * size}
            if rnd.random() < 0.5:
                data["text/html"] = "<b>" * size
            client.bundle(rnd.choice(["display_data", "execute_result"]), data)
    client.finish()
    stats = cell.stats()
    if budget is None:
        assert client.stream_text() == written["stdout"]
        assert client.stream_text("stderr") == written["stderr"]
        assert stats["truncated"] is False
    else:
        assert stats["chars_out"] <= budget + (0 if budget >= 1000 else 120)
    for match in MARKER.finditer(client.text()):
        omitted, _, start, end = match.groups()
        assert int(end) - int(start) == int(omitted.replace(",", ""))
        assert len(archive.get(1, int(start), int(end))) == int(end) - int(start)
