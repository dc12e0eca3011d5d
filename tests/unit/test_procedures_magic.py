"""The %procedure life cycle on a real sandboxed IPython shell over a :memory: store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

from athena_kernel.bindings import bind_engine
from athena_kernel.config import AthenaSettings
from athena_kernel.kernel_ops import register_procedure_file_ops
from athena_kernel.memory import open_backend
from athena_kernel.policy import PolicyViolation
from athena_kernel.procedures.runner import ProcedureArgumentError
from athena_kernel.services import KernelServices

TRIAGE = '''%%procedure save triage -m "first cut" -d "Pending task titles with a tag"
def triage(memory, tag="ops", limit=5):
    """Titles of pending tasks carrying a tag, most urgent first.

    Args:
        tag: Only tasks with this tag.
        limit: At most this many titles.
    """
    order = {"urgent": 0, "high": 1, "medium": 2, "low": 3}
    tasks = [t for t in memory.tasks.list(status="pending", limit=100) if tag in t.tags]
    tasks.sort(key=lambda t: order[t.priority])
    return [t.title for t in tasks][:limit]
'''
TRIAGE_V2 = TRIAGE.replace('-m "first cut"', '-m "shout"').replace(
    "[t.title for t in tasks]", "[t.title.upper() for t in tasks]"
)


@dataclass
class Ran:
    """What one cell did."""

    ok: bool
    error: BaseException | None
    out: str
    value: Any


class Engine:
    """A sandboxed shell bound like the kernel's engine, with the file ops registered."""

    def __init__(self, files_root: Path) -> None:
        InteractiveShell.clear_instance()
        config = Config()
        config.HistoryManager.hist_file = ":memory:"
        self.shell = InteractiveShell.instance(config=config)
        self.services = KernelServices(open_backend(":memory:"))
        settings = AthenaSettings(environ={})
        settings.procedure_files_root = str(files_root)
        register_procedure_file_ops(self.services, settings)
        self.bindings = bind_engine(self.shell, settings, self.services, sandboxed=True)

    def run(self, code: str) -> Ran:
        """Run one cell; capture what it printed."""
        with capture_output(display=False) as captured:
            result = self.shell.run_cell(code, store_history=True)
        error = result.error_before_exec or result.error_in_exec
        return Ran(result.success, error, captured.stdout + captured.stderr, result.result)

    def ok(self, code: str) -> str:
        """Run a cell that must succeed; return its printed output."""
        ran = self.run(code)
        assert ran.ok, f"{code!r} failed: {ran.error!r}\n{ran.out}"
        return ran.out

    def close(self) -> None:
        """Uninstall the sandbox and drop the shell singleton."""
        self.bindings.sandbox.uninstall()
        self.services.close()
        InteractiveShell.clear_instance()


@pytest.fixture(scope="module")
def files_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("procedure-files")


@pytest.fixture(scope="module")
def engine(files_root: Path) -> Iterator[Engine]:
    engine = Engine(files_root)
    engine.ok(
        "memory.tasks.create('page the on-call', priority='urgent', tags=['ops'])\n"
        "memory.tasks.create('rotate keys', priority='low', tags=['ops'])\n"
        "memory.tasks.create('buy milk', priority='high', tags=['home'])"
    )
    yield engine
    engine.close()


def runs_of(engine: Engine, name: str) -> tuple[int, int]:
    """(run count, successes) as the store recorded them."""
    ran = engine.run(
        f"[(p.stats.run_count, p.stats.successes) for p in memory.procedures.list() "
        f"if p.name == {name!r}][0]"
    )
    assert ran.ok, ran.error
    return ran.value


