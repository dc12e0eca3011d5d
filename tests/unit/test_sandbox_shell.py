"""Wiring into IPython: the policy keeps holding and the notebook experience survives."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator

import pytest

from athena_kernel.config import AthenaSettings
from athena_kernel.policy import PolicyConfig
from athena_kernel.sandbox.harness import SandboxedShell


class Facade:
    """A bound object."""

    def ping(self) -> str:
        """Answer."""
        return "pong"


@pytest.fixture(scope="module")
def shell() -> Iterator[SandboxedShell]:
    sandboxed = SandboxedShell(AthenaSettings(environ={}), names={"memory": Facade()})
    yield sandboxed
    sandboxed.close()


# --------------------------------------------------------------------- the policy keeps holding
def test_policy_holds_after_rejections_and_hostile_input(shell: SandboxedShell) -> None:
    for _ in range(2):
        assert shell.run("import os").rule == "policy.import"
    assert shell.run("x = 1" + "+1" * 100_000).rule == "policy.complexity"
    assert shell.run("y = (" * 150 + ")" * 150).success is False
    assert shell.sandbox.transformer in shell.shell.ast_transformers
    assert shell.run("import os").rule == "policy.import"


def test_a_removed_transformer_is_put_back_before_the_next_cell(shell: SandboxedShell) -> None:
    ip = shell.shell
    ip.ast_transformers.remove(shell.sandbox.transformer)  # as IPython does after an error
    assert shell.run("import os").rule == "policy.import"
    assert ip.ast_transformers[-1] is shell.sandbox.transformer


def test_the_sandbox_transformer_runs_last(shell: SandboxedShell) -> None:
    class Foreign(ast.NodeTransformer):
        pass

    foreign = Foreign()
    shell.shell.ast_transformers.append(foreign)
    try:
        assert shell.run("x = 1").success
        assert shell.shell.ast_transformers[-1] is shell.sandbox.transformer
    finally:
        shell.shell.ast_transformers.remove(foreign)


def test_a_failing_foreign_transformer_does_not_disable_the_policy(shell: SandboxedShell) -> None:
    class Broken(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            raise ValueError("broken")

    shell.shell.ast_transformers.insert(0, Broken())
    with pytest.warns(UserWarning, match="unregistered"):
        assert shell.run("import os").rule == "policy.import"
    assert not any(isinstance(t, Broken) for t in shell.shell.ast_transformers)


def test_our_transformer_raises_only_input_rejected(shell: SandboxedShell) -> None:
    from IPython.core.error import InputRejected

    transformer = shell.sandbox.transformer
    for source in ("import os", "x = " + "[" * 100 + "]" * 100, "a.__class__.__bases__"):
        try:
            transformer.visit(ast.parse(source))
        except InputRejected:
            pass
    deep = ast.parse("x = 1")
    node: ast.expr = ast.Constant(1)
    for _ in range(20_000):
        node = ast.UnaryOp(ast.USub(), node)
    deep.body[0].value = node  # type: ignore[attr-defined]
    with pytest.raises(InputRejected):
        transformer.visit(deep)


def test_silent_executions_are_sandboxed_too(shell: SandboxedShell) -> None:
    run = shell.run("import os", silent=True)
    assert run.rule == "policy.import"


# --------------------------------------------------------------------- notebook experience
def test_last_expression_display_and_output_history(shell: SandboxedShell) -> None:
    run = shell.run("6 * 7")
    assert run.result == 42 and "42" in run.stdout
    assert shell.run("_ + 1").result == 43
    count = shell.shell.execution_count - 2
    assert shell.run(f"Out[{count}]").result == 42


def test_display_and_rich_reprs(shell: SandboxedShell) -> None:
    run = shell.run("display('shown')")
    assert run.success and "shown" in run.stdout
    run = shell.run("class Card:\n    def _repr_html_(self):\n        return '<b>card</b>'\nCard()")
    assert run.success
    data, _ = shell.shell.display_formatter.format(run.result)
    assert data["text/html"] == "<b>card</b>"


def test_history_and_magics(shell: SandboxedShell) -> None:
    shell.run("marker_value = 'history-check'")
    assert any("history-check" in cell for cell in shell.shell.user_ns["In"])
    run = shell.run("%history -n")
    assert run.success and "history-check" in run.stdout
    assert "Wall time" in shell.run("%time sum(range(100))").stdout
    run = shell.run("r = %timeit -o -q -n 2 -r 2 sum(range(10))\nr.best >= 0")
    assert run.success and run.result is True
    run = shell.run("%%capture captured\nprint('inside')")
    assert run.success
    assert shell.run("captured.stdout").result == "inside\n"
    assert "marker_value" in shell.run("%who").stdout


def test_tab_completion_of_user_variables(shell: SandboxedShell) -> None:
    from IPython.core.completer import provisionalcompleter

    def complete(text: str) -> list[str]:
        with provisionalcompleter():
            return [c.text for c in shell.shell.Completer.completions(text, len(text))]

    shell.run("completion_target = 1")
    assert "completion_target" in complete("completion_ta")
    assert "ping" in complete("memory.")
    assert not [m for m in complete("memory._") if m.lstrip(".").startswith("_")]


def test_tracebacks_point_at_the_cell_lines(shell: SandboxedShell) -> None:
    run = shell.run("a = 1\nb = 0\nc = a / b")
    assert run.error_name == "ZeroDivisionError" and "line 3" in run.output
    run = shell.run("x = 1\n\nclass K:\n    def boom(self):\n        return 1 / 0\nK().boom()")
    assert "line 6" in run.output and "line 5" in run.output
    run = shell.run("n = 10 ** 8\n\nv = 7 ** n")
    assert "line 3" in run.output and "arithmetic.py" not in run.output


def test_reset_keeps_bound_names_and_guards(shell: SandboxedShell) -> None:
    assert shell.run("%reset -f").success
    assert shell.run("memory.ping()").result == "pong"
    ip = shell.shell
    assert ip.user_ns["__builtins__"] is shell.sandbox.runtime.builtins
    assert "memory" not in shell.run("%who").stdout  # bound names are hidden from %who
    ip.user_ns["_getattr_"] = getattr  # something shadowing a guard ...
    assert shell.run("(1).__class__.__bases__").rule == "policy.dunder"
    assert "_getattr_" not in ip.user_ns  # ... is removed before the next cell


def test_bind_adds_a_sealed_name(shell: SandboxedShell) -> None:
    shell.sandbox.bind("apis", Facade())
    assert shell.run("apis.ping()").result == "pong"
    assert shell.run("type(apis)").rule == "policy.private"
    assert shell.run("apis._catalog").rule == "policy.private"  # rejected statically now
    assert shell.run("%%capture apis\nx = 1").rule == "magic.argument"


def test_events_for_rejections_and_limits(shell: SandboxedShell) -> None:
    events: list[tuple[str, str]] = []
    shell.sandbox.add_listener(lambda rule, message: events.append((rule, message)))
    shell.run("import os")
    shell.run("n = 10 ** 8\nx = 7 ** n")
    shell.run("def f():\n    return f()\nf()")
    rules = [rule for rule, _ in events]
    assert rules == ["policy.import", "limit.int", "limit.recursion"]


# --------------------------------------------------------------------- configuration
def test_human_profile_can_allow_more_modules() -> None:
    settings = AthenaSettings(environ={}, profile="human")
    settings.allowed_modules = [*settings.allowed_modules, "array", "os"]
    human = SandboxedShell(settings)
    try:
        run = human.run("import array\narray.array('i', [1, 2]).tolist()")
        assert run.success and run.result == [1, 2]
        assert human.run("import os").rule == "policy.import"  # never, whatever the config
        assert human.run("open('x')").rule == "policy.name"  # same pipeline
    finally:
        human.close()


def test_uninstall_restores_the_shell() -> None:
    sandboxed = SandboxedShell(PolicyConfig())
    ip = sandboxed.shell
    sandbox = sandboxed.sandbox
    sandbox.uninstall()
    assert sandbox.transformer not in ip.ast_transformers
    assert ip.user_ns["__builtins__"] is builtins or ip.user_ns["__builtins__"] is vars(builtins)
    assert "user_expressions" not in vars(ip)
    assert ip.run_cell("import math as m\nm.pi > 3").success
    sandbox.install()
    assert sandbox.transformer in ip.ast_transformers
    sandboxed.close()
