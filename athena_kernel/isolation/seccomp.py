"""The worker's seccomp-BPF filter: which system calls it refuses, assembled and installed by us.

The filter is a deny-list on top of the other layers: every call not named here is allowed, every
call named here fails with ``EPERM`` (``clone3`` with ``ENOSYS`` so that glibc falls back to
``clone`` for threads), and a call made through another ABI than the interpreter's own (32-bit
``int 0x80`` or x32 on x86_64) kills the process. :data:`DEFAULT_RULES` documents each entry;
``docs/isolation.md`` lists them and a test keeps that list in sync.

Installing needs ``no_new_privs`` (or ``CAP_SYS_ADMIN``) and is irreversible for the process and
every thread it creates afterwards.
"""

from __future__ import annotations

import ctypes
import errno
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import _native
from .bpf import Assembler, Instruction, pack, run
from .syscalls import X32_SYSCALL_BIT, SyscallTable

SECCOMP_SET_MODE_FILTER = 1
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ACTION_FULL = 0xFFFF0000
SECCOMP_RET_DATA = 0x0000FFFF

CLONE_THREAD = 0x00010000
#: CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET, and 0x80 (NEWTIME for
#: clone3/unshare; in clone() that bit belongs to the exit-signal byte, which threads leave 0).
CLONE_NAMESPACE_FLAGS = (
    0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80
)
TIOCSTI = 0x5412
TIOCLINUX = 0x541C

#: Byte offsets in ``struct seccomp_data``.
OFFSET_NR = 0
OFFSET_ARCH = 4
OFFSET_ARGS = 16


def arg_low_offset(index: int) -> int:
    """Offset of the low 32 bits of argument ``index`` (little-endian architectures)."""
    if not 0 <= index < 6:
        raise ValueError(f"system-call argument index must be 0..5, got {index}")
    return OFFSET_ARGS + 8 * index


@dataclass(frozen=True)
class SyscallRule:
    """One entry of the filter.

    ``kind`` is one of:
      - ``"deny"``: the call always fails with ``errno``;
      - ``"self_only"``: allowed only when argument ``arg`` (a pid) is the worker's own pid
        (or 0 when ``allow_zero``, which means "myself" for that call), else ``errno``;
      - ``"threads_only"``: ``clone`` allowed only with ``CLONE_THREAD`` and no namespace flag;
      - ``"deny_values"``: fails with ``errno`` when argument ``arg`` is one of ``values``.
    """

    syscall: str
    reason: str
    kind: str = "deny"
    errno: int = errno.EPERM
    arg: int = 0
    allow_zero: bool = False
    values: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("deny", "self_only", "threads_only", "deny_values"):
            raise ValueError(
                f"SyscallRule.kind must be deny/self_only/threads_only/deny_values, "
                f"got {self.kind!r}"
            )


def _deny(names: str, reason: str, err: int = errno.EPERM) -> list[SyscallRule]:
    return [SyscallRule(name, reason, errno=err) for name in names.split()]


