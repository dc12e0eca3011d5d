"""The store's owner process with real processes: concurrency, kill -9, idle exit, two stores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from athena_kernel.memory import StoreLockedError, open_memory, shutdown_owners


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A store path; owners started for stores under tmp_path are stopped afterwards."""
    yield tmp_path / "store" / "memory.duckdb"
    shutdown_owners(tmp_path)


def run_python(code: str, *, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run a child interpreter; return its stdout (fail the test on a non-zero exit)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def owner_pid(path: Path) -> int:
    return int(json.loads(Path(f"{path}.owner.json").read_text())["pid"])


def is_running(pid: int) -> bool:
    """Alive and not a zombie (a killed, detached owner may stay a zombie in a container)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_four_processes_writing_concurrently_lose_nothing(store: Path) -> None:
    writer = f"""
        import sys
        from athena_kernel.memory import open_memory
        memory = open_memory({str(store)!r})
        tag = sys.argv[1]
        for i in range(1000):
            memory.remember(f"writer {{tag}} wrote note {{i}}", tags=["w" + tag])
        print("ok")
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(writer), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and out.strip() == "ok" and not err.strip(), err[-2000:]
    memory = open_memory(store)
    assert memory.stats().counts["semantic"] == 4000
    assert memory.stats().search_documents == 4000
    for n in range(4):
        assert len(memory.recall("writer wrote note", tags=[f"w{n}"], limit=1000)) == 1000
    memory.close()


def test_owner_killed_mid_session_is_respawned_and_nothing_acknowledged_is_lost(
    store: Path,
) -> None:
    memory = open_memory(store)
    memory.remember("before the crash")
    first_owner = owner_pid(store)
    acknowledged: list[str] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(300):
                acknowledged.append(memory.remember(f"crash test note {i}").id)
        except BaseException as exc:  # surfaced to the test, not swallowed
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    wait_for(lambda: len(acknowledged) >= 40, 60, "40 acknowledged writes")
    os.kill(first_owner, signal.SIGKILL)
    thread.join(timeout=120)
    assert not errors, errors
    assert len(acknowledged) == 300
    assert owner_pid(store) != first_owner and not is_running(first_owner)
    # every acknowledged write is there exactly once, and searchable
    assert memory.stats().counts["semantic"] == 301
    for item_id in acknowledged[::25]:
        assert memory.get(item_id).content.startswith("crash test note")
    hits = memory.recall("crash test note", limit=1000)
    assert sorted(h.id for h in hits if h.text.startswith("crash test note")) == sorted(
        acknowledged
    )
    memory.close()


@pytest.mark.parametrize("shared", [True, False], ids=["through-owner", "in-process"])
def test_writer_killed_right_after_remember_returns(store: Path, shared: bool) -> None:
    code = f"""
        import os, signal
        from athena_kernel.memory import open_memory
        memory = open_memory({str(store)!r}, shared={shared})
        ids = [memory.remember("durable fact number %d" % i).id for i in range(3)]
        ids.append(memory.events.record("deploy", "durable event").id)
        ids.append(memory.procedures.save("durable_proc", "x = 1\\n").name)
        print(" ".join(ids), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    *item_ids, proc_name = result.stdout.split()
    assert len(item_ids) == 4
    memory = open_memory(store, shared=shared)
    for item_id in item_ids:
        assert memory.get(item_id).id == item_id
    assert memory.procedures.get(proc_name).version == 1
    assert len(memory.recall("durable fact", layers=["semantic"])) == 3
    memory.close()


def test_owner_exits_when_idle_and_saves_its_snapshot(store: Path) -> None:
    run_python(
        f"""
        from athena_kernel.memory import open_memory
        memory = open_memory({str(store)!r})
        memory.remember("remember me while idle")
        memory.close()
        """,
        env={"ATHENA_STORE_IDLE_TIMEOUT": "1"},
    )
    pid = owner_pid(store)
    wait_for(lambda: not is_running(pid), 30, "the idle owner to exit")
    assert not Path(f"{store}.owner.json").exists()
    assert list(store.parent.glob("memory.duckdb.*.search"))  # snapshot saved on the way out
    log = Path(f"{store}.owner.log").read_text()
    assert "exiting: no clients" in log and "store closed" in log
    memory = open_memory(store)  # a new owner starts and restores from the snapshot
    assert [h.text for h in memory.recall("idle")] == ["remember me while idle"]
    assert owner_pid(store) != pid
    memory.close()


def test_two_stores_at_once(tmp_path: Path) -> None:
    first = open_memory(tmp_path / "a" / "memory.duckdb")
    second = open_memory(tmp_path / "b" / "memory.duckdb")
    try:
        a = first.remember("apples live in store A")
        b = second.remember("bananas live in store B")
        assert [h.id for h in first.recall("apples bananas")] == [a.id]
        assert [h.id for h in second.recall("apples bananas")] == [b.id]
        assert owner_pid(tmp_path / "a" / "memory.duckdb") != owner_pid(
            tmp_path / "b" / "memory.duckdb"
        )
    finally:
        first.close()
        second.close()
        shutdown_owners(tmp_path)


def test_store_held_by_another_process_gives_a_clear_error(store: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from athena_kernel.memory import open_memory
                memory = open_memory({str(store)!r}, shared=False)
                memory.remember("held")
                print("ready", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        memory = open_memory(store)
        with pytest.raises(StoreLockedError, match="open in another process"):
            memory.remember("blocked")
        memory.close()
    finally:
        holder.communicate(input="", timeout=60)
