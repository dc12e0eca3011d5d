"""Length-prefixed JSON framing over a stream socket (or any byte stream with ``recv``/``sendall``).

A frame is a 4-byte big-endian unsigned length followed by that many bytes of UTF-8 JSON. Only
plain JSON data crosses (never pickle): whatever the peer sends can at worst be a wrong value,
never code. Frames bigger than ``max_bytes`` are refused on both sides, before anything is
allocated for them. Shared by the memory store's owner process and, later, the sandbox worker.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

HEADER = struct.Struct(">I")
#: Default cap of one frame's payload (64 MiB): large batch ingests are split below this.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class WireError(Exception):
    """The byte stream broke the framing protocol (bad length, bad JSON, oversized frame)."""


class FrameTooLargeError(WireError):
    """A frame is bigger than the agreed cap."""


class ConnectionClosedError(WireError, ConnectionError):
    """The peer closed the connection (cleanly between frames, or in the middle of one)."""


def encode_frame(obj: Any, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Serialise ``obj`` (plain JSON data) into one frame: header + UTF-8 JSON.

    Raises:
        TypeError: ``obj`` holds something JSON cannot represent (a datetime, a set, an object).
        FrameTooLargeError: the encoded payload exceeds ``max_bytes``.

    Example:
        ``sock.sendall(encode_frame({"op": "ping"}))``
    """
    payload = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    if len(payload) > max_bytes:
        raise FrameTooLargeError(
            f"message of {len(payload):,} bytes exceeds the {max_bytes:,}-byte frame limit; "
            "send it in smaller parts"
        )
    return HEADER.pack(len(payload)) + payload


def decode_payload(payload: bytes) -> Any:
    """Parse one frame's payload (without its header) back into plain data."""
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError(f"frame payload is not valid UTF-8 JSON: {exc}") from exc


def send_message(sock: socket.socket, obj: Any, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Send ``obj`` as one frame.

    Example:
        ``send_message(sock, {"op": "remember", "params": {"content": "hi"}})``
    """
    sock.sendall(encode_frame(obj, max_bytes=max_bytes))


def recv_message(sock: socket.socket, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Receive one frame and return its decoded JSON value.

    Raises:
        ConnectionClosedError: the peer closed the connection before a whole frame arrived.
        FrameTooLargeError: the announced length exceeds ``max_bytes`` (nothing is read).
        WireError: the payload is not UTF-8 JSON.

    Example:
        ``reply = recv_message(sock)``
    """
    header = _recv_exactly(sock, HEADER.size, at_boundary=True)
    (length,) = HEADER.unpack(header)
    if length > max_bytes:
        raise FrameTooLargeError(
            f"peer announced a {length:,}-byte frame; the limit is {max_bytes:,} bytes"
        )
    return decode_payload(_recv_exactly(sock, length, at_boundary=False))


def _recv_exactly(sock: socket.socket, size: int, *, at_boundary: bool) -> bytes:
    if size == 0:
        return b""
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        count = sock.recv_into(view[received:], size - received)
        if count == 0:
            where = "between frames" if at_boundary and received == 0 else "inside a frame"
            raise ConnectionClosedError(f"connection closed by peer ({where})")
        received += count
    return bytes(buffer)
