"""CellTimer: the in-process per-cell time limit (SIGALRM interval timer, no thread)."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from athena_kernel.cell_timer import CellTimeoutError, CellTimer


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_busy_cell_is_interrupted_with_the_timeout_error() -> None:
    start = time.monotonic()
    timer = CellTimer(0.2)
    with pytest.raises(CellTimeoutError, match=r"exceeded its 0\.2 s time limit"), timer:
        busy(5)
    assert timer.fired
    assert time.monotonic() - start < 1.0


def test_a_blocking_sleep_is_interrupted() -> None:
    with pytest.raises(CellTimeoutError), CellTimer(0.2):
        time.sleep(5)


def test_it_keeps_interrupting_code_that_swallows_the_first_interrupt() -> None:
    caught = 0
    with pytest.raises(CellTimeoutError), CellTimer(0.1):
        for _ in range(3):
            try:
                busy(5)
            except KeyboardInterrupt:
                caught += 1  # a `finally:`/`except` that carries on: interrupted again
        busy(5)
    assert caught == 3


def test_a_fast_cell_is_untouched_and_no_alarm_comes_later() -> None:
    with CellTimer(0.2) as timer:
        x = sum(range(1000))
    assert x == 499500 and not timer.fired
    time.sleep(0.4)  # past the limit: the timer was disarmed on exit
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_pending_after_the_cell_is_ignored() -> None:
    with CellTimer(30):
        pass
    signal.raise_signal(signal.SIGALRM)  # a late alarm: the handler stays installed and ignores it
    time.sleep(0.01)


def test_no_limit_arms_nothing() -> None:
    with CellTimer(0) as timer:
        busy(0.05)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert not timer.fired


def test_outside_the_main_thread_it_does_nothing() -> None:
    result: list[bool] = []

    def run() -> None:
        with CellTimer(0.05) as timer:
            busy(0.2)
        result.append(timer.fired)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result == [False]
