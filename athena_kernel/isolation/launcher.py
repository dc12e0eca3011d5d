"""Start a worker process that confines itself before running anything untrusted.

:func:`spawn` runs ``python -I -S -B`` (isolated mode: no ``PYTHON*`` variables, no user or
site-packages, no current directory on ``sys.path``, no ``.pyc`` writes) with an empty
environment (only ``LANG``/``LC_ALL=C.UTF-8``; ``-I`` already ignores ``PYTHONHASHSEED``, so hash
randomisation stays on), every descriptor closed except ``pass_fds``, stdin from ``/dev/null``,
stdout/stderr captured into bounded buffers, and a new session. No ``preexec_fn`` is used (the
kernel is multi-threaded): every confinement step happens inside the child, in
:mod:`~athena_kernel.isolation.bootstrap`, after its warm-up and before its ``main``.

When bubblewrap is present (``use_bwrap="auto"``) the child runs inside it as an outer layer.
Note: bwrap's ``--die-with-parent`` follows the *thread* that started it; call :func:`spawn` from
a thread that lives as long as the worker should.
"""

from __future__ import annotations

import errno
import json
import keyword
import os
import re
import site
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .bwrap import bwrap_arguments, probe_bwrap
from .exits import ExitDiagnosis, classify_exit
from .launchinfo import WORKER_ENVIRONMENT, LaunchInfo
from .netns import current_namespace
from .policy import ConfinementPolicy

#: Bytes of each of stdout/stderr kept for diagnostics (the tail).
DEFAULT_DIAGNOSTICS_BYTES = 64 * 1024
_SECRET_NAME = re.compile(
    r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|CONNECTION", re.IGNORECASE
)
_PRELUDE = (
    "import sys; sys.path[0:0] = {paths!r}; "
    "from athena_kernel.isolation.bootstrap import main; main()"
)


def default_sys_path() -> list[str]:
    """``sys.path`` entries a worker needs that ``-S`` leaves out: the directory holding the
    ``athena_kernel`` package, then this environment's site-packages."""
    import athena_kernel

    project = os.path.dirname(os.path.dirname(os.path.abspath(athena_kernel.__file__)))
    entries = [project, *site.getsitepackages()]
    out: list[str] = []
    for entry in entries:
        if os.path.isdir(entry) and entry not in out:
            out.append(entry)
    return out


def _owner_for(policy: ConfinementPolicy, bwrap: bool) -> tuple[int, int]:
    """Host uid/gid that must own the scratch directory."""
    if os.geteuid() == 0 and not bwrap:
        return policy.worker_uid, policy.worker_gid
    return os.geteuid(), os.getegid()


def _check_reachable(path: str, uid: int) -> None:
    """Every ancestor of ``path`` must be searchable by ``uid`` (root drops to it)."""
    parent = os.path.dirname(path)
    while True:
        info = os.stat(parent)
        searchable = info.st_mode & stat.S_IXOTH or (
            info.st_uid == uid and info.st_mode & stat.S_IXUSR
        )
        if not searchable:
            raise ValueError(
                f"scratch_dir {path!r} is inside {parent!r} (mode {stat.filemode(info.st_mode)}), "
                f"which uid {uid} cannot enter; put it under the system temporary directory "
                "(make_scratch_dir())"
            )
        if parent == "/":
            return
        parent = os.path.dirname(parent)


def prepare_scratch_dir(path: str, *, uid: int, gid: int) -> str:
    """Create (or check) the private scratch directory: mode 0700, owned by ``uid``/``gid``.

    Refuses a symlink, a non-directory, or (when not root) a directory owned by someone else.
    Returns the absolute path.
    """
    path = os.path.abspath(path)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise ValueError(f"scratch_dir {path!r} must be a real directory, not a symlink or file")
    if os.geteuid() == 0:
        if (info.st_uid, info.st_gid) != (uid, gid):
            os.chown(path, uid, gid)
    elif info.st_uid != os.geteuid():
        raise ValueError(
            f"scratch_dir {path!r} belongs to uid {info.st_uid}, not to us; use a fresh directory"
        )
    os.chmod(path, 0o700)
    if os.geteuid() == 0 and uid != 0:
        _check_reachable(path, uid)
    return path


def make_scratch_dir(parent: str | None = None, *, prefix: str = "athena-worker-") -> str:
    """A new empty directory under ``parent`` (default: the system temporary directory).

    The launcher fixes its owner and mode; remove it with ``shutil.rmtree`` when the worker
    is gone.
    """
    return tempfile.mkdtemp(prefix=prefix, dir=parent)


