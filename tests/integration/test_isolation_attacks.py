"""Escapes from a confined worker whose Python sandbox is assumed broken.

Each test runs hostile code with the real ``os``, ``socket``, ``ctypes`` and ``subprocess`` in a
freshly confined child and checks the outcome from outside: files that must stay unread or
unwritten, sockets that must not open, processes that must not start, the test process itself
surviving. A test skips (with the reason from the confinement report) when the layer it relies
on is not available on this machine. Control runs with the layers switched off show that each
attack does work without them, so these tests can fail.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import socket
import sys
from collections.abc import Iterator

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("OS confinement is Linux-only", allow_module_level=True)

from athena_kernel.isolation.harness import ConfinedRun, run_confined, work_area
from athena_kernel.isolation.report import LayerStatus

ALL_OFF = ("seccomp", "landlock", "privilege_drop", "network_namespace")


@pytest.fixture
def area() -> Iterator[str]:
    with work_area() as base:
        yield base


@pytest.fixture
def outside(area: str) -> str:
    """A directory outside the scratch dir that everyone may write (only Landlock can stop it)."""
    path = os.path.join(area, "outside")
    os.mkdir(path)
    os.chmod(path, 0o777)
    return path


def needs(run: ConfinedRun, *layers: str) -> None:
    """Skip unless every layer is active in the worker's report."""
    assert run.report is not None, f"worker gave no report:\n{run.stderr}"
    for layer in layers:
        result = run.report.layer(layer)
        if result is None or result.status is not LayerStatus.ACTIVE:
            reason = result.reason if result else "not reported"
            pytest.skip(f"layer {layer} is not active on this machine: {reason}")


def _canary(directory: str, secret: str, mode: int = 0o644) -> str:
    path = os.path.join(directory, "canary.txt")
    with open(path, "w", encoding="ascii") as fh:
        fh.write(secret)
    os.chmod(path, mode)
    return path


READ_CANARY = """
out = {}
for label, path in PATHS.items():
    try:
        with open(path) as fh:
            out[label] = "read:" + fh.read()
    except OSError as exc:
        out[label] = "blocked:" + type(exc).__name__
emit(**out)
"""


def test_canary_outside_scratch_cannot_be_read(area: str, outside: str) -> None:
    secret = secrets.token_hex(16)
    canary = _canary(outside, secret)
    code = f"PATHS = {{'canary': {canary!r}, 'via_proc_root': '/proc/self/root' + {canary!r}}}"
    run = run_confined(code + READ_CANARY, base_dir=area)
    needs(run, "landlock")
    assert run.result()["canary"].startswith("blocked")
    assert run.result()["via_proc_root"].startswith("blocked")
    assert secret not in run.stdout and secret not in run.stderr


def test_control_canary_is_readable_without_landlock(area: str, outside: str) -> None:
    secret = secrets.token_hex(16)
    canary = _canary(outside, secret)
    run = run_confined(f"PATHS = {{'canary': {canary!r}}}" + READ_CANARY, base_dir=area,
                       disabled=["landlock"])  # fmt: skip
    assert run.result()["canary"] == "read:" + secret  # the attack is real


def test_nothing_is_written_outside_scratch(area: str, outside: str) -> None:
    target = os.path.join(outside, "planted.txt")
    existing = _canary(outside, "kernel data", mode=0o644)
    code = f"""
import os
out = {{}}
for label, action in (("chmod", lambda: os.chmod({existing!r}, 0o666)),
                      ("truncate", lambda: os.truncate({existing!r}, 0)),
                      ("unlink", lambda: os.unlink({existing!r})),
                      ("rename", lambda: os.rename({existing!r}, {existing!r} + ".moved"))):
    try:
        action()
        out[label] = "done"
    except OSError as exc:
        out[label] = "blocked:" + type(exc).__name__
try:
    with open({target!r}, "w") as fh:
        fh.write("x")
    out["outside"] = "written"
except OSError as exc:
    out["outside"] = "blocked:" + type(exc).__name__
try:
    os.symlink("/etc/passwd", {os.path.join(outside, "link")!r})
    out["symlink"] = "created"
except OSError as exc:
    out["symlink"] = "blocked:" + type(exc).__name__
with open("inside.txt", "w") as fh:
    fh.write("ok")
out["scratch"] = open("inside.txt").read()
out["cwd"] = os.getcwd()
emit(**out)
"""
    run = run_confined(code, base_dir=area)
    needs(run, "landlock")
    result = run.result()
    assert all(result[k].startswith("blocked") for k in ("outside", "symlink", "chmod")), result
    assert all(result[k].startswith("blocked") for k in ("truncate", "unlink", "rename")), result
    assert os.stat(existing).st_mode & 0o777 == 0o644
    with open(existing, encoding="ascii") as fh:
        assert fh.read() == "kernel data"
    assert not os.path.exists(target) and not os.path.lexists(os.path.join(outside, "link"))
    assert result["scratch"] == "ok"
    assert os.path.exists(os.path.join(result["cwd"], "inside.txt"))


