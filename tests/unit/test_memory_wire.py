"""athena_kernel.wire: length-prefixed JSON frames with a size cap."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from athena_kernel.wire import (
    ConnectionClosedError,
    FrameTooLargeError,
    WireError,
    decode_payload,
    encode_frame,
    recv_message,
    send_message,
)


def test_round_trip_over_a_socket_pair() -> None:
    a, b = socket.socketpair()
    messages = [{"op": "remember", "params": {"content": "héllo ✓", "tags": ["x"]}}, [1, 2.5], None]
    big = {"blob": "x" * 300_000}  # larger than one recv
    sender = threading.Thread(target=lambda: [send_message(a, m) for m in [*messages, big]])
    sender.start()
    received = [recv_message(b) for _ in range(len(messages) + 1)]
    sender.join()
    assert received == [*messages, big]
    a.close()
    with pytest.raises(ConnectionClosedError, match="between frames"):
        recv_message(b)
    b.close()


def test_frame_layout_is_big_endian_length_then_utf8_json() -> None:
    frame = encode_frame({"a": "é"})
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4 and decode_payload(frame[4:]) == {"a": "é"}


def test_size_cap_on_both_sides() -> None:
    with pytest.raises(FrameTooLargeError, match="limit"):
        encode_frame({"x": "y" * 100}, max_bytes=50)
    a, b = socket.socketpair()
    a.sendall(struct.pack(">I", 10_000_000))
    with pytest.raises(FrameTooLargeError, match="10,000,000"):
        recv_message(b, max_bytes=1_000_000)
    a.close()
    b.close()


def test_only_plain_json_is_accepted() -> None:
    with pytest.raises(TypeError):
        encode_frame({"when": object()})
    with pytest.raises(ValueError):
        encode_frame({"x": float("nan")})
    with pytest.raises(WireError, match="not valid UTF-8 JSON"):
        decode_payload(b"\x80\x04pickle")


def test_truncated_frame_is_reported() -> None:
    a, b = socket.socketpair()
    a.sendall(encode_frame({"k": "v" * 100})[:20])
    a.close()
    with pytest.raises(ConnectionClosedError, match="inside a frame"):
        recv_message(b)
    b.close()