class _TailBuffer:
    """Drains a pipe in a thread, keeping only the last ``limit`` bytes."""

    def __init__(self, stream: Any, limit: int, name: str) -> None:
        self.limit = limit
        self.total = 0
        self._data = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, args=(stream,), name=name, daemon=True)
        self._thread.start()

    def _drain(self, stream: Any) -> None:
        try:
            while True:
                chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
                if not chunk:
                    return
                with self._lock:
                    self.total += len(chunk)
                    self._data += chunk
                    if len(self._data) > self.limit:
                        del self._data[: len(self._data) - self.limit]
        except (OSError, ValueError):
            return

    def text(self, wait: float = 0.0) -> str:
        """The kept tail, decoded; waits up to ``wait`` seconds for the pipe to close."""
        if wait:
            self._thread.join(wait)
        with self._lock:
            data = bytes(self._data)
            total = self.total
        text = data.decode("utf-8", errors="replace")
        if total > len(data):
            text = f"[... {total - len(data)} earlier bytes dropped ...]\n" + text
        return text


class WorkerProcess(subprocess.Popen):  # type: ignore[type-arg]
    """A ``Popen`` for a confined worker: bounded stdout/stderr capture and ``rusage`` on exit.

    ``stdout``/``stderr`` are drained by background threads; read them with
    :meth:`diagnostics` (never use ``communicate()``). ``rusage`` is filled in when the process
    is reaped by ``wait()``/``poll()``.
    """

    def __init__(
        self,
        args: list[str],
        *,
        policy: ConfinementPolicy,
        launch: LaunchInfo,
        diagnostics_bytes: int,
        **popen_kwargs: Any,
    ) -> None:
        self.policy = policy
        self.launch = launch
        self.rusage: Any = None
        super().__init__(args, **popen_kwargs)
        self._stdout_tail = _TailBuffer(self.stdout, diagnostics_bytes, f"worker-{self.pid}-out")
        self._stderr_tail = _TailBuffer(self.stderr, diagnostics_bytes, f"worker-{self.pid}-err")

    def stdout_text(self, wait: float = 0.0) -> str:
        """The tail of what the worker wrote to its stdout."""
        return self._stdout_tail.text(wait)

    def stderr_text(self, wait: float = 0.0) -> str:
        """The tail of what the worker wrote to its stderr."""
        return self._stderr_tail.text(wait)

    def diagnostics(self, wait: float = 0.0) -> str:
        """Both tails, labelled (for logs and error messages; may contain user output)."""
        parts = []
        for label, text in (("stdout", self.stdout_text(wait)), ("stderr", self.stderr_text(wait))):
            if text:
                parts.append(f"--- worker {label} ---\n{text.rstrip()}")
        return "\n".join(parts)

    def exit_diagnosis(
        self, *, limits: Mapping[str, Any] | None = None, killed_by_kernel: str | None = None
    ) -> ExitDiagnosis:
        """:func:`classify_exit` for this worker (``limits`` from its confinement report)."""
        return classify_exit(
            self.poll(), rusage=self.rusage, limits=limits, killed_by_kernel=killed_by_kernel
        )

    # Popen reaps with waitpid(); reap with wait4() instead so the resource usage is kept.
    def _try_wait(self, wait_flags: int) -> tuple[int, int]:
        try:
            pid, sts, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return (self.pid, 0)
        if pid == self.pid:
            self.rusage = usage
        return (pid, sts)

    def _internal_poll(self, _deadstate: Any = None, **_unused: Any) -> int | None:
        if self.returncode is None:
            if not self._waitpid_lock.acquire(False):
                return None
            try:
                if self.returncode is not None:
                    return self.returncode
                try:
                    pid, sts, usage = os.wait4(self.pid, os.WNOHANG)
                except OSError as exc:
                    if _deadstate is not None:
                        self.returncode = _deadstate
                    elif exc.errno == errno.ECHILD:
                        self.returncode = 0
                    return self.returncode
                if pid == self.pid:
                    self.rusage = usage
                    self._handle_exitstatus(sts)
            finally:
                self._waitpid_lock.release()
        return self.returncode


def _target(module_or_code: str, kind: str) -> dict[str, str]:
    if kind == "auto":
        parts = module_or_code.split(".")
        looks_like_module = all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)
        kind = "module" if looks_like_module else "code"
    if kind == "module":
        return {"kind": "module", "name": module_or_code, "entry": "main"}
    if kind == "code":
        return {"kind": "code", "code": module_or_code}
    raise ValueError(f"spawn(kind=...) must be 'auto', 'module' or 'code', got {kind!r}")


