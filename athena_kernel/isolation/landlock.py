"""Landlock: an unprivileged, irreversible filesystem (and TCP, and IPC-scope) allowlist.

A ruleset *handles* access rights (everything handled is denied unless a rule grants it beneath a
path); which rights exist depends on the kernel's Landlock ABI:

====  =====================================================================================
ABI   adds
====  =====================================================================================
1     execute, read/write file, read dir, remove dir/file, make char/dir/reg/sock/fifo/block/sym
2     refer (link/rename across directories)
3     truncate
4     TCP bind and connect (network rules)
5     ioctl on device files
6     scoping: no connecting to abstract unix sockets or signalling outside the domain
7     audit-log flags (not needed here)
====  =====================================================================================

Use: :func:`abi_version`, then :class:`Ruleset` (build it *before* dropping privileges: the rule
paths are opened as ``O_PATH`` by the current user), then :meth:`Ruleset.restrict_self` after
``no_new_privs``. Landlock applies to the calling thread and its future children only, so the
process must be single-threaded when it restricts itself.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import _native

SYS_LANDLOCK_CREATE_RULESET = 444  # same number on every architecture
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
LANDLOCK_RULE_NET_PORT = 2

ACCESS_FS_EXECUTE = 1 << 0
ACCESS_FS_WRITE_FILE = 1 << 1
ACCESS_FS_READ_FILE = 1 << 2
ACCESS_FS_READ_DIR = 1 << 3
ACCESS_FS_REMOVE_DIR = 1 << 4
ACCESS_FS_REMOVE_FILE = 1 << 5
ACCESS_FS_MAKE_CHAR = 1 << 6
ACCESS_FS_MAKE_DIR = 1 << 7
ACCESS_FS_MAKE_REG = 1 << 8
ACCESS_FS_MAKE_SOCK = 1 << 9
ACCESS_FS_MAKE_FIFO = 1 << 10
ACCESS_FS_MAKE_BLOCK = 1 << 11
ACCESS_FS_MAKE_SYM = 1 << 12
ACCESS_FS_REFER = 1 << 13  # ABI 2
ACCESS_FS_TRUNCATE = 1 << 14  # ABI 3
ACCESS_FS_IOCTL_DEV = 1 << 15  # ABI 5
ACCESS_NET_BIND_TCP = 1 << 0  # ABI 4
ACCESS_NET_CONNECT_TCP = 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1  # ABI 6

#: Rights that make sense on a regular file (a rule on a file may only grant these).
FILE_RIGHTS = (
    ACCESS_FS_EXECUTE
    | ACCESS_FS_WRITE_FILE
    | ACCESS_FS_READ_FILE
    | ACCESS_FS_TRUNCATE
    | ACCESS_FS_IOCTL_DEV
)
#: Granted beneath read-only paths.
READ_RIGHTS = ACCESS_FS_READ_FILE | ACCESS_FS_READ_DIR
#: Granted beneath the scratch directory: everything except execute, devices and ioctl.
WRITE_RIGHTS = (
    READ_RIGHTS
    | ACCESS_FS_WRITE_FILE
    | ACCESS_FS_REMOVE_DIR
    | ACCESS_FS_REMOVE_FILE
    | ACCESS_FS_MAKE_DIR
    | ACCESS_FS_MAKE_REG
    | ACCESS_FS_MAKE_SOCK
    | ACCESS_FS_MAKE_FIFO
    | ACCESS_FS_MAKE_SYM
    | ACCESS_FS_REFER
    | ACCESS_FS_TRUNCATE
)


def handled_fs_rights(abi: int) -> int:
    """Every filesystem right the given ABI knows (all of them are handled, i.e. denied)."""
    if abi < 1:
        return 0
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= ACCESS_FS_REFER
    if abi >= 3:
        rights |= ACCESS_FS_TRUNCATE
    if abi >= 5:
        rights |= ACCESS_FS_IOCTL_DEV
    return rights


def handled_net_rights(abi: int) -> int:
    """TCP bind+connect from ABI 4 on (no rule is added, so both are denied on every port)."""
    return ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP if abi >= 4 else 0


def scopes(abi: int) -> int:
    """Abstract-unix-socket and signal scoping from ABI 6 on."""
    return SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0


def abi_version() -> int:
    """The running kernel's Landlock ABI version.

    Raises ``OSError``: ``ENOSYS`` (kernel built without Landlock, or a seccomp policy such as a
    container runtime's hides the call) or ``EOPNOTSUPP`` (built in but disabled at boot).
    """
    return _native.syscall(SYS_LANDLOCK_CREATE_RULESET, 0, 0, LANDLOCK_CREATE_RULESET_VERSION)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _attr_size(abi: int) -> int:
    """Size of ``struct landlock_ruleset_attr`` as that ABI defines it (8, 16 or 24 bytes)."""
    if abi >= 6:
        return 24
    if abi >= 4:
        return 16
    return 8


@dataclass
class Ruleset:
    """An open Landlock ruleset: handled rights for ``abi`` plus path rules added so far."""

    abi: int
    fd: int
    handled_fs: int
    handled_net: int
    scoped: int
    rules: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, abi: int) -> Ruleset:
        """Create a ruleset that handles every right ``abi`` knows (raises ``OSError``)."""
        attr = _RulesetAttr(handled_fs_rights(abi), handled_net_rights(abi), scopes(abi))
        fd = _native.syscall(
            SYS_LANDLOCK_CREATE_RULESET, ctypes.addressof(attr), _attr_size(abi), 0
        )
        return cls(abi, fd, attr.handled_access_fs, attr.handled_access_net, attr.scoped)

    def allow(self, path: str, rights: int) -> None:
        """Grant ``rights`` (masked to what is handled) beneath ``path``.

        For a non-directory only file rights are granted. Raises ``OSError`` (e.g. ``ENOENT``)
        when the path cannot be opened.
        """
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        try:
            allowed = rights & self.handled_fs
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                allowed &= FILE_RIGHTS
            attr = _PathBeneathAttr(allowed, fd)
            _native.syscall(
                SYS_LANDLOCK_ADD_RULE,
                self.fd,
                LANDLOCK_RULE_PATH_BENEATH,
                ctypes.addressof(attr),
                0,
            )
        finally:
            os.close(fd)
        self.rules.append(f"{path} ({describe_rights(allowed)})")

    def allow_all(self, paths: Iterable[str], rights: int) -> None:
        """:meth:`allow` for each path."""
        for path in paths:
            self.allow(path, rights)

    def restrict_self(self) -> None:
        """Enforce the ruleset on this thread (and everything it starts); closes the ruleset.

        Needs ``no_new_privs`` (or ``CAP_SYS_ADMIN``); raises ``OSError`` (``EPERM``) otherwise.
        """
        try:
            _native.syscall(SYS_LANDLOCK_RESTRICT_SELF, self.fd, 0)
        finally:
            self.close()

    def close(self) -> None:
        """Close the ruleset's file descriptor (idempotent)."""
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError as exc:  # already closed by someone else
                if exc.errno != errno.EBADF:
                    raise
            self.fd = -1


_RIGHT_NAMES = {
    ACCESS_FS_EXECUTE: "execute",
    ACCESS_FS_WRITE_FILE: "write",
    ACCESS_FS_READ_FILE: "read",
    ACCESS_FS_READ_DIR: "list",
    ACCESS_FS_REMOVE_DIR: "rmdir",
    ACCESS_FS_REMOVE_FILE: "unlink",
    ACCESS_FS_MAKE_CHAR: "mkchar",
    ACCESS_FS_MAKE_DIR: "mkdir",
    ACCESS_FS_MAKE_REG: "create",
    ACCESS_FS_MAKE_SOCK: "mksock",
    ACCESS_FS_MAKE_FIFO: "mkfifo",
    ACCESS_FS_MAKE_BLOCK: "mkblock",
    ACCESS_FS_MAKE_SYM: "symlink",
    ACCESS_FS_REFER: "refer",
    ACCESS_FS_TRUNCATE: "truncate",
    ACCESS_FS_IOCTL_DEV: "ioctl",
}


def describe_rights(rights: int) -> str:
    """``"read,list"`` for a filesystem-rights bitmask."""
    names = [name for bit, name in _RIGHT_NAMES.items() if rights & bit]
    return ",".join(names) or "none"
