"""Check a machine: launch a confined worker, attack from inside, compare with its report.

``python -m athena_kernel.isolation.selftest`` prints the confinement report, then every escape
attempt (:mod:`~athena_kernel.isolation.probes`) with the layers that should stop it, and exits
with status 1 when the report and reality disagree: a layer reported active that did not stop
what it should, or an attempt that was stopped though the report says nothing could stop it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .launcher import make_scratch_dir, spawn
from .policy import LAYERS, ConfinementPolicy
from .report import ConfinementReport, LayerStatus

#: For each probe: the layers that stop it (any one suffices) and whether that list is complete
#: on Linux (``exact``: nothing else stops it, so "blocked" with none active is a wrong report).
EXPECTATIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "read_outside": (("landlock", "bwrap"), True),
    "write_outside": (("landlock", "bwrap"), True),
    "socket_inet": (("seccomp",), True),
    "socket_unix": (("seccomp",), True),
    "tcp_connect_parent": (("seccomp", "network_namespace", "landlock>=4"), False),
    "unix_connect_parent": (("seccomp", "bwrap"), False),
    "fork": (("seccomp",), True),
    "execve": (("seccomp",), True),
    "signal_parent": (("seccomp", "landlock>=6", "privilege_drop", "bwrap"), False),
    "read_parent_memory": (
        ("seccomp", "landlock", "privilege_drop", "user_namespace", "bwrap"),
        False,
    ),
    "read_parent_environ": (("landlock", "privilege_drop", "user_namespace", "bwrap"), False),
    "environment": (("clean_start",), False),
    "inherited_fds": (("clean_start",), False),
}


def _layer_active(report: ConfinementReport, spec: str) -> bool:
    name, _, min_abi = spec.partition(">=")
    if name == "user_namespace":  # the non-root way into a network namespace
        netns = report.layer("network_namespace")
        return bool(netns and netns.status is LayerStatus.ACTIVE and "NEWUSER" in netns.detail)
    if report.status(name) is not LayerStatus.ACTIVE:
        return False
    if name == "privilege_drop" and report.facts.get("uid") == report.facts.get("uid_at_start"):
        return False  # active only as "capabilities dropped": no other uid
    if min_abi:
        return int(report.facts.get("landlock_abi", 0)) >= int(min_abi)
    return True


@dataclass
class SelftestResult:
    """The worker's report, every probe's outcome, and where they disagree."""

    report: ConfinementReport
    probes: dict[str, str]
    mismatches: list[str] = field(default_factory=list)
    diagnostics: str = ""
    #: With ``timing=True``: start-up seconds and ns per system call before/after confining.
    timing: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the report matches what is enforced."""
        return not self.mismatches

    def render(self) -> str:
        """Report, probe table and verdict as text."""
        lines = [self.report.render(), ""]
        width = max(len(n) for n in self.probes)
        for name, outcome in self.probes.items():
            stoppers, _ = EXPECTATIONS.get(name, ((), False))
            active = [s for s in stoppers if _layer_active(self.report, s)]
            lines.append(
                f"{name:<{width}}  {outcome}  (stopped by: {', '.join(active) or 'nothing active'})"
            )
        lines.append("")
        if self.mismatches:
            lines.append("MISMATCH between report and enforcement:")
            lines += [f"  - {m}" for m in self.mismatches]
        else:
            lines.append("report matches enforcement")
        if self.timing:
            lines += ["", *render_timing(self.timing)]
        return "\n".join(lines)


def render_timing(timing: dict[str, Any]) -> list[str]:
    """Lines for the timing figures of :func:`run_selftest` (``timing=True``)."""
    lines = []
    for label, seconds in timing.get("startup_s", {}).items():
        lines.append(f"start-up to exit, {label}: {seconds * 1000:.0f} ms")
    before, after = timing.get("before", {}), timing.get("after", {})
    for name in after:
        if before.get(name):
            ratio = after[name] / before[name]
            lines.append(
                f"{name:<11} unconfined {before[name]:8.0f} ns  confined {after[name]:8.0f} ns"
                f"  ratio {ratio:.2f}"
            )
    return lines


def compare(report: ConfinementReport, probes: dict[str, str]) -> list[str]:
    """Disagreements between the report and the probe outcomes."""
    problems = []
    for name, outcome in probes.items():
        if name not in EXPECTATIONS:
            continue
        stoppers, exact = EXPECTATIONS[name]
        active = [s for s in stoppers if _layer_active(report, s)]
        blocked = outcome.startswith("blocked")
        if active and not blocked:
            problems.append(f"{name}: {outcome}, although {', '.join(active)} reported active")
        if exact and not active and blocked:
            problems.append(f"{name}: {outcome}, although no layer that stops it is active")
    if not probes.get("write_scratch", "").startswith("allowed"):
        problems.append(f"write_scratch: {probes.get('write_scratch')} (scratch must be writable)")
    return problems