def test_life_cycle(engine: Engine, files_root: Path) -> None:
    assert "saved triage v1" in engine.ok(TRIAGE)
    assert "unchanged — identical to v1" in engine.ok(TRIAGE)
    again = engine.ok(TRIAGE.replace('-d "Pending task titles with a tag"', '-d "other"'))
    assert "-d not saved" in again  # a new description alone is not a new version
    assert engine.run("procedures.triage()").value == ["page the on-call", "rotate keys"]
    assert engine.run("procedures.triage(tag='home')").value == ["buy milk"]
    assert "saved triage v2" in engine.ok(TRIAGE_V2)
    assert engine.run("procedures.triage(limit=1)").value == ["PAGE THE ON-CALL"]
    assert engine.run("procedures.triage.v1(limit=1)").value == ["page the on-call"]
    assert engine.run("%procedure run triage 'ops' limit=1").value == ["PAGE THE ON-CALL"]

    diff = engine.ok("%procedure diff triage 1 2")
    assert diff.startswith("--- triage v1\n+++ triage v2\n")
    assert "-    return [t.title for t in tasks][:limit]" in diff
    assert "+    return [t.title.upper() for t in tasks][:limit]" in diff

    assert "triage v3 now has the code of v1" in engine.ok("%procedure rollback triage 1")
    assert "unchanged — v3, the latest, has the code of v1" in engine.ok(
        "%procedure rollback triage 1"
    )
    history = engine.ok("%procedure history triage").splitlines()
    assert [line.split()[0] for line in history] == ["v1", "v2", "v3"]
    assert history[2].endswith("rollback to v1") and history[0].endswith("first cut")
    # ISO 8601 in UTC (a "2026-11-21 19:02" form can read as a phone number to the PII filter)
    assert re.fullmatch(r"v1  \d{4}-\d\d-\d\dT\d\d:\d\dZ  [0-9a-f]{16} — first cut", history[0])
    assert engine.run("procedures.triage(limit=1)").value == ["page the on-call"]

    show = engine.ok("%procedure show triage")
    assert show.startswith("triage v3 (latest v3) — Pending task titles with a tag\n")
    assert "runs (all versions): 6 runs, 100% ok" in show
    assert 'def triage(memory, tag="ops", limit=5):' in show
    old = engine.ok("%procedure show triage --version 2")
    assert old.startswith("triage v2 (latest v3)") and "message: shout" in old
    assert "triage" in engine.ok("%procedure list")

    # export, delete, import: the same procedure comes back
    exported = engine.ok("%procedure export triage shelf")
    assert exported.strip() == f"exported {files_root / 'shelf' / 'triage.py'}"
    text = (files_root / "shelf" / "triage.py").read_text()
    assert text.startswith('"""Athena procedure.\n\nname: triage\nversion: 3\n')
    assert "deleted triage" in engine.ok("%procedure delete triage")
    assert "imported triage: v1" in engine.ok("%procedure import shelf")
    assert engine.run("procedures.triage(limit=1)").value == ["page the on-call"]
    assert engine.ok("%procedure show triage").startswith(
        "triage v1 (latest v1) — Pending task titles with a tag"
    )
    assert "imported triage: unchanged" in engine.ok("%procedure import shelf")


def test_wrong_arguments_are_clear_and_not_a_run(engine: Engine) -> None:
    engine.ok("%%procedure save add\ndef add(memory, a, b=1):\n    return a + b\n")
    assert engine.run("procedures.add(1, b=2)").value == 3
    for call in ("procedures.add()", "procedures.add(1, 2, 3)", "procedures.add(1, c=2)"):
        ran = engine.run(call)
        assert isinstance(ran.error, ProcedureArgumentError), call
        assert str(ran.error).startswith("procedures.add(a, b=1) cannot take these arguments")
    magic = engine.run("%procedure run add")
    assert isinstance(magic.error, UsageError) and "missing a required argument: 'a'" in str(
        magic.error
    )
    assert runs_of(engine, "add") == (1, 1)


