"""Small checks that a layer really took effect: the attempted action must fail."""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Callable


def probe_denied(action: Callable[[], object], *codes: int) -> bool:
    """True when ``action`` fails with one of the errno ``codes``."""
    try:
        result = action()
    except OSError as exc:
        return exc.errno in codes
    if isinstance(result, socket.socket):
        result.close()
    return False


def fork_refused() -> bool:
    """True when fork() is refused; if it is not, the child exits at once."""
    try:
        pid = os.fork()
    except OSError as exc:
        return exc.errno == errno.EPERM
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return False


def threads_start() -> bool:
    """True when a thread can still be started and runs."""
    ran: list[bool] = []
    worker = threading.Thread(target=lambda: ran.append(True), name="athena-confine-probe")
    try:
        worker.start()
        worker.join(5)
    except RuntimeError:
        return False
    return bool(ran)
