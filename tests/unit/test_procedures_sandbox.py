"""Procedures run through the sandbox: policy at run time, guards, limits, no way out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

from athena_kernel.bindings import EngineBindings, bind_engine
from athena_kernel.config import AthenaSettings
from athena_kernel.memory import open_backend
from athena_kernel.policy import PolicyViolation, SandboxError
from athena_kernel.procedures.runner import SandboxCompiler
from athena_kernel.procedures.source import ProcedureError
from athena_kernel.sandbox.install import rule_for
from athena_kernel.services import KernelServices


class Shell:
    """An IPython shell bound like an Athena engine (sandboxed, or as the extension does)."""

    def __init__(self, *, sandboxed: bool) -> None:
        InteractiveShell.clear_instance()
        config = Config()
        config.HistoryManager.hist_file = ":memory:"
        self.shell = InteractiveShell.instance(config=config)
        self.services = KernelServices(open_backend(":memory:"))
        settings = AthenaSettings(environ={})
        self.bindings: EngineBindings = bind_engine(
            self.shell, settings, self.services, sandboxed=sandboxed
        )

    def run(self, code: str) -> tuple[BaseException | None, Any, str]:
        """(error, value, printed) of one cell."""
        with capture_output(display=False) as captured:
            result = self.shell.run_cell(code, store_history=True)
        return result.error_before_exec or result.error_in_exec, result.result, captured.stdout

    def save_directly(self, name: str, code: str) -> None:
        """Store code without the magic's validation (memory.procedures.save from a cell)."""
        error, _, _ = self.run(f"memory.procedures.save({name!r}, {code!r})")
        assert error is None, error

    def runs(self, name: str) -> tuple[int, int]:
        """(run count, successes) recorded for ``name``."""
        found = [p for p in self.bindings.names["memory"].procedures.list() if p.name == name]
        return found[0].stats.run_count, found[0].stats.successes

    def close(self) -> None:
        """Undo everything."""
        if self.bindings.sandbox is not None:
            self.bindings.sandbox.uninstall()
        self.services.close()
        InteractiveShell.clear_instance()


@pytest.fixture(scope="module", params=["kernel", "extension"])
def shell(request: pytest.FixtureRequest) -> Iterator[Shell]:
    """The kernel's engine (sandbox installed) and the extension's (procedures sandboxed)."""
    shell = Shell(sandboxed=request.param == "kernel")
    yield shell
    shell.close()


def test_stored_code_the_policy_rejects_never_runs(shell: Shell) -> None:
    shell.save_directly("sneaky", "import os\ndef sneaky(memory):\n    return os.getcwd()\n")
    error, _, _ = shell.run("procedures.sneaky()")
    assert isinstance(error, PolicyViolation) and error.rule == "policy.import"
    assert shell.runs("sneaky") == (1, 0)  # an attempted run that failed


def test_private_attributes_are_out_of_reach(shell: Shell) -> None:
    for code in (
        "def peek(memory):\n    return memory._backend\n",
        "def peek(memory):\n    return getattr(memory, '_backend')\n",
        "def peek(memory):\n    name = '_backend'\n    return getattr(memory, name)\n",
    ):
        shell.save_directly("peek", code)
        error, _, _ = shell.run("procedures.peek()")
        assert rule_for(error) in ("policy.private", "policy.getattr"), (code, error)
    shell.save_directly("listing", "def listing(memory):\n    return dir(memory)\n")
    error, names, _ = shell.run("procedures.listing()")
    assert error is None and "recall" in names
    assert not [n for n in names if n.startswith("_")]


def test_modules_are_curated_proxies_in_procedures(shell: Shell) -> None:
    shell.save_directly(
        "codecs_of_json",
        "import json\ndef codecs_of_json(memory):\n    return json.codecs.open\n",
    )
    error, _, _ = shell.run("procedures.codecs_of_json()")
    assert error is not None and "codecs" in str(error)
    shell.save_directly(
        "dumps", "import json\ndef dumps(memory, value):\n    return json.dumps(value)\n"
    )
    assert shell.run("procedures.dumps({'a': [1, 2]})")[1] == '{"a": [1, 2]}'


def test_limits_apply_inside_procedures(shell: Shell) -> None:
    shell.save_directly("huge", "def huge(memory, n):\n    return 10**n\n")
    error, _, _ = shell.run("procedures.huge(10**8)")  # only known at run time
    assert isinstance(error, SandboxError) and rule_for(error) == "limit.int"
    assert shell.run("procedures.huge(3)")[1] == 1000
    shell.save_directly(
        "deep", "def deep(memory, n):\n    return n if n == 0 else deep(memory, n - 1)\n"
    )
    error, _, _ = shell.run("procedures.deep(5_000)")
    assert isinstance(error, RecursionError)
    assert shell.run("procedures.deep(50)")[1] == 0


def test_output_of_a_procedure_is_cell_output(shell: Shell) -> None:
    shell.save_directly(
        "chatty", "def chatty(memory, n):\n    for i in range(n):\n        print('line', i)\n"
    )
    error, _, printed = shell.run("procedures.chatty(3)")
    assert error is None and printed == "line 0\nline 1\nline 2\n"


def test_hostile_stored_code_is_a_clear_error(shell: Shell) -> None:
    compiler = shell.bindings.names["procedures"]._runner._compiler
    assert isinstance(compiler, SandboxCompiler)
    deep = "def bomb(memory):\n    return " + "-" * 60_000 + "1\n"
    with pytest.raises((ProcedureError, PolicyViolation), match="nest"):
        compiler.compile("bomb", 1, deep)
    with pytest.raises(PolicyViolation, match=r"policy\.size"):
        compiler.compile("big", 1, "def big(memory):\n    return 1\n" + "#\n" * 10_000)


def test_nothing_public_leads_out_of_apis_or_procedures(shell: Shell) -> None:
    shell.save_directly("one", "def one(memory):\n    return 1\n")
    if shell.bindings.sandbox is None:
        pytest.skip("the extension does not sandbox the host shell's own cells")
    for expr in (
        "procedures._runner",
        "procedures.one._runner",
        "apis._browser",
        "type(procedures.one)",
        "getattr(procedures.one, '_' + 'runner')",
        "getattr(apis, '_' + 'browser')",
    ):
        error, _, _ = shell.run(expr)
        assert error is not None, expr
    public = shell.run("[n for n in dir(procedures.one) if not n.startswith('_')]")[1]
    assert set(public) <= {"description", "signature"}
    assert isinstance(shell.run("apis('memory').data")[1], dict)
