"""The seccomp filter's decisions, checked by interpreting the assembled program."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from athena_kernel.isolation import seccomp
from athena_kernel.isolation.seccomp import (
    DEFAULT_RULES,
    SECCOMP_RET_ALLOW,
    SECCOMP_RET_ERRNO,
    SECCOMP_RET_KILL_PROCESS,
    SyscallRule,
    build_filter,
    decide,
    describe_action,
    rules_table,
)
from athena_kernel.isolation.syscalls import AARCH64, X86_64, SyscallTable

PID = 4242
EPERM = SECCOMP_RET_ERRNO | errno.EPERM
ENOSYS = SECCOMP_RET_ERRNO | errno.ENOSYS
# glibc pthread_create: VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
THREAD_FLAGS = 0x3D0F00
FORK_FLAGS = 0x01200011  # CHILD_SETTID|CHILD_CLEARTID|SIGCHLD, as glibc's fork() uses
ROOT = Path(__file__).resolve().parents[2]
#: Calls added after Linux 6.1 (the headers of Debian 12): 452 fchmodat2 (6.6), 457/458
#: statmount/listmount (6.8), 463/466 setxattrat/removexattrat (6.13).
NEWER_CALLS = {"fchmodat2", "statmount", "listmount", "setxattrat", "removexattrat"}


@pytest.fixture(scope="module", params=[X86_64, AARCH64], ids=lambda t: t.machine)
def table(request) -> SyscallTable:
    return request.param


@pytest.fixture(scope="module")
def program(table: SyscallTable):
    return build_filter(table, PID)


def test_ordinary_calls_are_allowed(program, table) -> None:
    for name in ("read", "write", "openat", "getpid", "socketpair", "seccomp"):
        assert decide(program, table, name) == SECCOMP_RET_ALLOW, name


@pytest.mark.parametrize(
    "name",
    [
        "socket", "connect", "bind", "execve", "execveat", "ptrace", "process_vm_readv",
        "unshare", "setns", "mount", "bpf", "io_uring_setup", "keyctl", "userfaultfd",
        "perf_event_open", "open_by_handle_at", "personality", "setresuid", "capset",
        "pidfd_open", "shmget", "kexec_load", "fchmodat", "fchownat", "fsetxattr",
    ],
)  # fmt: skip
def test_dangerous_calls_fail_with_eperm(program, table, name: str) -> None:
    assert decide(program, table, name, (2, 1, 0)) == EPERM


def test_socket_denied_for_every_family(program, table) -> None:
    for family in (1, 2, 10, 16, 17, 40):  # unix, inet, inet6, netlink, packet, vsock
        assert decide(program, table, "socket", (family, 1, 0)) == EPERM


def test_fork_and_vfork_denied_where_they_exist() -> None:
    program = build_filter(X86_64, PID)
    assert decide(program, X86_64, "fork") == EPERM
    assert decide(program, X86_64, "vfork") == EPERM
    assert AARCH64.number("fork") is None  # aarch64 forks through clone only


def test_clone3_reports_enosys_so_glibc_falls_back(program, table) -> None:
    assert decide(program, table, "clone3", (0, 88)) == ENOSYS


def test_clone_allows_threads_only(program, table) -> None:
    assert decide(program, table, "clone", (THREAD_FLAGS,)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "clone", (FORK_FLAGS,)) == EPERM
    assert decide(program, table, "clone", (17,)) == EPERM  # bare SIGCHLD: a fork
    new_user_thread = THREAD_FLAGS | 0x10000000
    assert decide(program, table, "clone", (new_user_thread,)) == EPERM
    new_net_thread = THREAD_FLAGS | 0x40000000
    assert decide(program, table, "clone", (new_net_thread,)) == EPERM


def test_signals_only_to_self(program, table) -> None:
    assert decide(program, table, "kill", (PID, 9)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "kill", (1, 9)) == EPERM
    assert decide(program, table, "kill", (0, 9)) == EPERM  # own process group
    assert decide(program, table, "kill", (-1, 9)) == EPERM  # everyone
    assert decide(program, table, "kill", (-PID, 9)) == EPERM
    assert decide(program, table, "tgkill", (PID, PID + 1, 2)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "tgkill", (PID + 1, PID + 1, 2)) == EPERM
    assert decide(program, table, "rt_sigqueueinfo", (1, 2, 0)) == EPERM
    assert decide(program, table, "rt_tgsigqueueinfo", (PID, PID, 2, 0)) == SECCOMP_RET_ALLOW


def test_pid_compare_uses_the_low_word_the_kernel_uses(program, table) -> None:
    # pid_t is 32 bits: the kernel ignores the upper half, so must the filter
    assert decide(program, table, "kill", ((0xDEAD << 32) | PID, 9)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "kill", ((PID << 32) | 1, 9)) == EPERM


def test_prlimit_and_scheduling_only_on_self(program, table) -> None:
    assert decide(program, table, "prlimit64", (0, 7, 0, 0)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "prlimit64", (PID, 7, 0, 0)) == SECCOMP_RET_ALLOW
    assert decide(program, table, "prlimit64", (1, 7, 0, 0)) == EPERM
    assert decide(program, table, "sched_setaffinity", (1, 8, 0)) == EPERM


def test_terminal_injection_ioctls_denied(program, table) -> None:
    assert decide(program, table, "ioctl", (0, seccomp.TIOCSTI, 0)) == EPERM
    assert decide(program, table, "ioctl", (0, seccomp.TIOCLINUX, 0)) == EPERM
    assert decide(program, table, "ioctl", (0, 0x5401, 0)) == SECCOMP_RET_ALLOW  # TCGETS


def test_foreign_architecture_kills(program, table) -> None:
    i386 = 0x40000003
    assert decide(program, table, 0, arch=i386) == SECCOMP_RET_KILL_PROCESS
    assert decide(program, table, "read", arch=i386) == SECCOMP_RET_KILL_PROCESS


def test_x32_abi_kills_on_x86_64() -> None:
    program = build_filter(X86_64, PID)
    assert decide(program, X86_64, 0x40000000 | 41) == SECCOMP_RET_KILL_PROCESS
    assert decide(program, X86_64, 0x40000000) == SECCOMP_RET_KILL_PROCESS


def test_every_rule_names_a_known_call() -> None:
    for rule in DEFAULT_RULES:
        assert X86_64.number(rule.syscall) is not None or AARCH64.number(rule.syscall), rule


def test_duplicate_rules_are_refused() -> None:
    rules = [SyscallRule("socket", "a"), SyscallRule("socket", "b")]
    with pytest.raises(ValueError, match="two rules"):
        build_filter(X86_64, 1, rules)


def test_bad_rule_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        SyscallRule("socket", "x", kind="maybe")


def test_describe_action() -> None:
    assert describe_action(SECCOMP_RET_ALLOW) == "allow"
    assert describe_action(EPERM) == "errno EPERM"
    assert describe_action(SECCOMP_RET_KILL_PROCESS) == "kill process"


def _header_numbers(path: str) -> dict[str, int]:
    numbers = {}
    with open(path, encoding="ascii") as fh:
        for line in fh:
            m = re.match(r"#define __NR(?:3264)?_(\w+)\s+(\d+)", line)
            if m:
                numbers[m.group(1)] = int(m.group(2))
    return numbers


@pytest.mark.parametrize(
    ("table", "header"),
    [
        (X86_64, "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
        (AARCH64, "/usr/include/asm-generic/unistd.h"),
    ],
    ids=["x86_64", "aarch64"],
)
def test_numbers_match_installed_kernel_headers(table: SyscallTable, header: str) -> None:
    if not os.path.exists(header):
        pytest.skip(f"{header} not installed (Debian: linux-libc-dev)")
    numbers = _header_numbers(header)
    for name, number in table.numbers.items():
        if name in numbers:
            assert numbers[name] == number, name
        else:  # only calls newer than the installed headers may be missing from them
            assert name in NEWER_CALLS, f"{name} is not in {header}"


def test_docs_list_every_rule() -> None:
    docs = (ROOT / "docs" / "isolation.md").read_text(encoding="utf-8")
    for rule in DEFAULT_RULES:
        assert f"`{rule.syscall}`" in docs, f"docs/isolation.md does not mention {rule.syscall}"
    table = rules_table()
    for rule in DEFAULT_RULES:
        assert f"`{rule.syscall}`" in table
