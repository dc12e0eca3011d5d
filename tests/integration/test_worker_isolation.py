"""Process isolation through a real `athena` kernel: the worker holds no secrets, the operating
system holds even when the Python sandbox is assumed broken, and the kernel survives every crash.

``ATHENA_UNSAFE_TEST_HOOK=1`` makes the worker offer ``unsafe_exec(source)``: plain Python with
the real builtins, run inside the confined worker — a stand-in for a complete sandbox escape.
Each attack is judged by an effect outside the worker (a file, the kernel's own process, the
bytes that reached the client), never by the sandbox's own report.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest
from kernel_helpers import start_kernel

pytestmark = pytest.mark.kernel

EMAIL = "carol.jones@example.org"


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("canary") / "secret.txt"
    path.write_text("CANARY-" + uuid.uuid4().hex)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def kernel(canary):
    client = start_kernel(
        "athena",
        ATHENA_UNSAFE_TEST_HOOK="1",
        ATHENA_CELL_TIMEOUT="3",
        ATHENA_INTERRUPT_GRACE="1",
        ATHENA_TEST_PLANTED_SECRET="planted-" + uuid.uuid4().hex,
    )
    yield client
    client.stop()


def unsafe(kernel, source: str):
    return kernel.run(f"unsafe_exec({source!r})", timeout=60)


def everything(cell) -> str:
    return "\n".join(json.dumps(m["content"]) for m in cell.messages) + json.dumps(cell.reply)


def test_process_isolation_is_the_default_and_reports_its_layers(kernel):
    cell = kernel.run("%sandbox status")
    assert cell.ok, cell.text()
    out = cell.stdout
    assert "isolation process" in out
    for layer in ("seccomp", "landlock", "rlimits", "no_new_privs", "network_namespace"):
        assert layer in out
    assert "TEST HOOK ACTIVE" in out  # the hook never hides


def test_canary_outside_scratch_cannot_be_read(kernel, canary):
    cell = unsafe(kernel, f"print(open({str(canary)!r}).read())")
    assert cell.status == "error"
    assert canary.read_text() not in everything(cell)


def test_nothing_is_written_outside_scratch(kernel, canary):
    target = canary.parent / "written-by-worker.txt"
    cell = unsafe(kernel, f"open({str(target)!r}, 'w').write('x')")
    assert cell.status == "error"
    assert not target.exists()


def test_no_network(kernel):
    cell = unsafe(kernel, "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 9))")
    assert cell.status == "error"
    assert cell.error["ename"] in {"PermissionError", "OSError"}


def test_no_new_processes(kernel):
    for attack in (
        "import os\nos.fork()",
        "import subprocess\nsubprocess.run(['true'])",
        "import os\nos.system('touch /tmp/athena-worker-ran')",
    ):
        cell = unsafe(kernel, attack)
        assert not Path("/tmp/athena-worker-ran").exists()
        assert cell.status == "error" or "0" not in cell.stdout, attack
    assert kernel.run("1 + 1").value == "2"


def test_kernel_process_cannot_be_signalled_or_read(kernel):
    kernel_pid = kernel.km.provisioner.process.pid
    cell = unsafe(kernel, f"import os, signal\nos.kill({kernel_pid}, signal.SIGKILL)")
    assert cell.status == "error"
    assert kernel.km.is_alive()
    environ = unsafe(kernel, f"print(open('/proc/{kernel_pid}/environ', 'rb').read())")
    assert "planted-" not in everything(environ)
    cmdline = unsafe(kernel, f"print(open('/proc/{kernel_pid}/cmdline', 'rb').read())")
    assert "kernel-" not in everything(cmdline) or cmdline.status == "error"


def test_environment_is_clean(kernel):
    cell = unsafe(kernel, "import os\nprint(sorted(os.environ))")
    assert cell.ok, cell.text()
    names = set(json.loads(cell.stdout.strip().replace("'", '"')))
    assert names <= {"LANG", "LC_ALL"}


def test_connection_key_and_file_are_out_of_reach(kernel):
    connection_file = kernel.km.connection_file
    key = json.loads(Path(connection_file).read_text())["key"]
    cell = unsafe(kernel, f"print(open({connection_file!r}).read())")
    assert key not in everything(cell)
    assert cell.status == "error"


def test_pii_values_never_enter_the_worker(kernel):
    # the value reaches the store from outside the kernel; the worker only ever sees tokens
    from athena_kernel import open_memory

    outside = open_memory(kernel.env["ATHENA_STORE"])
    outside.remember(f"renewal contact is {EMAIL}, call before Friday", tags=["crm"])
    recalled = kernel.run("hits = memory.recall('renewal contact Friday', limit=3)\nhits[0].text")
    assert recalled.ok, recalled.text()
    assert "[EMAIL_" in recalled.value and EMAIL not in everything(recalled)
    probe = unsafe(
        kernel,
        "import gc\n"
        "needle = 'carol.jones' + '@example.org'\n"
        "found = [o for o in gc.get_objects() if isinstance(o, str) and needle in o]\n"
        "print('hits', len([o for o in found if o != needle]))",
    )
    assert probe.ok, probe.text()
    assert probe.stdout.strip() == "hits 0"


def test_segfault_kills_only_the_worker(kernel):
    kernel.run("kept = 1")
    cell = unsafe(kernel, "import ctypes\nctypes.string_at(0)")
    assert cell.status == "error"
    assert cell.error["ename"] == "WorkerCrashedError"
    assert "segmentation fault" in cell.error["evalue"].lower() or "SIGSEGV" in cell.error["evalue"]
    assert "restarted" in cell.error["evalue"]
    assert kernel.run("kept").status == "error"  # variables are lost, and the message said so
    assert kernel.run("memory.stats().schema_version >= 1").value == "True"


def test_exit_and_memory_bomb_and_fork_bomb_are_reported(kernel):
    exited = unsafe(kernel, "import os\nos._exit(3)")
    assert exited.status == "error" and "3" in exited.error["evalue"]
    bomb = unsafe(kernel, "x = bytearray(8 * 1024**3)")
    assert bomb.status == "error"
    assert bomb.error["ename"] in {"MemoryError", "MemoryLimitExceeded", "MemoryLimitError"}
    forks = unsafe(kernel, "import os\nwhile True:\n    os.fork()")
    assert forks.status == "error"
    assert kernel.run("2 * 21").value == "42"


def test_time_limit_interrupts_a_busy_cell(kernel):
    kernel.run("before = 'kept'")
    start = time.monotonic()
    cell = kernel.run("n = 0\nwhile True:\n    n += 1", timeout=30)
    elapsed = time.monotonic() - start
    assert cell.status == "error"
    assert "cell exceeded its 3 s time limit" in cell.error["evalue"]
    assert elapsed < 3 + 2 + 1.5
    assert kernel.run("before").value == "'kept'"  # the worker survived: nothing lost


def test_cell_that_ignores_the_interrupt_is_killed_after_the_grace_period(kernel):
    start = time.monotonic()
    cell = unsafe(
        kernel,
        "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGUSR1})\n"
        "while True:\n    pass",
    )
    elapsed = time.monotonic() - start
    assert cell.status == "error"
    assert cell.error["ename"] == "CellTimeoutError"
    assert "did not stop" in cell.error["evalue"] and "restarted" in cell.error["evalue"]
    assert elapsed < 3 + 1 + 3
    assert kernel.run("'alive'").value == "'alive'"


def test_limit_hits_are_audited_as_events(kernel):
    events = kernel.run(
        "[e.metadata.get('rule') for e in memory.events.recent(50, event_type='sandbox.limit')]"
    )
    assert events.ok, events.text()
    assert "limit.timeout" in events.value
    assert (
        "sandbox.crash"
        in kernel.run("[e.metadata.get('rule') for e in memory.events.recent(50)]").value
    )


def test_worker_runs_as_an_unprivileged_user_when_the_kernel_is_root(kernel):
    if os.geteuid() != 0:
        pytest.skip("the kernel is not root: no uid drop is needed")
    cell = unsafe(kernel, "import os\nprint(os.getuid(), os.getgid())")
    assert cell.ok
    assert cell.stdout.split() == ["65534", "65534"]
