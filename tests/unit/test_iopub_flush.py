"""flush_output_streams: both streams reach the IOPub hooks before it returns."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import zmq
from ipykernel.iostream import IOPubThread, OutStream
from jupyter_client.session import Session

from athena_kernel.iopub_flush import flush_output_streams


@pytest.fixture
def streams() -> Iterator[tuple[list[Any], OutStream, OutStream]]:
    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    pub = IOPubThread(socket)
    pub.start()
    session = Session()
    out = OutStream(session, pub, "stdout", watchfd=False)
    err = OutStream(session, pub, "stderr", watchfd=False)
    seen: list[Any] = []

    def hook(msg: Any) -> None:  # runs on the IOPub thread, drops the message
        seen.append((msg["content"]["name"], msg["content"]["text"]))

    registered = threading.Event()

    def register() -> None:  # hooks are thread-local: the kernel registers them on the thread too
        out.register_hook(hook)
        err.register_hook(hook)
        registered.set()

    pub.schedule(register)
    assert registered.wait(5)
    yield seen, out, err
    pub.stop()
    pub.close()
    context.term()


def as_sys_streams(monkeypatch: pytest.MonkeyPatch, out: OutStream, err: OutStream) -> None:
    """Install the streams in the test body (pytest's capture resets sys.stdout after fixtures)."""
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)


def test_both_streams_are_sent_before_it_returns(
    streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen, out, err = streams
    as_sys_streams(monkeypatch, out, err)
    out.write("to stdout\n")
    err.write("to stderr\n")
    flush_output_streams()
    assert sorted(seen) == [("stderr", "to stderr\n"), ("stdout", "to stdout\n")]


def test_nothing_written_sends_nothing(streams: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen, out, err = streams
    as_sys_streams(monkeypatch, out, err)
    flush_output_streams()
    assert seen == []


def test_plain_streams_are_flushed_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Recording(io.StringIO):
        flushed = 0

        def flush(self) -> None:
            Recording.flushed += 1

    monkeypatch.setattr(sys, "stdout", Recording())
    monkeypatch.setattr(sys, "stderr", Recording())
    flush_output_streams()
    assert Recording.flushed == 2


def test_one_round_trip_for_both_streams(streams: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen, out, err = streams
    as_sys_streams(monkeypatch, out, err)
    scheduled: list[Any] = []
    schedule = out.pub_thread.schedule

    def counting(f: Any) -> None:
        scheduled.append(f)
        schedule(f)

    monkeypatch.setattr(out.pub_thread, "schedule", counting)
    out.write("a")
    scheduled.clear()  # the write's own delayed flush
    flush_output_streams()
    # two sends and one wake-up; OutStream.flush() twice would schedule four callables
    assert len(scheduled) == 3
    assert seen == [("stdout", "a")]
