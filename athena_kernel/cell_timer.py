"""Per-cell wall-clock limit for in-process execution: an interval timer (``SIGALRM``) that
interrupts the cell.

No thread per cell: ``setitimer`` arms the kernel's real-time timer on entry and disarms it on
exit (two system calls; a timer thread cost a start and a join on every cell). Once the limit is
hit the timer keeps firing every :data:`REPEAT_SECONDS` until the cell returns, so a ``finally:``
block or an ``__exit__`` that loops after the first interrupt is interrupted again.

A signal cannot interrupt one long C call (``10**10**8``); the sandbox bounds those before they
run, and process isolation (a worker that can be killed) is the final word on time.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

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
        self._active = False

    def __enter__(self) -> CellTimer:
        global _current
        if not self.seconds or self.seconds <= 0:
            return self
        if threading.current_thread() is not threading.main_thread():
            return self  # signals only reach the main thread; subshells run without a timer
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            # installed once and kept: a SIGALRM already pending when a cell ends must find this
            # handler (which ignores it), never the default action, which ends the process
            signal.signal(signal.SIGALRM, _on_alarm)
        _current = self
        self._active = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT_SECONDS)
        return self

    def __exit__(self, *exc: object) -> None:
        global _current
        if not self._active:
            return
        self._active = False  # first: an alarm handled from here on is ignored
        signal.setitimer(signal.ITIMER_REAL, 0)
        if _current is self:
            _current = None


#: The timer of the cell running now (the handler reads it).
_current: CellTimer | None = None


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    timer = _current
    if timer is None or not timer._active:
        return  # the cell already finished: a late alarm must not hit kernel code
    timer.fired = True
    raise CellTimeoutError(timeout_message(timer.seconds))