def test_a_failing_procedure_raises_its_own_error_and_is_recorded(engine: Engine) -> None:
    engine.ok(
        "%%procedure save lookup\ndef lookup(memory, key):\n    table = {'a': 1}\n"
        "    return table[key]\n"
    )
    assert engine.run("%procedure run lookup 'a'").value == 1
    failed = engine.run("%procedure run lookup 'zz'")
    assert type(failed.error) is KeyError  # the procedure's error, not a usage error
    frames = []
    tb = failed.error.__traceback__ if failed.error is not None else None
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    assert ("<procedure lookup v1>", 3) in frames  # the traceback points into the procedure
    assert runs_of(engine, "lookup") == (2, 1)
    show = engine.ok("%procedure show lookup")
    assert "2 runs, 50% ok" in show and "last error: KeyError: 'zz'" in show


def test_errors_are_clear_and_change_nothing(engine: Engine) -> None:
    engine.ok("%%procedure save keep\ndef keep(memory):\n    return 1\n")
    before = engine.ok("%procedure list")
    cases = {
        "%%procedure save ../escape\ndef f():\n    pass\n": "invalid procedure name",
        "%%procedure save class\ndef f():\n    pass\n": "invalid procedure name",
        "%%procedure save broken\ndef broken(:\n    pass\n": "syntax error at line 1",
        "%%procedure save other\ndef something_else():\n    pass\n": "must define",
        "%procedure show nothing_here": "no procedure named 'nothing_here'",
        "%procedure show keep --version 9": "has no version 9",
        "%procedure diff keep 1 4": "has no version 4",
        "%procedure rollback keep 3": "has no version 3",
        "%procedure delete nothing_here": "no procedure named 'nothing_here'",
        "%procedure run nothing_here": "no procedure named 'nothing_here'",
        "%procedure run keep oops": "is not a Python literal",
        "%procedure history nothing_here": "no procedure named",
        "%procedure frobnicate": "unknown %procedure command",
        "%procedure save keep": "use %%procedure save NAME",
        "%procedure export --all /etc": "outside the procedures directory",
        "%procedure import no_such_dir": "no directory",
    }
    for cell, message in cases.items():
        ran = engine.run(cell)
        assert not ran.ok, cell
        assert message in str(ran.error), (cell, str(ran.error))
    rejected = engine.run("%%procedure save sneaky\nimport os\ndef sneaky():\n    pass\n")
    assert isinstance(rejected.error, PolicyViolation)
    assert str(rejected.error).startswith("[policy.import] line 1")
    dunder = engine.run("%%procedure save peek\ndef peek(memory):\n    return memory._backend\n")
    assert isinstance(dunder.error, PolicyViolation)
    assert engine.ok("%procedure list") == before
    assert engine.run("procedures.nothing_here").error is not None


def test_procedures_reach_each_other_and_show_in_apis(engine: Engine) -> None:
    engine.ok("%%procedure save double\ndef double(memory, x):\n    return 2 * x\n")
    engine.ok(
        '%%procedure save quadruple -d "Four times x"\ndef quadruple(memory, x):\n'
        "    return procedures.double(procedures.double(x))\n"
    )
    assert engine.run("procedures.quadruple(3)").value == 12
    listing = engine.run("apis('procedures').text").value
    assert "  quadruple(x)  Four times x" in listing
    detail = engine.run("apis('procedures.quadruple').text").value
    assert detail.startswith("procedures.quadruple(x)\nFour times x")
    assert "quadruple" in engine.run("dir(procedures)").value


def test_reserved_names_match_the_procedures_object() -> None:
    from athena_kernel.procedures.namespace import ProceduresNamespace
    from athena_kernel.procedures.source import RESERVED_NAMES

    public = {n for n in vars(ProceduresNamespace) if not n.startswith("_")}
    assert public == RESERVED_NAMES


def test_a_name_the_procedures_object_uses_cannot_be_saved(engine: Engine) -> None:
    ran = engine.run("%%procedure save names\ndef names(memory):\n    return 1\n")
    assert isinstance(ran.error, UsageError) and "taken by the procedures object" in str(ran.error)
    unknown = engine.run("%procedure export nothing_here shelf")
    assert isinstance(unknown.error, UsageError)
    assert "no procedure named 'nothing_here'" in str(unknown.error)
