"""Entry module of the sandbox worker process (started by ``athena_kernel.isolation.spawn``).

``sys.argv``: ``[name, SOCKET_FD, SETTINGS_JSON]``. The bootstrap imports this module and calls
:func:`warm` (files still readable), confines the process, then calls :func:`main`.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import Any

from ..config import AthenaSettings
from .channel import WorkerChannel
from .engine import WorkerEngine

_engine: WorkerEngine | None = None


def settings_from_json(text: str) -> AthenaSettings:
    """Rebuild the kernel's settings (the worker's environment is empty: no ATHENA_* here)."""
    values = json.loads(text)
    return AthenaSettings(environ={}, **values)


def warm() -> None:
    """Build the engine and run its warm-up cells (before confinement)."""
    global _engine
    fd, settings_json = int(sys.argv[1]), sys.argv[2]
    test_hook = len(sys.argv) > 3 and sys.argv[3] == "1"
    sock = socket.socket(fileno=fd)
    _engine = WorkerEngine(
        WorkerChannel(sock), settings_from_json(settings_json), unsafe_test_hook=test_hook
    )
    _engine.warm()


def main(report: Any) -> None:
    """Announce readiness (with the confinement report) and serve the kernel."""
    assert _engine is not None, "warm() must run before main()"
    _engine.channel.send("ready", pid=os.getpid(), report=report.to_dict())
    _engine.serve()
