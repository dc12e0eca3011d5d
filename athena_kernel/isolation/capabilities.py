"""Linux capabilities of the current process: read them, and drop them all.

Used after entering a user namespace (which grants a full capability set *inside* it) and to
verify a privilege drop.
"""

from __future__ import annotations

import ctypes

from . import _native

_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def capability_sets() -> dict[str, int]:
    """``{"effective", "permitted", "inheritable"}`` bitmasks via ``capget`` (no /proc needed)."""
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _native.libc_call("capget", ctypes.addressof(header), ctypes.addressof(data))
    return {
        name: getattr(data[0], name) | (getattr(data[1], name) << 32)
        for name in ("effective", "permitted", "inheritable")
    }


def drop_all_capabilities() -> None:
    """Clear the effective, permitted and inheritable sets (``capset`` with zeros)."""
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _native.libc_call("capset", ctypes.addressof(header), ctypes.addressof(data))


def last_capability() -> int:
    """Highest capability number the kernel knows (``/proc/sys/kernel/cap_last_cap``; 40 if
    unreadable)."""
    try:
        with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return 40


def drop_bounding_set() -> list[int]:
    """Remove every capability from the bounding set (needs CAP_SETPCAP); return the failures."""
    failed = []
    for cap in range(last_capability() + 1):
        try:
            if _native.prctl(_native.PR_CAPBSET_READ, cap) == 1:
                _native.prctl(_native.PR_CAPBSET_DROP, cap)
        except OSError:
            failed.append(cap)
    return failed


def clear_ambient() -> None:
    """Clear the ambient set (ignored on kernels before 4.3, which have none)."""
    try:
        _native.prctl(_native.PR_CAP_AMBIENT, _native.PR_CAP_AMBIENT_CLEAR_ALL)
    except OSError:
        pass
