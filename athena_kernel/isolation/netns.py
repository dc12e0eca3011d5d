"""A private network namespace: the worker sees only a loopback interface that is down.

As root: ``unshare(CLONE_NEWNET)``. As another user: ``unshare(CLONE_NEWUSER | CLONE_NEWNET)``
with the user's own uid/gid mapped (no new identity), then every capability the new user
namespace granted is dropped. Must run while the process is single-threaded. When the launcher
already put the worker in another namespace (bwrap), that is detected and reported instead.
"""

from __future__ import annotations

import os
import socket

from . import _native
from .capabilities import capability_sets, drop_all_capabilities
from .report import LayerResult, LayerStatus

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

_NAME = "network_namespace"


def current_namespace() -> str | None:
    """``"net:[4026531840]"``-style id of this process's network namespace (None if unknown)."""
    try:
        return os.readlink("/proc/self/ns/net")
    except OSError:
        return None


def interfaces() -> list[str]:
    """Names of the network interfaces visible here (empty if they cannot be listed)."""
    try:
        return sorted(name for _, name in socket.if_nameindex())
    except OSError:
        return []


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as fh:
        fh.write(text)


def _enter_user_and_network_namespace() -> None:
    uid, gid = os.getuid(), os.getgid()
    _native.libc_call("unshare", CLONE_NEWUSER | CLONE_NEWNET)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
    _write("/proc/self/gid_map", f"{gid} {gid} 1\n")
    drop_all_capabilities()


def _verified(before: str | None, how: str) -> LayerResult:
    after = current_namespace()
    names = interfaces()
    others = [n for n in names if n != "lo"]
    if after is not None and after == before:
        return LayerResult(
            _NAME, LayerStatus.FAILED, reason=f"{how}, but the namespace is unchanged"
        )
    if others:
        return LayerResult(
            _NAME, LayerStatus.FAILED, reason=f"{how}, but interfaces {others} are still visible"
        )
    detail = f"{how}; interfaces: {', '.join(names) or 'none'}"
    return LayerResult(_NAME, LayerStatus.ACTIVE, detail, verified=True)


def isolate_network(*, launcher_namespace: str | None = None) -> LayerResult:
    """Move this process into a new, empty network namespace and report it.

    ``launcher_namespace`` is the launcher's own namespace id: if we are already elsewhere
    (started under bwrap ``--unshare-net``), nothing more is done.
    """
    before = current_namespace()
    if launcher_namespace and before and before != launcher_namespace:
        return _verified(launcher_namespace, "separate namespace set up by the launcher (bwrap)")
    if _native.thread_count() != 1:
        return LayerResult(_NAME, LayerStatus.FAILED, reason="process already has threads")
    try:
        if os.geteuid() == 0:
            _native.libc_call("unshare", CLONE_NEWNET)
            how = "unshare(CLONE_NEWNET)"
        else:
            _enter_user_and_network_namespace()
            how = "unshare(CLONE_NEWUSER|CLONE_NEWNET), capabilities dropped"
    except OSError as exc:
        return LayerResult(
            _NAME,
            LayerStatus.UNAVAILABLE,
            reason=f"cannot create a network namespace: {_native.errno_text(exc)} (unprivileged "
            "user namespaces disabled, or a container without CAP_SYS_ADMIN); the seccomp "
            "layer still refuses socket creation",
        )
    if os.geteuid() != 0 and capability_sets()["effective"]:
        return LayerResult(
            _NAME, LayerStatus.FAILED, reason="capabilities of the new user namespace remain"
        )
    return _verified(before, how)
