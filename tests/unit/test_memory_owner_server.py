"""The owner's request handling, served from a thread of the test process (no spawning)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

import athena_kernel.memory.owner as owner_module
from athena_kernel.memory import InvalidArgumentError, NotFoundError
from athena_kernel.memory.owner import OwnerServer
from athena_kernel.memory.remote import RemoteBackend, owner_request
from athena_kernel.wire import send_message


class Served:
    """An OwnerServer serving from a thread, and a client of it."""

    def __init__(self, store: str) -> None:
        self.server = OwnerServer(store, idle_timeout=60, snapshot_quiet=30)
        self.server.bind()
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()
        self.client = RemoteBackend(store, start_timeout=10)

    def stop(self) -> None:
        self.client.close()
        self.server.stopping.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = Served(str(tmp_path / "served.duckdb"))
    yield running
    running.stop()


def test_calls_results_and_errors_cross_the_socket(served: Served) -> None:
    server, client = served.server, served.client
    info = json.loads(Path(server.files.info).read_text())
    assert info["socket"] == server.socket_path and Path(server.socket_path).exists()
    saved = client.call("remember", {"content": "over the socket"})
    assert client.call("get", {"id": saved["id"]}) == saved
    with pytest.raises(NotFoundError, match="no item with id mem_0123456789ab"):
        client.call("get", {"id": "mem_0123456789ab"})
    with pytest.raises(InvalidArgumentError, match="content must be a non-empty string"):
        client.call("remember", {"content": ""})
    ping = owner_request(server.socket_path, "owner.ping")
    assert ping["ready"] and ping["store"] == server.store


def test_a_reply_over_the_frame_limit_becomes_a_clear_error(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = served.client
    client.call("remember", {"content": "word " * 2000})
    monkeypatch.setattr(owner_module, "send_message", partial(send_message, max_bytes=4096))
    with pytest.raises(InvalidArgumentError, match=r"too large to send.*smaller limit"):
        client.call("recall", {"query": "word"})
    monkeypatch.undo()
    assert client.call("stats", {})["counts"]["semantic"] == 1  # the connection still works


def test_shutdown_request_stops_the_server_and_cleans_up(served: Served) -> None:
    server = served.server
    saved = served.client.call("remember", {"content": "saved before shutdown"})
    assert owner_request(server.socket_path, "owner.shutdown") is True
    served.thread.join(timeout=30)
    assert not served.thread.is_alive()
    assert not Path(server.socket_path).exists() and not Path(server.files.info).exists()
    assert list(Path(server.store).parent.glob("served.duckdb.*.search"))  # snapshot saved
    again = Served(server.store)  # the store reopens with what was saved
    try:
        assert again.client.call("get", {"id": saved["id"]}) == saved
    finally:
        again.stop()