SOCKETS = """
import socket
out = {}
attempts = {
    "inet": (socket.AF_INET, socket.SOCK_STREAM),
    "inet_udp": (socket.AF_INET, socket.SOCK_DGRAM),
    "inet6": (socket.AF_INET6, socket.SOCK_STREAM),
    "unix": (socket.AF_UNIX, socket.SOCK_STREAM),
    "netlink": (socket.AF_NETLINK, socket.SOCK_RAW),
    "packet": (getattr(socket, "AF_PACKET", 17), socket.SOCK_RAW),
}
for label, (family, kind) in attempts.items():
    try:
        s = socket.socket(family, kind)
        try:
            if label == "inet":
                s.settimeout(2)
                s.connect(("127.0.0.1", TCP_PORT))
                s.sendall(b"ESCAPED")
            elif label == "unix":
                s.settimeout(2)
                s.connect(UNIX_PATH)
                s.sendall(b"ESCAPED")
            out[label] = "open"
        except OSError as exc:
            out[label] = "connect-blocked:" + type(exc).__name__
        finally:
            s.close()
    except OSError as exc:
        out[label] = "blocked:" + str(exc.errno)
emit(**out)
"""


def _listeners(area: str) -> tuple[socket.socket, socket.socket, str]:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(4)
    unix_dir = os.path.join(area, "sock")
    os.mkdir(unix_dir)
    os.chmod(unix_dir, 0o777)
    path = os.path.join(unix_dir, "kernel.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(path)
    os.chmod(path, 0o777)
    unix.listen(4)
    tcp.setblocking(False)
    unix.setblocking(False)
    return tcp, unix, path


def _nothing_arrived(*listeners: socket.socket) -> bool:
    for listener in listeners:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            continue
        conn.close()
        return False
    return True


def test_no_socket_of_any_family(area: str) -> None:
    tcp, unix, path = _listeners(area)
    try:
        code = f"TCP_PORT = {tcp.getsockname()[1]}\nUNIX_PATH = {path!r}\n" + SOCKETS
        run = run_confined(code, base_dir=area)
        needs(run, "seccomp")
        assert all(v.startswith("blocked") for v in run.result().values()), run.result()
        assert _nothing_arrived(tcp, unix)
    finally:
        tcp.close()
        unix.close()


def test_network_namespace_and_landlock_stop_tcp_even_without_seccomp(area: str) -> None:
    tcp, unix, path = _listeners(area)
    try:
        code = f"TCP_PORT = {tcp.getsockname()[1]}\nUNIX_PATH = {path!r}\n" + SOCKETS
        run = run_confined(code, base_dir=area, disabled=["seccomp"])
        needs(run, "network_namespace")
        assert run.result()["inet"].startswith("connect-blocked"), run.result()
        assert _nothing_arrived(tcp)
        control = run_confined(code, base_dir=area, disabled=ALL_OFF)
        assert control.result()["inet"] == "open"  # the listener really was reachable
    finally:
        tcp.close()
        unix.close()


PROCESSES = """
import ctypes, os, subprocess
out = {}
def attempt(label, action):
    try:
        out[label] = "ran:" + repr(action())
    except OSError as exc:
        out[label] = "blocked:" + type(exc).__name__
def do_fork():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return pid
attempt("fork", do_fork)
attempt("subprocess", lambda: subprocess.run(["/bin/echo", "ESCAPED"]).returncode)
status = os.system("echo ESCAPED")  # glibc: 127 when the shell cannot be started
out["system"] = "ran" if status == 0 else f"blocked:status {status}"
attempt("posix_spawn", lambda: os.posix_spawn("/bin/echo", ["echo", "ESCAPED"], {}))
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def raw_clone():
    r = libc.syscall(SYS_CLONE, 17, 0, 0, 0, 0)  # flags = SIGCHLD: a fork
    if r == 0:
        os._exit(0)
    if r < 0:
        raise OSError(ctypes.get_errno(), "clone")
    return r
attempt("raw_clone", raw_clone)
def raw_clone3():
    args = (ctypes.c_uint64 * 11)(0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0)
    r = libc.syscall(SYS_CLONE3, ctypes.addressof(args), 88)
    if r == 0:
        os._exit(0)
    if r < 0:
        raise OSError(ctypes.get_errno(), "clone3")
    return r
attempt("raw_clone3", raw_clone3)
emit(**out)
os.execv("/bin/echo", ["echo", "ESCAPED-EXEC"])
"""


def test_no_fork_no_exec(area: str) -> None:
    from athena_kernel.isolation._native import machine
    from athena_kernel.isolation.syscalls import table_for

    table = table_for(machine())
    if table is None:
        pytest.skip(f"no system-call table for {machine()}")
    code = f"SYS_CLONE = {table.number('clone')}\nSYS_CLONE3 = {table.number('clone3')}\n"
    run = run_confined(code + PROCESSES, base_dir=area)
    needs(run, "seccomp")
    result = run.result()
    assert all(v.startswith("blocked") for v in result.values()), result
    assert "ESCAPED" not in run.stdout
    assert run.returncode == 1 and "PermissionError" in run.stderr  # the execv at the end


def test_threads_still_work_after_confinement(area: str) -> None:
    code = """
import threading
seen = []
threads = [threading.Thread(target=seen.append, args=(i,)) for i in range(20)]
for t in threads:
    t.start()
for t in threads:
    t.join()
emit(count=len(seen))
"""
    run = run_confined(code, base_dir=area)
    assert run.returncode == 0, run.stderr
    assert run.result() == {"count": 20}


def test_parent_survives_sigkill_and_cannot_be_traced(area: str) -> None:
    code = f"""
import ctypes, os, signal
parent = {os.getpid()}
out = {{}}
def attempt(label, action):
    try:
        action()
        out[label] = "delivered"
    except OSError as exc:
        out[label] = "blocked:" + type(exc).__name__
attempt("signal0_parent", lambda: os.kill(parent, 0))
attempt("signal0_everyone", lambda: os.kill(-1, 0))
attempt("signal0_parent_group", lambda: os.killpg(os.getpgid(parent), 0))
if out["signal0_parent"].startswith("blocked"):
    attempt("sigkill_parent", lambda: os.kill(parent, signal.SIGKILL))
    attempt("sigterm_parent", lambda: os.kill(parent, signal.SIGTERM))
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_SEIZE, PTRACE_DETACH = 0x4206, 17
if libc.ptrace(PTRACE_SEIZE, parent, 0, 0) == 0:
    libc.ptrace(PTRACE_DETACH, parent, 0, 0)
    out["ptrace"] = "attached"
else:
    out["ptrace"] = "blocked:" + os.strerror(ctypes.get_errno())
for name in ("mem", "environ", "cmdline", "maps"):
    attempt("proc_" + name, lambda n=name: open(f"/proc/{{parent}}/{{n}}", "rb").read(16))
emit(**out)
"""
    run = run_confined(code, base_dir=area)
    needs(run, "seccomp")
    result = run.result()
    assert all(v.startswith("blocked") for v in result.values()), result
    assert "sigkill_parent" in result  # the SIGKILL was really attempted; we are still here


def test_parent_memory_with_pii_cannot_be_read(area: str) -> None:
    pii = ("jane.doe." + secrets.token_hex(6) + "@example.com").encode()
    holder = ctypes.create_string_buffer(pii)
    code = f"""
import ctypes
class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
libc = ctypes.CDLL(None, use_errno=True)
libc.process_vm_readv.restype = ctypes.c_ssize_t
buf = ctypes.create_string_buffer({len(pii)})
local = Iovec(ctypes.addressof(buf), {len(pii)})
remote = Iovec({ctypes.addressof(holder)}, {len(pii)})
n = libc.process_vm_readv({os.getpid()}, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
emit(read=buf.raw.hex() if n > 0 else "blocked:" + str(ctypes.get_errno()))
"""
    run = run_confined(code, base_dir=area)
    assert run.report is not None
    assert run.result()["read"].startswith("blocked")
    assert pii.hex() not in run.stdout and pii.decode() not in run.stdout
    control = run_confined(code, base_dir=area, disabled=ALL_OFF)
    assert control.result()["read"] == pii.hex()  # the attack works when nothing stops it


def test_environment_is_empty_and_connection_file_unreadable(
    area: str, outside: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = secrets.token_hex(16)
    runtime = os.path.join(area, "runtime")
    os.mkdir(runtime, 0o700)
    connection = os.path.join(runtime, "kernel-1234.json")
    with open(connection, "w", encoding="ascii") as fh:
        json.dump({"key": secret, "transport": "tcp", "shell_port": 1}, fh)
    os.chmod(connection, 0o600)
    shared_copy = _canary(outside, json.dumps({"key": secret}))  # even if it were world-readable
    monkeypatch.setenv("ATHENA_FAKE_API_TOKEN", secret)
    monkeypatch.setenv("JPY_CONNECTION_FILE", connection)
    code = f"""
import os
out = {{"environ": dict(os.environ)}}
for label, path in {{"connection": {connection!r}, "copy": {shared_copy!r},
                     "self_environ": "/proc/self/environ"}}.items():
    try:
        out[label] = open(path).read()
    except OSError as exc:
        out[label] = "blocked:" + type(exc).__name__
emit(**out)
"""
    run = run_confined(code, base_dir=area)
    result = run.result()
    assert set(result["environ"]) <= {"LANG", "LC_ALL"}, result["environ"]
    assert secret not in json.dumps(result["environ"])
    assert run.report is not None
    landlock = run.report.status("landlock") is LayerStatus.ACTIVE
    other_uid = run.report.facts.get("uid") != os.getuid()
    if not (landlock or other_uid):
        pytest.skip("neither Landlock nor a uid change is available: same-uid files are readable")
    assert result["connection"].startswith("blocked")  # 0600 in a 0700 dir
    if landlock:
        assert result["copy"].startswith("blocked")  # world-readable: only Landlock stops it
    assert secret not in run.stdout and secret not in run.stderr


def test_inherited_descriptors_are_closed(area: str) -> None:
    secret = secrets.token_hex(16)
    path = os.path.join(area, "secret.txt")
    with open(path, "w", encoding="ascii") as fh:
        fh.write(secret)
    os.chmod(path, 0o600)
    fd = os.open(path, os.O_RDONLY)
    os.set_inheritable(fd, True)  # as careless as a kernel could be
    try:
        code = """
import os
found = {}
for fd in range(3, 1024):
    try:
        data = os.pread(fd, 64, 0)
    except OSError:
        continue
    found[fd] = data.decode(errors="replace")
emit(found=found)
"""
        run = run_confined(code, base_dir=area)
        assert run.returncode == 0, run.stderr
        assert run.result()["found"] == {}
        assert secret not in run.stdout
        assert run.report is not None and run.report.status("clean_start") is LayerStatus.ACTIVE
    finally:
        os.close(fd)


def test_passed_socketpair_still_carries_messages(area: str) -> None:
    from athena_kernel.wire import recv_message, send_message

    ours, theirs = socket.socketpair()
    try:
        code = f"""
import socket
from athena_kernel.wire import recv_message, send_message
sock = socket.socket(fileno={theirs.fileno()})
request = recv_message(sock)
send_message(sock, {{"echo": request, "uid": __import__("os").getuid()}})
"""
        send_message(ours, {"op": "ping"})
        run = run_confined(
            code,
            base_dir=area,
            pass_fds=[theirs.fileno()],
            warm_imports=("os", "socket", "athena_kernel.wire"),
        )
        ours.settimeout(5)
        reply = recv_message(ours)
        assert run.returncode == 0, run.stderr
        assert reply["echo"] == {"op": "ping"}
        assert run.report is not None and run.report.ok
    finally:
        ours.close()
        theirs.close()
