"""The worker's end of its socket: send events, and call the kernel (``services``) synchronously."""

from __future__ import annotations

import itertools
import socket
from typing import Any

from ..wire import recv_message, send_message
from .protocol import MAX_MESSAGE_BYTES, rebuild_error


class WorkerChannel:
    """Framed JSON messages to and from the kernel over an inherited socket.

    Only the worker's main thread uses it: a ``call`` blocks until the kernel's ``reply``.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._ids = itertools.count(1)
        self.muted = False  #: while warming up, events go nowhere

    def send(self, msg_type: str, **content: Any) -> None:
        """Send one event to the kernel."""
        if self.muted:
            return
        send_message(self._sock, {"type": msg_type, **content}, max_bytes=MAX_MESSAGE_BYTES)

    def receive(self) -> dict[str, Any]:
        """Wait for the next request from the kernel."""
        return recv_message(self._sock, max_bytes=MAX_MESSAGE_BYTES)

    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Run ``op`` in the kernel (through its services) and return the result."""
        call_id = next(self._ids)
        self.send("call", id=call_id, op=op, params=params)
        while True:
            msg = self.receive()
            if msg.get("type") == "reply" and msg.get("id") == call_id:
                break
        if "error" in msg:
            raise rebuild_error(msg["error"])
        return msg.get("result")


class ChannelServices:
    """The engine's ``services`` object in a worker: every call goes to the kernel."""

    def __init__(self, channel: WorkerChannel) -> None:
        self._channel = channel

    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Run ``op`` in the trusted kernel."""
        return self._channel.call(op, params)

    def memory_backend(self) -> ChannelServices:
        """The backend of the worker's ``memory`` facade (calls go to the kernel)."""
        return self

    def close(self) -> None:
        """Nothing to close: the kernel owns the store connection."""
