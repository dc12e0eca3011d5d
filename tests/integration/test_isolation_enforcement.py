"""The confinement report is truthful: what it calls active is what the OS really enforces.

Runs the self-test (a confined worker that tries every escape) with layers switched off one by
one, as the kernel's own user and — when this machine allows it — as an unprivileged user and
under bubblewrap. Also covers the module entry flow (warm, confine, ``main(report)``) and the
refusal of descriptors left open by warm-up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("OS confinement is Linux-only", allow_module_level=True)

import athena_kernel
from athena_kernel.isolation.bwrap import probe_bwrap
from athena_kernel.isolation.exits import WorkerExit
from athena_kernel.isolation.harness import work_area
from athena_kernel.isolation.launcher import make_scratch_dir, spawn
from athena_kernel.isolation.policy import ConfinementPolicy
from athena_kernel.isolation.report import ConfinementReport, LayerStatus
from athena_kernel.isolation.selftest import run_selftest

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(athena_kernel.__file__)))


@pytest.fixture
def area() -> Iterator[str]:
    with work_area() as base:
        yield base


@pytest.mark.parametrize(
    "disabled",
    [
        (),
        ("seccomp",),
        ("landlock",),
        ("seccomp", "landlock"),
        ("seccomp", "landlock", "privilege_drop", "network_namespace"),
    ],
    ids=lambda d: "all-on" if not d else "without-" + "-".join(d),
)
def test_report_matches_enforcement(disabled: tuple[str, ...]) -> None:
    result = run_selftest(disabled=disabled)
    assert result.ok, result.render()
    for layer in disabled:
        assert result.report.status(layer) is LayerStatus.DISABLED
    if not disabled:
        # on any Linux this project supports, these two are always in force
        assert result.report.status("seccomp") is LayerStatus.ACTIVE, result.render()
        assert result.report.status("rlimits") is LayerStatus.ACTIVE, result.render()


def _system_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.exists(candidate):
            version = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info >= (3, 10))"],
                capture_output=True,
                text=True,
                check=False,
            )
            if version.stdout.strip() == "True":
                return candidate
    return None


def _reachable_by_others(path: str) -> bool:
    while path != "/":
        if not os.stat(path).st_mode & 0o005:
            return False
        path = os.path.dirname(path)
    return True


def test_unprivileged_kernel_path(tmp_path) -> None:
    """The non-root way in (user + network namespace, no uid change), run as ``nobody``."""
    if os.geteuid() != 0:
        result = run_selftest()  # we are already unprivileged: the main tests cover it
        assert result.ok, result.render()
        return
    python = _system_python()
    setpriv = shutil.which("setpriv")
    if python is None or setpriv is None:
        pytest.skip("needs a system python3 >= 3.10 and setpriv to run as another user")
    if not _reachable_by_others(PROJECT):
        pytest.skip(f"{PROJECT} is not readable by other users")
    command = [
        setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups",
        python, "-I", "-S", "-c",
        f"import sys; sys.path.insert(0, {PROJECT!r}); "
        "from athena_kernel.isolation.selftest import main; sys.exit(main(['--json']))",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/", env={})
    assert done.returncode == 0, done.stdout + done.stderr
    import json

    data = json.loads(done.stdout)
    report = ConfinementReport.from_dict(data["report"])
    assert report.status("privilege_drop") is LayerStatus.NOT_NEEDED
    netns = report.layer("network_namespace")
    assert netns is not None
    if netns.status is LayerStatus.ACTIVE:
        assert "CLONE_NEWUSER" in netns.detail
    assert data["mismatches"] == []


BWRAP = os.environ.get("ATHENA_TEST_BWRAP") or shutil.which("bwrap")


@pytest.mark.skipif(BWRAP is None, reason="bwrap is not installed (optional layer)")
def test_under_bwrap_report_matches_enforcement() -> None:
    probe = probe_bwrap(BWRAP)
    if not probe.usable:
        pytest.skip(probe.reason)
    result = run_selftest(use_bwrap=True, bwrap_executable=BWRAP)
    assert result.ok, result.render()
    assert result.report.status("bwrap") is LayerStatus.ACTIVE
    assert result.probes["read_outside"].startswith("blocked")


def _module(tmp_dir: str, name: str, source: str) -> str:
    path = os.path.join(tmp_dir, f"{name}.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(source))
    os.chmod(path, 0o644)
    return tmp_dir


def test_module_target_warms_up_then_runs_main_confined(area: str) -> None:
    modules = os.path.join(area, "mods")
    os.mkdir(modules, 0o755)
    _module(
        modules,
        "athena_probe_worker",
        """
        import json, os, sys
        WARM = {}

        def warm():
            WARM["uid"] = os.getuid()
            WARM["could_read_passwd"] = os.path.exists("/etc/passwd")

        def main(report):
            try:
                open("/etc/passwd").close()
                after = "readable"
            except OSError:
                after = "blocked"
            print(json.dumps({"warm": WARM, "after": after, "uid": os.getuid(),
                              "argv": sys.argv, "ok": report.ok,
                              "landlock": report.status("landlock").value}))
        """,
    )
    scratch = make_scratch_dir(area)
    worker = spawn(
        "athena_probe_worker",
        scratch_dir=scratch,
        sys_path=[PROJECT, modules],
        use_bwrap=False,
        args=["--flag"],
    )
    worker.wait(30)
    assert worker.returncode == 0, worker.diagnostics()
    import json

    data = json.loads(worker.stdout_text(2).strip().splitlines()[-1])
    assert data["warm"]["uid"] == os.getuid()  # warm-up ran before confinement
    assert data["argv"] == ["athena_probe_worker", "--flag"]
    assert data["ok"] is True
    if os.geteuid() == 0:
        assert data["uid"] == 65534
    if data["landlock"] == "active":
        assert data["after"] == "blocked"


def test_descriptor_left_open_by_warm_up_refuses_to_start(area: str) -> None:
    modules = os.path.join(area, "mods")
    os.mkdir(modules, 0o755)
    _module(
        modules,
        "athena_leaky_worker",
        """
        KEEP = []

        def warm():
            KEEP.append(open("/etc/hostname" if __import__("os").path.exists("/etc/hostname")
                             else "/etc/passwd"))

        def main(report):
            print("user code ran")
        """,
    )
    scratch = make_scratch_dir(area)
    policy = ConfinementPolicy(scratch_dir=scratch)  # clean_start is required by default
    worker = spawn(
        "athena_leaky_worker",
        scratch_dir=scratch,
        policy=policy,
        sys_path=[PROJECT, modules],
        use_bwrap=False,
    )
    worker.wait(30)
    assert worker.returncode == WorkerExit.CONFINEMENT_FAILED
    assert "left open by warm-up" in worker.stderr_text(2)
    assert "user code ran" not in worker.stdout_text()


def test_rusage_is_collected_on_reap(area: str) -> None:
    scratch = make_scratch_dir(area)
    worker = spawn("x = sum(range(10 ** 6))", scratch_dir=scratch, use_bwrap=False)
    assert worker.wait(30) == 0, worker.diagnostics()
    assert worker.rusage is not None and worker.rusage.ru_maxrss > 0
    assert worker.exit_diagnosis().message == "exited normally"


def test_worker_dies_with_its_launcher(area: str) -> None:
    scratch = make_scratch_dir(area)
    launcher_code = textwrap.dedent(
        f"""
        import os, sys, time
        from athena_kernel.isolation import spawn
        worker = spawn("print('confined', flush=True)\\nimport time\\ntime.sleep(60)",
                       scratch_dir={scratch!r}, use_bwrap=False)
        deadline = time.monotonic() + 20
        while "confined" not in worker.stdout_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        print(worker.pid, flush=True)
        os._exit(0)  # the "kernel" dies without cleaning up
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", launcher_code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.strip().splitlines()[-1])
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    pytest.fail("the worker outlived its launcher")


def test_confine_refuses_a_multithreaded_process(area: str) -> None:
    modules = os.path.join(area, "mods")
    os.mkdir(modules, 0o755)
    _module(
        modules,
        "athena_threaded_worker",
        """
        import threading, time

        def warm():
            threading.Thread(target=time.sleep, args=(5,), daemon=True).start()

        def main(report):
            print("user code ran")
        """,
    )
    scratch = make_scratch_dir(area)
    worker = spawn(
        "athena_threaded_worker", scratch_dir=scratch, sys_path=[PROJECT, modules], use_bwrap=False
    )
    worker.wait(30)
    assert worker.returncode == WorkerExit.CONFINEMENT_FAILED
    assert "single thread" in worker.stderr_text(2)
    assert "user code ran" not in worker.stdout_text()