#: The filter's entries, each with the reason it is there.
DEFAULT_RULES: tuple[SyscallRule, ...] = tuple(
    [
        *_deny(
            "socket",
            "no new sockets of any family (network, AF_UNIX, netlink): the worker's only "
            "channel is the socketpair it inherits",
        ),
        *_deny(
            "bind listen connect accept accept4",
            "no serving or connecting, even on a socket that leaked in",
        ),
        *_deny("fork vfork", "no new processes (fork bombs, helpers outside the sandbox)"),
        SyscallRule(
            "clone",
            "threads only: clone without CLONE_THREAD (a new process) or with a namespace flag "
            "is refused",
            kind="threads_only",
        ),
        SyscallRule(
            "clone3",
            "its flags live in memory seccomp cannot read; ENOSYS makes glibc fall back to clone",
            errno=errno.ENOSYS,
        ),
        *_deny("execve execveat", "no running other programs"),
        *_deny(
            "ptrace process_vm_readv process_vm_writev kcmp pidfd_open pidfd_getfd "
            "pidfd_send_signal process_madvise process_mrelease",
            "no reading, writing, stealing descriptors from or signalling other processes",
        ),
        SyscallRule("kill", "signals only to itself", kind="self_only"),
        SyscallRule("tkill", "signals only to its own main thread", kind="self_only"),
        SyscallRule("tgkill", "signals only to its own threads", kind="self_only"),
        SyscallRule("rt_sigqueueinfo", "signals only to itself", kind="self_only"),
        SyscallRule("rt_tgsigqueueinfo", "signals only to its own threads", kind="self_only"),
        SyscallRule(
            "prlimit64", "may read/lower its own limits only", kind="self_only", allow_zero=True
        ),
        SyscallRule("get_robust_list", "own futex list only", kind="self_only", allow_zero=True),
        *[
            SyscallRule(name, "scheduling of itself only", kind="self_only", allow_zero=True)
            for name in ("sched_setaffinity", "sched_setscheduler", "sched_setparam")
        ],
        SyscallRule(
            "sched_setattr", "scheduling of itself only", kind="self_only", allow_zero=True
        ),
        *_deny(
            "setpriority ioprio_set migrate_pages move_pages",
            "no changing other processes' priority or memory placement",
        ),
        *_deny(
            "mount umount2 pivot_root chroot open_tree move_mount fsopen fsconfig fsmount "
            "fspick mount_setattr statmount listmount",
            "no changing or inspecting the mount table",
        ),
        *_deny("unshare setns", "no new or foreign namespaces (would undo the network layer)"),
        *_deny(
            "bpf perf_event_open userfaultfd",
            "large kernel attack surface, frequent in kernel exploits",
        ),
        *_deny(
            "io_uring_setup io_uring_enter io_uring_register",
            "io_uring performs I/O that seccomp never sees",
        ),
        *_deny("keyctl add_key request_key", "the kernel keyring is shared with the user"),
        *_deny(
            "open_by_handle_at name_to_handle_at",
            "file handles bypass path checks (the 'shocker' container escape)",
        ),
        *_deny("personality", "could turn off address-space randomisation"),
        *_deny(
            "kexec_load kexec_file_load reboot init_module finit_module delete_module "
            "create_module get_kernel_syms query_module swapon swapoff acct settimeofday "
            "clock_settime clock_adjtime adjtimex sethostname setdomainname vhangup nfsservctl "
            "_sysctl uselib iopl ioperm modify_ldt lookup_dcookie quotactl quotactl_fd syslog "
            "fanotify_init",
            "system administration: never needed by user code",
        ),
        *_deny(
            "chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat setxattr lsetxattr "
            "fsetxattr removexattr lremovexattr fremovexattr setxattrat removexattrat",
            "no changing permissions, owners or extended attributes: Landlock does not cover "
            "them, and a worker with the kernel's uid could loosen the kernel's own files",
        ),
        *_deny(
            "setuid setgid setreuid setregid setresuid setresgid setgroups setfsuid setfsgid "
            "capset",
            "identity and capabilities are fixed once confined",
        ),
        *_deny(
            "shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd msgrcv "
            "msgctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr",
            "System V / POSIX IPC objects are shared host-wide (no IPC namespace)",
        ),
        SyscallRule(
            "ioctl",
            "no TIOCSTI/TIOCLINUX: typing into a terminal the worker might still hold",
            kind="deny_values",
            arg=1,
            values=(TIOCSTI, TIOCLINUX),
        ),
    ]
)


def _errno_label(err: int) -> str:
    return f"errno_{err}"


def build_filter(
    table: SyscallTable, own_pid: int, rules: Iterable[SyscallRule] = DEFAULT_RULES
) -> list[Instruction]:
    """Assemble the filter for ``table``'s architecture, with ``own_pid`` for self-only rules.

    Rules naming a call the architecture lacks (``fork`` on aarch64) are skipped. Raises
    ``ValueError`` when two rules name the same call.
    """
    rules = list(rules)
    seen: set[str] = set()
    for rule in rules:
        if rule.syscall in seen:
            raise ValueError(f"system call {rule.syscall!r} has two rules; keep one")
        seen.add(rule.syscall)
    present = [r for r in rules if table.number(r.syscall) is not None]
    plain = [r for r in present if r.kind == "deny"]
    special = [r for r in present if r.kind != "deny"]
    errnos = sorted({r.errno for r in plain} | {r.errno for r in special})

    asm = Assembler()
    asm.load(OFFSET_ARCH)
    asm.jump_eq(table.audit_arch, jt="arch_ok")
    asm.ret(SECCOMP_RET_KILL_PROCESS)
    asm.label("arch_ok")
    asm.load(OFFSET_NR)
    if table.has_x32:
        asm.jump_ge(X32_SYSCALL_BIT, jf="abi_ok")
        asm.ret(SECCOMP_RET_KILL_PROCESS)
        asm.label("abi_ok")
    for rule in plain:
        asm.jump_eq(_number(table, rule), jt=_errno_label(rule.errno))
    for rule in special:
        asm.jump_eq(_number(table, rule), jt=f"rule_{rule.syscall}")
    asm.ret(SECCOMP_RET_ALLOW)
    for err in errnos:
        asm.label(_errno_label(err))
        asm.ret(SECCOMP_RET_ERRNO | err)
    for rule in special:
        _emit_special(asm, rule, own_pid)
    return asm.assemble()


def _number(table: SyscallTable, rule: SyscallRule) -> int:
    number = table.number(rule.syscall)
    assert number is not None
    return number


