"""OutputFilter (settings, request options, lifecycle, retrieval) and the IOPub hook adapters,
driven with Jupyter message dicts shaped like ipykernel's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from athena_kernel.config import AthenaSettings
from athena_kernel.output import IOPubHooks, OutputFilter, OutputNotAvailable, Piece

MARKER = re.compile(r"%output (\d+) --range (\d+):(\d+)")


def message(msg_type: str, parent_id: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "header": {"msg_id": f"out-{id(content)}", "msg_type": msg_type},
        "msg_type": msg_type,
        "parent_header": {"msg_id": parent_id, "msg_type": "execute_request"},
        "metadata": {},
        "content": content,
    }


class FakeIOPub:
    """Records what the kernel publishes: messages that passed the hooks and out-of-band
    pieces sent through ``send``."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []

    def send(self, piece: Piece, parent: Any) -> None:
        assert parent["msg_id"]
        self.published.append((piece.msg_type, piece.content))

    def passed(self, msg: dict[str, Any] | None) -> None:
        if msg is not None:
            self.published.append((msg["msg_type"], msg["content"]))

    def text(self) -> str:
        parts = []
        for kind, content in self.published:
            if kind == "stream":
                parts.append(content["text"])
            elif kind == "error":
                parts.append("\n".join(content["traceback"]) + "\n")
            elif "data" in content:
                parts.append(content["data"].get("text/plain", "") + "\n")
        return "".join(parts)


def settings(profile: str, **kw: Any) -> AthenaSettings:
    return AthenaSettings(environ={}, profile=profile, **kw)


def test_from_settings_uses_profile_defaults() -> None:
    agent = OutputFilter.from_settings(settings("agent"))
    human = OutputFilter.from_settings(settings("human"))
    assert (agent.max_output_chars, agent.summarize_binary, agent.compact_tracebacks) == (
        2000,
        True,
        True,
    )
    assert (human.max_output_chars, human.summarize_binary, human.compact_tracebacks) == (
        100_000,
        False,
        False,
    )
    assert agent.archive.max_chars == 20_000_000
    assert agent.retrieval_budget() == 16_000


def test_request_metadata_sets_budget_binary_and_notices() -> None:
    f = OutputFilter.from_settings(settings("agent"))
    cell = f.begin("r1", 1, {"athena": {"max_output_chars": 8000, "binary": True}})
    assert cell.budget == 8000 and cell.summarize_binary is False
    bad = f.begin("r2", 2, {"athena": {"max_output_chars": "lots"}})
    assert bad.budget == 2000
    assert "max_output_chars" in bad.stats()["notices"][0]


def test_hooks_route_all_roads_and_finish_reports_stats() -> None:
    f = OutputFilter(max_output_chars=1500)
    iopub = FakeIOPub()
    hooks = IOPubHooks(f, iopub.send)
    f.begin("exec-7", 7)
    for i in range(400):
        msg = message("stream", "exec-7", {"name": "stdout", "text": f"step {i}\n"})
        iopub.passed(hooks.stream_hook(msg))
    result = message(
        "execute_result",
        "exec-7",
        {"data": {"text/plain": "'done'"}, "metadata": {}, "execution_count": 7},
    )
    iopub.passed(hooks.display_hook(result))
    stats = hooks.finish({"msg_id": "exec-7"})
    text = iopub.text()
    assert len(text) <= 1500
    assert text.startswith("step 0\n") and text.endswith("'done'\n")
    assert iopub.published[-1] == (
        "execute_result",
        {"data": {"text/plain": "'done'"}, "metadata": {}, "execution_count": 7},
    )
    n, start, end = map(int, MARKER.search(text).groups())  # type: ignore[union-attr]
    assert n == 7
    assert f.retrieve(f"7 --range {start}:{end}") == f.archive.get(7, start, end)
    assert f.output(7).count("step") == 400
    assert stats["truncated"] is True and stats["execution_count"] == 7
    assert f.get("exec-7") is not None and f.current() is None


def test_incomplete_line_is_released_before_a_display_to_keep_order() -> None:
    f = OutputFilter(max_output_chars=10_000)
    iopub = FakeIOPub()
    hooks = IOPubHooks(f, iopub.send)
    f.begin("e1", 1)
    iopub.passed(hooks.stream_hook(message("stream", "e1", {"name": "stdout", "text": "Result: "})))
    display = message("display_data", "e1", {"data": {"text/plain": "42"}, "metadata": {}})
    iopub.passed(hooks.display_hook(display))
    hooks.finish({"msg_id": "e1"})
    assert iopub.published == [
        ("stream", {"name": "stdout", "text": "Result: "}),
        ("display_data", {"data": {"text/plain": "42"}, "metadata": {}}),
    ]