def _environment(extra_env: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(WORKER_ENVIRONMENT)
    for key, value in (extra_env or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(f"extra_env: {key!r} is not a valid environment variable name")
        if _SECRET_NAME.search(key):
            raise ValueError(
                f"extra_env: {key!r} looks like a secret; the worker must hold none. "
                "Send what it needs over its socket instead."
            )
        env[key] = str(value)
    return env


def spawn(
    module_or_code: str,
    *,
    scratch_dir: str | os.PathLike[str],
    pass_fds: Sequence[int] = (),
    sys_path: Sequence[str] | None = None,
    policy: ConfinementPolicy | None = None,
    use_bwrap: bool | Literal["auto"] = "auto",
    kind: Literal["auto", "module", "code"] = "auto",
    args: Sequence[str] = (),
    warm_imports: Sequence[str] = (),
    extra_env: Mapping[str, str] | None = None,
    python: str | None = None,
    bwrap_executable: str | None = None,
    diagnostics_bytes: int = DEFAULT_DIAGNOSTICS_BYTES,
) -> WorkerProcess:
    """Start a worker that confines itself with ``policy`` before running its target.

    Args:
        module_or_code: a module name (imported as warm-up, then ``main(report)`` is called
            confined; a ``warm()`` function, if any, runs before confining) or Python source
            (run confined, with ``confinement_report`` bound). ``kind`` disambiguates.
        scratch_dir: the worker's private writable directory; created if needed, made 0700 and
            given to the worker's uid.
        pass_fds: descriptors the worker inherits (e.g. one end of a socketpair); nothing else.
        sys_path: entries put in front of ``sys.path`` (default :func:`default_sys_path`).
        policy: confinement policy; its ``scratch_dir`` must match (default: defaults).
        use_bwrap: ``"auto"`` (use bubblewrap when it works here), True (require it), False.
        args: ``sys.argv[1:]`` for the target.
        warm_imports: modules imported before confining (Landlock hides files afterwards).
        extra_env: additional environment variables (names that look like secrets are refused).
        python: interpreter (default ``sys.executable``).
        bwrap_executable: explicit bwrap path (default: found on ``PATH``).
        diagnostics_bytes: bytes of stdout and of stderr kept for :meth:`diagnostics`.

    Raises:
        ValueError: bad arguments (relative or unreachable scratch dir, policy mismatch...).
        RuntimeError: ``use_bwrap=True`` but bwrap cannot be used here.
    """
    scratch = os.path.abspath(os.fspath(scratch_dir))
    if policy is None:
        policy = ConfinementPolicy(scratch_dir=scratch)
    elif os.path.abspath(policy.scratch_dir) != scratch:
        raise ValueError(
            f"policy.scratch_dir {policy.scratch_dir!r} differs from scratch_dir {scratch!r}; "
            "pass the same directory to both"
        )
    fds = []
    for fd in pass_fds:
        if not isinstance(fd, int) or fd < 3:
            raise ValueError(f"pass_fds must hold descriptors >= 3, got {fd!r}")
        try:
            os.fstat(fd)
        except OSError as exc:
            raise ValueError(f"pass_fds: descriptor {fd} is not open ({exc.strerror})") from exc
        fds.append(fd)
    if use_bwrap not in (True, False, "auto"):
        raise ValueError(f"use_bwrap must be True, False or 'auto', got {use_bwrap!r}")
    target = _target(module_or_code, kind)
    env = _environment(extra_env)
    paths = list(default_sys_path() if sys_path is None else sys_path)
    executable = python or sys.executable

    as_root = os.geteuid() == 0
    launch = LaunchInfo(pass_fds=sorted(fds), allowed_env=sorted(env))
    launch.launcher_netns = current_namespace()
    launch.launcher_pid = os.getpid()
    bwrap_path = None
    if use_bwrap is False:
        launch.bwrap, launch.bwrap_reason = "disabled", "use_bwrap=False"
    else:
        probe = probe_bwrap(bwrap_executable, as_root)
        if probe.usable:
            bwrap_path = probe.path
            launch.bwrap, launch.bwrap_reason = "active", probe.reason
            launch.allowed_env = sorted({*env, "PWD"})  # bwrap --chdir sets PWD=scratch_dir
        elif use_bwrap is True:
            raise RuntimeError(f"use_bwrap=True but {probe.reason}")
        else:
            launch.bwrap, launch.bwrap_reason = "unavailable", probe.reason

    uid, gid = _owner_for(policy, bwrap_path is not None)
    scratch = prepare_scratch_dir(scratch, uid=uid, gid=gid)

    spec = {
        "policy": policy.to_dict(),
        "launch": launch.to_dict(),
        "target": target,
        "args": list(args),
        "warm_imports": list(warm_imports),
    }
    command = [
        executable,
        "-I",
        "-S",
        "-B",
        "-c",
        _PRELUDE.format(paths=paths),
        json.dumps(spec),
    ]
    if bwrap_path is not None:
        read_only = [
            sys.prefix,
            sys.base_prefix,
            os.path.dirname(os.path.dirname(os.path.realpath(executable))),
            os.path.dirname(executable),
            *paths,
            *policy.read_paths,
        ]
        options = bwrap_arguments(
            read_only=read_only,
            scratch_dir=scratch,
            env=env,
            as_root=as_root,
            uid=policy.worker_uid,
            gid=policy.worker_gid,
        )
        for path in policy.write_paths:
            options += ["--bind", path, path]
        command = [bwrap_path, *options, "--", *command]
    return WorkerProcess(
        command,
        policy=policy,
        launch=launch,
        diagnostics_bytes=diagnostics_bytes,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        close_fds=True,
        pass_fds=tuple(fds),
        start_new_session=True,
        cwd=scratch,
    )