def _startup_times(base: str, use_bwrap: bool | str, bwrap: str | None) -> dict[str, float]:
    """Seconds from spawn() to the exit of a confined worker that does nothing, cold and with
    the imports an IPython-based engine warms up."""
    times = {}
    for label, warm in (
        ("bare", ()),
        ("warm IPython+RestrictedPython", ("IPython", "RestrictedPython")),
    ):
        started = time.perf_counter()
        worker = spawn(
            "pass",
            kind="code",
            scratch_dir=make_scratch_dir(base),
            warm_imports=warm,
            use_bwrap=use_bwrap,  # type: ignore[arg-type]
            bwrap_executable=bwrap,
        )
        if worker.wait(60) == 0:
            times[label] = time.perf_counter() - started
    return times


def run_selftest(
    *,
    disabled: Sequence[str] = (),
    use_bwrap: bool | str = False,
    bwrap_executable: str | None = None,
    timeout: float = 30.0,
    timing: bool = False,
) -> SelftestResult:
    """Launch a confined worker with every layer except ``disabled``, run the probes, compare."""
    base = tempfile.mkdtemp(prefix="athena-selftest-")
    os.chmod(base, 0o755)
    scratch = make_scratch_dir(base)
    outside = os.path.join(base, "outside")
    os.mkdir(outside)
    os.chmod(outside, 0o777)  # only Landlock may stop writes here
    canary = os.path.join(outside, "canary.txt")
    secret = secrets.token_hex(16)
    with open(canary, "w", encoding="ascii") as fh:
        fh.write(secret)
    os.chmod(canary, 0o644)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    unix_path = os.path.join(outside, "parent.sock")
    unix_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_listener.bind(unix_path)
    os.chmod(unix_path, 0o777)
    unix_listener.listen(4)
    ours, theirs = socket.socketpair()
    params = {
        "parent_pid": os.getpid(),
        "canary": canary,
        "outside_file": os.path.join(outside, "written-by-worker"),
        "scratch_file": os.path.join(scratch, "ok"),
        "tcp_port": listener.getsockname()[1],
        "unix_socket": unix_path,
    }
    if timing:
        params["timing"] = True
    policy = ConfinementPolicy(
        scratch_dir=scratch, required=frozenset(), disabled=frozenset(disabled)
    )
    try:
        worker = spawn(
            "athena_kernel.isolation.probes",
            scratch_dir=scratch,
            pass_fds=[theirs.fileno()],
            policy=policy,
            use_bwrap=use_bwrap,  # type: ignore[arg-type]
            bwrap_executable=bwrap_executable,
            args=[json.dumps(params)],
        )
        theirs.close()
        worker.wait(timeout)
        out = worker.stdout_text(2)
        diagnostics = worker.diagnostics()
        line = next((ln for ln in out.splitlines() if ln.startswith("{")), None)
        if line is None:
            raise RuntimeError(f"the self-test worker gave no result:\n{diagnostics}")
        data = json.loads(line)
        report = ConfinementReport.from_dict(data["report"])
        probes = dict(data["probes"])
        if secret in out or secret in diagnostics:
            probes["read_outside"] = "allowed: SECRET LEAKED"
        result = SelftestResult(report, probes, compare(report, probes), diagnostics)
        if timing:
            result.timing = {"startup_s": _startup_times(base, use_bwrap, bwrap_executable)}
            result.timing.update(data.get("timing", {}))
        return result
    finally:
        listener.close()
        unix_listener.close()
        ours.close()
        shutil.rmtree(base, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: print the report and the probe table; exit 1 on a mismatch."""
    parser = argparse.ArgumentParser(
        prog="python -m athena_kernel.isolation.selftest",
        description="Launch a confined worker, try to escape from inside, compare with its "
        "confinement report.",
    )
    parser.add_argument(
        "--disable", action="append", default=[], choices=LAYERS, help="switch a layer off"
    )
    parser.add_argument(
        "--bwrap", choices=("auto", "yes", "no"), default="no", help="run under bubblewrap"
    )
    parser.add_argument("--bwrap-path", default=None, help="bwrap executable (default: PATH)")
    parser.add_argument(
        "--timing", action="store_true", help="also time start-up and confined system calls"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    ns = parser.parse_args(argv)
    use_bwrap: bool | str = {"auto": "auto", "yes": True, "no": False}[ns.bwrap]
    result = run_selftest(
        disabled=ns.disable, use_bwrap=use_bwrap, bwrap_executable=ns.bwrap_path, timing=ns.timing
    )
    if ns.json:
        payload: dict[str, Any] = {
            "report": result.report.to_dict(),
            "probes": result.probes,
            "mismatches": result.mismatches,
            "timing": result.timing,
        }
        print(json.dumps(payload, indent=2))
    else:
        print(result.render())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