def _emit_special(asm: Assembler, rule: SyscallRule, own_pid: int) -> None:
    name = rule.syscall
    deny = SECCOMP_RET_ERRNO | rule.errno
    asm.label(f"rule_{name}")
    if rule.kind == "self_only":
        asm.load(arg_low_offset(rule.arg))
        asm.jump_eq(own_pid, jt=f"allow_{name}")
        if rule.allow_zero:
            asm.jump_eq(0, jt=f"allow_{name}")
        asm.ret(deny)
        asm.label(f"allow_{name}")
        asm.ret(SECCOMP_RET_ALLOW)
    elif rule.kind == "threads_only":
        asm.load(arg_low_offset(0))
        asm.jump_set(CLONE_THREAD, jf=f"deny_{name}")
        asm.jump_set(CLONE_NAMESPACE_FLAGS, jt=f"deny_{name}")
        asm.ret(SECCOMP_RET_ALLOW)
        asm.label(f"deny_{name}")
        asm.ret(deny)
    else:  # deny_values
        asm.load(arg_low_offset(rule.arg))
        for value in rule.values:
            asm.jump_eq(value, jt=f"deny_{name}")
        asm.ret(SECCOMP_RET_ALLOW)
        asm.label(f"deny_{name}")
        asm.ret(deny)


def seccomp_data(nr: int, arch: int, args: Sequence[int] = (), ip: int = 0) -> bytes:
    """A ``struct seccomp_data`` (little-endian) for interpreting a filter in tests."""
    full = [*(a & 0xFFFFFFFFFFFFFFFF for a in args), 0, 0, 0, 0, 0, 0][:6]
    return struct.pack("<iIQ6Q", nr, arch, ip, *full)


def decide(
    program: Sequence[Instruction],
    table: SyscallTable,
    syscall: str | int,
    args: Sequence[int] = (),
    *,
    arch: int | None = None,
) -> int:
    """The filter's action for one call (by name or number), computed by the interpreter."""
    nr = syscall if isinstance(syscall, int) else table.number(syscall)
    if nr is None:
        raise ValueError(f"{table.machine} has no system call named {syscall!r}")
    return run(program, seccomp_data(nr, table.audit_arch if arch is None else arch, args))


def describe_action(value: int) -> str:
    """``"allow"``, ``"errno EPERM"``, ``"kill process"``... for a filter's return value."""
    action = value & SECCOMP_RET_ACTION_FULL
    if action == SECCOMP_RET_ALLOW:
        return "allow"
    if action == SECCOMP_RET_KILL_PROCESS:
        return "kill process"
    if action == SECCOMP_RET_ERRNO:
        data = value & SECCOMP_RET_DATA
        return f"errno {errno.errorcode.get(data, data)}"
    return f"action {value:#010x}"


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: Sequence[Instruction], table: SyscallTable) -> None:
    """Load ``program`` as this process's seccomp filter (needs no_new_privs).

    Raises ``OSError`` with the kernel's errno (``EACCES`` without no_new_privs, ``EINVAL`` for
    a malformed program or a kernel without seccomp filters).
    """
    blob = ctypes.create_string_buffer(pack(program), len(program) * 8)
    fprog = _SockFprog(len(program), ctypes.addressof(blob))
    number = table.number("seccomp")
    try:
        if number is None:
            raise OSError(errno.ENOSYS, "no seccomp system call number")
        _native.syscall(number, SECCOMP_SET_MODE_FILTER, 0, ctypes.addressof(fprog))
    except OSError as exc:
        if exc.errno != errno.ENOSYS:
            raise
        _native.prctl(_native.PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def current_mode() -> int:
    """0 (off), 1 (strict) or 2 (filter): ``prctl(PR_GET_SECCOMP)``."""
    return _native.prctl(_native.PR_GET_SECCOMP)


def rules_table(rules: Iterable[SyscallRule] = DEFAULT_RULES) -> str:
    """Markdown table of the rules (system calls, decision, reason) for the documentation.

    Consecutive rules with the same decision and reason share one row.
    """
    rows: list[tuple[list[str], str, str]] = []
    for rule in rules:
        err = errno.errorcode.get(rule.errno, str(rule.errno))
        decision = {
            "deny": f"fails with {err}",
            "self_only": f"{err} unless aimed at the worker itself"
            + (" (or 0)" if rule.allow_zero else ""),
            "threads_only": f"{err} unless it creates a thread",
            "deny_values": f"{err} for " + ", ".join(f"{v:#x}" for v in rule.values),
        }[rule.kind]
        if rows and rows[-1][1] == decision and rows[-1][2] == rule.reason:
            rows[-1][0].append(rule.syscall)
        else:
            rows.append(([rule.syscall], decision, rule.reason))
    lines = ["| system calls | decision | why |", "|---|---|---|"]
    for names, decision, reason in rows:
        lines.append(f"| {', '.join(f'`{n}`' for n in names)} | {decision} | {reason} |")
    return "\n".join(lines) + "\n"
