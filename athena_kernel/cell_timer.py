"""Per-cell wall-clock limit for in-process execution: a timer thread that interrupts the cell.

A signal cannot interrupt one long C call (``10**10**8``); the sandbox bounds those before they
run, and process isolation (a worker that can be killed) is the final word on time.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

#: While a timed-out cell keeps running, it is interrupted again this often.
REPEAT_SECONDS = 0.25


class CellTimeoutError(KeyboardInterrupt):
    """The cell exceeded its time limit (a KeyboardInterrupt: ``except Exception`` won't eat it)."""

    rule = "limit.timeout"


def timeout_message(seconds: float) -> str:
    """The user-facing text of a timeout, e.g. ``cell exceeded its 30 s time limit``."""
    return f"cell exceeded its {seconds:g} s time limit"


class CellTimer:
    """Interrupts the main thread with :class:`CellTimeoutError` after ``seconds``.

    Use as a context manager around the cell's execution, in the main thread::

        with CellTimer(30) as timer:
            run_the_cell()
        timer.fired  # True when the limit was hit
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None
        self._stop = threading.Event()
        self._previous: Any = None
        self._active = False

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if not self._active:
            return  # the cell already finished: a late signal must not hit kernel code
        if self.fired:
            raise CellTimeoutError(timeout_message(self.seconds))
        raise KeyboardInterrupt

    def _fire(self) -> None:
        # keep interrupting until the cell returns: a `finally:` block or an `__exit__` may run
        # a loop of its own after the first interrupt
        self.fired = True
        while self._active:
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            self._stop.wait(REPEAT_SECONDS)

    def __enter__(self) -> CellTimer:
        if threading.current_thread() is not threading.main_thread():
            return self  # signals only reach the main thread; subshells run without a timer
        self._previous = signal.signal(signal.SIGINT, self._handler)
        self._active = True
        if self.seconds and self.seconds > 0:
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._active = False
        self._stop.set()
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()  # a signal sent by _fire is handled (and ignored) before restore
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
