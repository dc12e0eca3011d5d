"""Optional outer layer: run the worker under bubblewrap (``bwrap``) when the machine has it.

bwrap gives the worker a filesystem of its own: the Python installation and the project mounted
read-only, the scratch directory read-write, a fresh ``/proc`` and minimal ``/dev``, and new
user, PID, IPC, UTS, cgroup and network namespaces. It is detected, never required; the worker
confines itself the same way inside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: System directories the interpreter's shared libraries live in (bound read-only, or recreated
#: as symlinks when they are symlinks on the host, as with a merged /usr).
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/ld.so.cache",)


@dataclass(frozen=True)
class BwrapProbe:
    """Whether bwrap can be used here: its path, or why not."""

    path: str | None
    reason: str

    @property
    def usable(self) -> bool:
        """True when bwrap was found and a trial sandbox started."""
        return self.path is not None


def _identity_arguments(as_root: bool, uid: int, gid: int) -> list[str]:
    if not as_root:
        return []
    # As root, run as the worker's uid inside a user namespace: root's own files (the
    # Python installation under /root) stay readable through the read-only binds, while the
    # process holds no capability outside its namespaces.
    return ["--unshare-user", "--uid", str(uid), "--gid", str(gid)]


@lru_cache(maxsize=8)
def probe_bwrap(executable: str | None = None, as_root: bool | None = None) -> BwrapProbe:
    """Find bwrap (``executable`` or on ``PATH``) and check that a trial sandbox starts."""
    path = executable or shutil.which("bwrap")
    if not path:
        return BwrapProbe(None, "bwrap is not installed (optional: Debian/Ubuntu 'bubblewrap')")
    root = os.geteuid() == 0 if as_root is None else as_root
    true = shutil.which("true") or "/bin/true"
    argv = [
        path,
        "--ro-bind",
        "/",
        "/",
        "--unshare-all",
        *_identity_arguments(root, 65534, 65534),
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--",
        true,
    ]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=10, env={}, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return BwrapProbe(None, f"bwrap at {path} cannot run: {exc}")
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        why = message[-1] if message else f"exit status {done.returncode}"
        return BwrapProbe(None, f"bwrap at {path} cannot create a sandbox here: {why}")
    return BwrapProbe(path, f"bwrap at {path}")


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    """Existing real paths, without those already inside another one, shortest first."""
    real = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)}, key=len)
    kept: list[str] = []
    for path in real:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def bwrap_arguments(
    *,
    read_only: Sequence[str],
    scratch_dir: str,
    env: Mapping[str, str],
    as_root: bool,
    uid: int,
    gid: int,
) -> list[str]:
    """bwrap options (everything before ``--``) for one worker.

    ``read_only`` are the paths to mount read-only (the Python installation, sys.path entries,
    the project); system library directories are added. ``env`` is the whole environment.
    """
    args = [
        "--unshare-all",
        *_identity_arguments(as_root, uid, gid),
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
    ]
    for key, value in sorted(env.items()):
        args += ["--setenv", key, value]
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    for path in _minimal_paths(read_only):
        if not any(path == s or path.startswith(s + "/") for s in SYSTEM_PATHS):
            args += ["--ro-bind", path, path]
    args += ["--bind", scratch_dir, scratch_dir, "--chdir", scratch_dir]
    args += ["--proc", "/proc", "--dev", "/dev"]
    return args