def test_error_hook_flushes_held_output_first() -> None:
    f = OutputFilter(max_output_chars=300)
    iopub = FakeIOPub()
    hooks = IOPubHooks(f, iopub.send)
    f.begin("e2", 2)
    for i in range(100):
        iopub.passed(
            hooks.stream_hook(message("stream", "e2", {"name": "stdout", "text": f"{i}\n"}))
        )
    ename, evalue, tb = hooks.error(
        {"msg_id": "e2"},
        "ZeroDivisionError",
        "division by zero",
        ["\x1b[31mZeroDivisionError\x1b[39m: division by zero"],
    )
    iopub.published.append(("error", {"ename": ename, "evalue": evalue, "traceback": tb}))
    hooks.finish({"msg_id": "e2"})
    kinds = [k for k, _ in iopub.published]
    assert kinds[-1] == "error"
    assert tb == ["ZeroDivisionError: division by zero"]
    assert "99\n" in iopub.text()  # the tail came out before the error


def test_output_with_unknown_or_ended_parent_is_still_filtered() -> None:
    f = OutputFilter(max_output_chars=100)
    iopub = FakeIOPub()
    hooks = IOPubHooks(f, iopub.send)
    stray = message("stream", "never-begun", {"name": "stderr", "text": "x" * 500 + "\n"})
    out = hooks.stream_hook(stray)
    assert out is not None and "x" * 500 not in out["content"]["text"]
    assert "over budget" in out["content"]["text"]
    assert (
        hooks.stream_hook(message("stream", "never-begun", {"name": "stderr", "text": "y\n"}))
        is None
    )
    none_parent = message("stream", "", {"name": "stdout", "text": "z" * 500})
    none_parent["parent_header"] = {}
    filtered = hooks.stream_hook(none_parent)
    assert filtered is None or "z" * 500 not in filtered["content"]["text"]


def test_clear_output_and_other_messages_pass() -> None:
    f = OutputFilter()
    hooks = IOPubHooks(f, FakeIOPub().send)
    f.begin("e3", 3)
    clear = message("clear_output", "e3", {"wait": False})
    assert hooks.display_hook(clear) is clear


def test_transform_covers_retrieval_and_value_budget_tracks_the_cell() -> None:
    f = OutputFilter(max_output_chars=2000, text_transform=lambda t: t.replace("bob", "[NAME_1]"))
    assert f.value_budget() == 2000
    cell = f.begin("e4", 4)
    assert cell.stream("stdout", "hi bob\n") == "hi [NAME_1]\n"
    assert f.value_budget() == cell.value_budget() == 2000 - 200 - 7
    cell.finish()
    f.end("e4")
    assert f.output(4) == "hi [NAME_1]\n"
    assert f.archive.get(4) == "hi bob\n"
    with pytest.raises(OutputNotAvailable, match="No output is recorded for execution"):
        f.output(99)
    with pytest.raises(ValueError, match="usage: %output"):
        f.retrieve("4 --range nope")
    with pytest.raises(KeyError, match="was begun"):
        f.end("unknown")


def test_summarized_values_are_counted_in_the_current_cell() -> None:
    f = OutputFilter()
    f.note_value_summarized()  # no current cell: ignored
    cell = f.begin("e9", 9)
    f.note_value_summarized()
    cell.finish()
    assert f.end("e9")["values_summarized"] == 1


def test_unlimited_budget() -> None:
    f = OutputFilter(max_output_chars=0)
    cell = f.begin("e5", 5)
    assert cell.budget is None
    assert cell.stream("stdout", "a" * 100_000 + "\n") == "a" * 100_000 + "\n"
    assert f.retrieval_budget() is None


def test_begin_sends_option_notices_before_any_output() -> None:
    f = OutputFilter()
    iopub = FakeIOPub()
    hooks = IOPubHooks(f, iopub.send)
    cell = hooks.begin({"msg_id": "e6"}, 6, {"athena": {"binary": "yes"}})
    assert iopub.published == [
        (
            "stream",
            {"name": "stderr", "text": f"[athena] {cell.stats()['notices'][0]}\n"},
        )
    ]
    iopub.passed(hooks.stream_hook(message("stream", "e6", {"name": "stdout", "text": "ok\n"})))
    hooks.finish({"msg_id": "e6"})
    assert [c.get("text") for _, c in iopub.published][1:] == ["ok\n"]
    with pytest.raises(ValueError, match="msg_id"):
        hooks.begin({}, 7)


def test_reply_error_matches_the_error_message() -> None:
    f = OutputFilter()
    hooks = IOPubHooks(f, FakeIOPub().send)
    hooks.begin({"msg_id": "e8"}, 8)
    tb = ["\x1b[31mValueError\x1b[39m: bad"]
    sent = hooks.error({"msg_id": "e8"}, "ValueError", "bad", tb)
    assert hooks.reply_error({"msg_id": "e8"}, "ValueError", "bad", tb) == sent
    assert sent[2] == ["ValueError: bad"]
