"""Escapes, tried the way an attacker would, through a real IPython shell.

Each cell prints ``ESCAPED`` only if it got hold of something it must not have (a real module,
a frame, a function's globals, the real shell, a private attribute). The sandbox must stop it
before that line, and the next cell must still run normally.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from athena_kernel.memory.models import MemoryRecord
from athena_kernel.policy import PolicyViolation
from athena_kernel.sandbox.harness import CellRun, SandboxedShell


class FakeMemory:
    """Stands in for the memory facade: internals in underscore attributes, public methods."""

    def __init__(self) -> None:
        self._backend = {"secret": "vault contents"}

    def recall(self, query: str) -> list[MemoryRecord]:
        """Return one record."""
        now = datetime.now(timezone.utc)
        return [MemoryRecord(id="mem_1", content=query, created_at=now, updated_at=now)]


@pytest.fixture(scope="module")
def shell() -> Iterator[SandboxedShell]:
    sandboxed = SandboxedShell(names={"memory": FakeMemory()})
    yield sandboxed
    sandboxed.close()


def attempt(shell: SandboxedShell, code: str) -> CellRun:
    # the marker is assembled at run time, so a traceback quoting the source cannot fake it
    code = code.replace("'ESCAPED'", "'ESC' + 'APED'").replace("ESCAPED", "ESC''APED")
    run = shell.run(code)
    assert "ESCAPED" not in run.output, f"escape succeeded:\n{code}\n{run.output}"
    assert not run.success, f"cell ran to the end:\n{code}"
    follow_up = shell.run("probe = 6 * 7\nprobe")
    assert follow_up.success and follow_up.result == 42
    return run


# --------------------------------------------------------------- real modules behind "safe" ones
@pytest.mark.parametrize(
    "code",
    [
        "import json\nprint('ESCAPED', json.codecs.open)",
        "import re\nprint('ESCAPED', re.enum.bltns)",
        "import statistics\nprint('ESCAPED', statistics.sys)",
        "import datetime\nprint('ESCAPED', datetime.sys)",
        "import fractions\nprint('ESCAPED', fractions.sys)",
        "import textwrap\nprint('ESCAPED', textwrap.re.enum.sys)",
        "import collections\nprint('ESCAPED', collections.sys)",
        "import random\nprint('ESCAPED', random._os)",
        "import json\nprint('ESCAPED', json.decoder)",
        "from json import codecs\nprint('ESCAPED')",
        "import copy\nprint('ESCAPED', copy.copyreg)",
        "import csv\nprint('ESCAPED', csv.re)",
    ],
)
def test_curated_modules_hide_their_imports(shell: SandboxedShell, code: str) -> None:
    run = attempt(shell, code)
    assert run.error_name in ("AttributeError", "AccessDenied", "PolicyViolation")


@pytest.mark.parametrize(
    "code",
    [
        "import functools, json\n"
        "def f(): pass\n"
        "functools.update_wrapper(f, json.dumps, assigned=(), updated=('__globals__',))\n"
        "print('ESCAPED')",
        "from functools import wraps\nprint('ESCAPED')",
        "import typing\nprint('ESCAPED', typing.get_type_hints)",
        "import inspect\nprint('ESCAPED', inspect.get_annotations)",
        "import operator\nprint('ESCAPED', operator.attrgetter('x'))",
        "import operator\nprint('ESCAPED', operator.methodcaller('x'))",
        "import string\nprint('ESCAPED', string.Formatter)",
        "import importlib\nprint('ESCAPED')",
        "import gc\nprint('ESCAPED')",
    ],
)
def test_dangerous_helpers_are_out(shell: SandboxedShell, code: str) -> None:
    attempt(shell, code)


# ------------------------------------------------------------------------ interpreter internals
@pytest.mark.parametrize(
    "code",
    [
        "g = (i for i in [1])\nprint('ESCAPED', g.gi_frame.f_back.f_globals)",
        "g = (i for i in [1])\nfmt = '{0.gi_frame}'\nprint('ESCAPED', fmt.format(g))",
        "print('ESCAPED', ().__class__.__base__.__subclasses__())",
        "def f(): pass\nprint('ESCAPED', f.__globals__)",
        "def f(): pass\nfmt = '{0.__globals__}'\nprint('ESCAPED', fmt.format(f))",
        "class C:\n    def __init__(self): pass\n"
        "fmt = '{0.__init__.__globals__}'\nprint('ESCAPED', fmt.format(C()))",
        "fmt = '{0.__class__.__base__.__subclasses__}'\nprint('ESCAPED', str.format(fmt, 1))",
        "try:\n    1 / 0\nexcept Exception as e:\n    print('ESCAPED', e.__traceback__.tb_frame)",
        "print('ESCAPED', print.__self__)",
        "def f():\n    x = 1\n    return lambda: x\nprint('ESCAPED', f().__closure__)",
        "name = 'gi_' + 'frame'\ng = (i for i in [1])\nprint('ESCAPED', getattr(g, name))",
        "print('ESCAPED', __builtins__)",
        "print('ESCAPED', __import__('os'))",
        "print('ESCAPED', globals())",
        "print('ESCAPED', vars())",
        "print('ESCAPED', eval('1'))",
        "exec('import os')\nprint('ESCAPED')",
        "t = type\nX = t('X', (), {})\nprint('ESCAPED', X)",
        "class M(type): pass\nprint('ESCAPED')",
        "class A(metaclass=type): pass\nprint('ESCAPED')",
        "try:\n    memory.nothing\nexcept AttributeError as e:\n    print('ESCAPED', e.obj)",
        "def f(x: '__import__(\"os\")'): pass\nprint('ESCAPED')",
        "from __future__ import annotations\nprint('ESCAPED')",
        "match (i for i in []):\n    case object(gi_frame=fr):\n        print('ESCAPED', fr)",
    ],
)
def test_interpreter_internals(shell: SandboxedShell, code: str) -> None:
    attempt(shell, code)


# --------------------------------------------------------------------------- the bound facade
@pytest.mark.parametrize(
    "code",
    [
        "print('ESCAPED', memory._backend)",
        "print('ESCAPED', getattr(memory, '_backend'))",
        "fmt = '{0._' + 'backend}'\nprint('ESCAPED', fmt.format(memory))",
        "print('ESCAPED', memory.__dict__)",
        "print('ESCAPED', vars(memory))",
        "print('ESCAPED', type(memory))",
        "print('ESCAPED', memory.__class__)",
        "print('ESCAPED', memory.recall.__self__)",
        "memory.__init__()\nprint('ESCAPED')",
        "memory.recall = print\nprint('ESCAPED')",
        "setattr(memory, 'recall', print)\nprint('ESCAPED')",
        "class X(type(memory)): pass\nprint('ESCAPED')",
        "r = memory.recall('x')[0]\nclass Evil(type(r)):\n    pass\nprint('ESCAPED')",
        "r = memory.recall('x')[0]\ntype(r).model_rebuild(force=True)\nprint('ESCAPED')",
        "r = memory.recall('x')[0]\nr.content = 'changed'\nprint('ESCAPED')",
        "r = memory.recall('x')[0]\nprint('ESCAPED', r.__pydantic_validator__)",
    ],
)
def test_the_facade_is_all_there_is(shell: SandboxedShell, code: str) -> None:
    attempt(shell, code)


def test_shared_model_metadata_is_handed_out_as_copies(shell: SandboxedShell) -> None:
    run = shell.run("r = memory.recall('x')[0]\nc = type(r).model_config\nc.clear()\nlen(c)")
    assert run.success and run.result == 0
    assert MemoryRecord.model_config  # the class's own config is untouched


def test_magic_calls_cannot_reach_kernel_frames(shell: SandboxedShell) -> None:
    attempt(shell, "get_ipython().run_line_magic('time', 'self', _stack_depth=4)\nprint('ESCAPED')")
    attempt(
        shell,
        "f = get_ipython().run_line_magic\nf('time', 'x = 1', _stack_depth=4)\nprint('ESCAPED')",
    )


def test_facade_public_use_and_dir(shell: SandboxedShell) -> None:
    run = shell.run("[r.content for r in memory.recall('hello')]")
    assert run.success and run.result == ["hello"]
    run = shell.run("dir(memory)")
    assert run.result == ["recall"]
    run = shell.run(
        "import copy\ncopy.deepcopy([memory])[0] is memory and copy.copy(memory) is memory"
    )
    assert run.result is True


# ---------------------------------------------------------------------------- shell and magics
@pytest.mark.parametrize(
    "code",
    [
        "!echo ESCAPED",
        "x = !echo ESCAPED",
        "%sx echo ESCAPED",
        "%%bash\necho ESCAPED",
        "%%script sh\necho ESCAPED",
        "ip = get_ipython()\nip.system('echo ESCAPED')",
        "ip = get_ipython()\nf = ip.run_line_magic\nf('s' + 'x', 'echo ESCAPED')",
        "ip = get_ipython()\nip.run_cell_magic('cap' + 'ture', '', 'import os')\nprint('ESCAPED')",
        "ip = get_ipython()\nprint('ESCAPED', ip._shell)",
        "%run -e nothing.py",
        "%config InteractiveShell.ast_transformers = []",
        "%load_ext athena_kernel",
        "%env ESCAPED=1",
        "%%writefile /tmp/athena_escape.py\nprint('ESCAPED')",
    ],
)
def test_shell_escapes_and_forbidden_magics(shell: SandboxedShell, code: str) -> None:
    run = attempt(shell, code)
    assert run.rule in ("magic.shell", "magic.forbidden", "policy.import", "policy.private")


def test_magic_lines_are_not_expanded(shell: SandboxedShell) -> None:
    # IPython would evaluate {expr} in a magic line outside the sandbox; the facade does not.
    run = shell.run("%who {print('ESC' + 'APED')}")
    assert "ESCAPED" not in run.output


def test_capture_cannot_hide_a_rejection(shell: SandboxedShell) -> None:
    run = shell.run("%%capture captured\nimport os")
    assert not run.success and run.rule == "policy.import"
    assert "policy.import" in run.output
    assert "captured" not in shell.shell.user_ns


def test_private_names_stay_out_of_inspection(shell: SandboxedShell) -> None:
    assert shell.shell._ofind("memory._backend").found is False
    assert shell.shell._ofind("memory.recall").found is True
    run = shell.run("memory._backend?")
    assert not run.success and "vault contents" not in run.output


def test_user_expressions_and_ev_are_sandboxed(shell: SandboxedShell) -> None:
    ip = shell.shell
    out = ip.user_expressions(
        {"bad": "().__class__.__base__.__subclasses__()", "mem": "memory._backend", "ok": "6 * 7"}
    )
    assert out["bad"]["status"] == "error" and out["mem"]["status"] == "error"
    assert out["ok"]["status"] == "ok" and "42" in out["ok"]["data"]["text/plain"]
    with pytest.raises(PolicyViolation) as caught:
        ip.ev("memory._backend")
    assert caught.value.rule == "policy.private"
    with pytest.raises(PolicyViolation):
        ip.ex("import os")


def test_reset_and_del_do_not_break_the_sandbox(shell: SandboxedShell) -> None:
    ip = shell.shell
    assert shell.run("%reset -f\nprint(get_ipython())").stdout.strip().startswith("<sandboxed")
    assert ip.user_ns["__builtins__"] is shell.sandbox.runtime.builtins
    assert "open" not in ip.user_ns and "exit" not in ip.user_ns
    assert shell.run("del memory").success
    assert shell.run("memory.recall('again')[0].content").result == "again"
    attempt(shell, "print('ESCAPED', open)")


def test_monkeypatching_shared_classes_is_refused(shell: SandboxedShell) -> None:
    for code in (
        "import dataclasses, json\ndataclasses.dataclass(json.JSONEncoder)\nprint('ESCAPED')",
        "import functools, fractions\nfunctools.total_ordering(fractions.Fraction)\n"
        "print('ESCAPED')",
        "import collections.abc\ncollections.abc.Mapping.register(list)\nprint('ESCAPED')",
        "import numbers\nnumbers.Number.register(str)\nprint('ESCAPED')",
        "import json\njson.JSONEncoder.default = lambda s, o: o\nprint('ESCAPED')",
        "import datetime\ndatetime.datetime.now = None\nprint('ESCAPED')",
        "import json\njson.dumps = None\nprint('ESCAPED')",
        "import collections\ncollections.OrderedDict.extra = 1\nprint('ESCAPED')",
    ):
        run = attempt(shell, code)
        assert run.rule == "policy.write"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_values_reachable_from_models_lead_nowhere(shell: SandboxedShell) -> None:
    # Walk everything a cell can reach from a returned model (and its class) through the guarded
    # getattr: no module, frame, code object, module namespace or builtins dict may show up.
    import sys
    import types

    getattr_ = shell.sandbox.runtime.guards["getattr"]
    module_dicts = {id(m.__dict__) for m in list(sys.modules.values()) if m is not None}
    forbidden = (types.ModuleType, types.FrameType, types.CodeType, types.TracebackType)
    record = FakeMemory().recall("x")[0]
    start: list[tuple[Any, str]] = [(record, "record"), (type(record), "type(record)")]
    for call in ("model_dump", "model_json_schema", "model_copy"):
        start.append((getattr_(record, call)(), f"record.{call}()"))
    seen: set[int] = set()
    frontier = [(obj, path, 0) for obj, path in start]
    reached = 0
    while frontier:
        obj, path, depth = frontier.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        reached += 1
        assert not isinstance(obj, forbidden), path
        assert not (isinstance(obj, dict) and id(obj) in module_dicts), path
        if depth >= 6:
            continue
        names = [n for n in dir(obj) if not n.startswith("_")] + ["__class__", "__doc__"]
        for name in names:
            try:
                value = getattr_(obj, name)
            except Exception:
                continue
            frontier.append((value, f"{path}.{name}", depth + 1))
        if isinstance(obj, dict):
            frontier.extend((v, f"{path}[{k!r}]", depth + 1) for k, v in list(obj.items())[:100])
        elif isinstance(obj, (list, tuple, set, frozenset)):
            frontier.extend((v, f"{path}[]", depth + 1) for v in list(obj)[:100])
    assert reached > 100
