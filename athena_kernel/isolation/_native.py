"""Thin ctypes access to the C library: raw system calls and ``prctl`` with errno as ``OSError``.

Every OS layer of the isolation package goes through these two functions, so that a failing call
always surfaces as an ``OSError`` carrying the real errno (``EPERM``, ``ENOSYS``, ``EINVAL``...),
which the layers turn into a truthful "unavailable"/"failed" line of the confinement report.
"""

from __future__ import annotations

import ctypes
import os
import platform
from functools import lru_cache

#: ``prctl`` options used by the layers (include/uapi/linux/prctl.h).
PR_SET_PDEATHSIG = 1
PR_GET_DUMPABLE = 3
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24
PR_GET_SECCOMP = 21
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4


@lru_cache(maxsize=1)
def libc() -> ctypes.CDLL:
    """The process's C library (already loaded, so no file is opened), with errno tracking."""
    return ctypes.CDLL(None, use_errno=True)


def machine() -> str:
    """The CPU architecture as the kernel names it (``x86_64``, ``aarch64``...)."""
    return platform.machine() or os.uname().machine


def syscall(number: int, *args: int) -> int:
    """Call system call ``number`` with integer/pointer arguments; raise ``OSError`` on -1.

    Arguments are passed as C ``long`` (pointers as their integer address). Returns the call's
    non-negative result.
    """
    func = libc().syscall
    func.restype = ctypes.c_long
    c_args = [ctypes.c_long(number), *(ctypes.c_long(a) for a in args)]
    ctypes.set_errno(0)
    result = func(*c_args)
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"syscall {number}: {os.strerror(err)}")
    return int(result)


def libc_call(name: str, *args: int) -> int:
    """Call the C library function ``name`` with C ``long`` arguments; ``OSError`` on -1."""
    func = getattr(libc(), name)
    func.restype = ctypes.c_int
    c_args = [ctypes.c_long(a) for a in args]
    ctypes.set_errno(0)
    result = func(*c_args)
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")
    return int(result)


def prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
    """``prctl(2)``; raise ``OSError`` with the errno on failure, return its result otherwise."""
    func = libc().prctl
    func.restype = ctypes.c_int
    func.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    ctypes.set_errno(0)
    result = func(option, arg2, arg3, arg4, arg5)
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")
    return int(result)


def thread_count() -> int:
    """Number of threads of this process (from ``/proc/self/task``; 1 when that is unreadable)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def proc_status() -> dict[str, str]:
    """``/proc/self/status`` as a dict (empty if /proc is not readable)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return {}
    out: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def errno_text(exc: OSError) -> str:
    """``"EPERM (Operation not permitted)"`` for an ``OSError``."""
    import errno as _errno

    code = exc.errno or 0
    name = _errno.errorcode.get(code, str(code))
    return f"{name} ({os.strerror(code)})"


def open_fds() -> list[int]:
    """Descriptors open in this process (empty if ``/proc/self/fd`` cannot be listed).

    The descriptor ``listdir`` itself used is closed again by the time we look, so every listed
    number is checked with ``fstat`` and the closed one drops out.
    """
    try:
        listed = sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        return []
    still_open = []
    for fd in listed:
        try:
            os.fstat(fd)
        except OSError:
            continue
        still_open.append(fd)
    return still_open
