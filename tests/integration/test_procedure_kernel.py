"""The %procedure life cycle through a real kernel, across a restart; procedures.NAME(...)."""

from __future__ import annotations

import pytest
from kernel_helpers import start_kernel

pytestmark = pytest.mark.kernel

V1 = '''%%procedure save triage -m "first cut" -d "Open tasks with a tag, most urgent first"
def triage(memory, tag="ops", limit=5):
    """Titles of pending tasks carrying a tag."""
    tasks = [t for t in memory.tasks.list(status="pending", limit=100) if tag in t.tags]
    order = {"urgent": 0, "high": 1, "medium": 2, "low": 3}
    tasks.sort(key=lambda t: order[t.priority])
    return [t.title for t in tasks][:limit]
'''
V2 = V1.replace('-m "first cut"', '-m "upper case"').replace(
    "[t.title for t in tasks][:limit]", "[t.title.upper() for t in tasks][:limit]"
)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return tmp_path_factory.mktemp("procedure-files")


@pytest.fixture(scope="module", params=["athena", "athena-lab"])
def kernel(request, exports):
    client = start_kernel(request.param, ATHENA_PROCEDURE_FILES_ROOT=str(exports))
    yield client
    client.stop()


def out(cell) -> str:
    assert cell.ok, cell.text()
    return cell.stdout


def test_life_cycle(kernel, exports):
    kernel.run(
        "memory.tasks.create('page the on-call', priority='urgent', tags=['ops'])\n"
        "memory.tasks.create('rotate keys', priority='low', tags=['ops'])"
    )
    assert "saved triage v1" in out(kernel.run(V1))
    assert "unchanged — identical to v1" in out(kernel.run(V1))  # identical code: no version
    assert kernel.run("procedures.triage()").value == "['page the on-call', 'rotate keys']"
    assert kernel.run("procedures.triage(limit=1)").value == "['page the on-call']"
    assert "saved triage v2" in out(kernel.run(V2))
    assert kernel.run("procedures.triage(limit=1)").value == "['PAGE THE ON-CALL']"
    assert kernel.run("procedures.triage.v1(limit=1)").value == "['page the on-call']"
    run = kernel.run("%procedure run triage 'ops' limit=1")
    assert run.value == "['PAGE THE ON-CALL']", run.text()

    diff = out(kernel.run("%procedure diff triage 1 2"))
    assert "-    return [t.title for t in tasks][:limit]" in diff
    assert "+    return [t.title.upper() for t in tasks][:limit]" in diff

    assert "triage v3 now has the code of v1" in out(kernel.run("%procedure rollback triage 1"))
    history = out(kernel.run("%procedure history triage"))
    assert [line.split()[0] for line in history.splitlines()] == ["v1", "v2", "v3"]
    assert kernel.run("procedures.triage(limit=1)").value == "['page the on-call']"

    # wrong arguments: a clear error naming the signature, and not counted as a run
    wrong = kernel.run("procedures.triage(1, 2, 3)")
    assert wrong.status == "error" and "procedures.triage(tag='ops', limit=5)" in wrong.text()
    assert "too many positional arguments" in wrong.text()

    # export, then a restart: versions persist in the store
    shelf = kernel.kernel_name  # one directory per kernelspec
    assert "exported" in out(kernel.run(f"%procedure export --all {shelf}"))
    exported = (exports / shelf / "triage.py").read_text()
    assert exported.startswith('"""Athena procedure.\n\nname: triage\nversion: 3\n')
    kernel.restart()
    show = out(kernel.run("%procedure show triage"))
    assert "triage v3 (latest v3)" in show and "6 runs, 100% ok" in show
    assert kernel.run("procedures.triage(limit=1)").value == "['page the on-call']"

    # import round trip: delete, then import what was exported
    assert "deleted triage" in out(kernel.run("%procedure delete triage"))
    assert kernel.run("procedures.triage()").status == "error"
    assert "imported triage: v1" in out(kernel.run(f"%procedure import {shelf}"))
    assert kernel.run("procedures.triage(limit=1)").value == "['page the on-call']"
    listed = out(kernel.run("%procedure list"))
    assert "triage" in listed and "Open tasks with a tag" in listed


def test_failing_procedure_is_recorded(kernel):
    code = "%%procedure save fragile\ndef fragile(memory, n):\n    return 10 / n\n"
    assert "saved fragile v1" in out(kernel.run(code))
    assert kernel.run("procedures.fragile(5)").value == "2.0"
    failed = kernel.run("procedures.fragile(0)")
    assert failed.status == "error" and failed.error["ename"] == "ZeroDivisionError"
    show = out(kernel.run("%procedure show fragile"))
    assert "2 runs, 50% ok" in show and "ZeroDivisionError" in show


def test_errors_are_clear_and_change_nothing(kernel):
    before = out(kernel.run("%procedure list"))
    bad_name = kernel.run("%%procedure save ../escape\ndef f():\n    pass\n")
    assert bad_name.status == "error" and "invalid procedure name" in bad_name.text()
    syntax = kernel.run("%%procedure save broken\ndef broken(:\n    pass\n")
    assert syntax.status == "error" and "line" in syntax.text()
    rejected = kernel.run("%%procedure save sneaky\nimport os\ndef sneaky():\n    pass\n")
    assert rejected.status == "error" and "[policy.import] line 1" in rejected.text()
    missing = kernel.run("%procedure show nothing_here")
    assert missing.status == "error" and "no procedure named 'nothing_here'" in missing.text()
    gone = kernel.run("%procedure delete nothing_here")
    assert gone.status == "error" and "no procedure named 'nothing_here'" in gone.text()
    version = kernel.run("%procedure show fragile --version 99")
    assert version.status == "error" and "99" in version.text()
    unknown = kernel.run("%procedure export nothing_here shelf")
    assert unknown.status == "error" and "no procedure named 'nothing_here'" in unknown.text()
    wrong = kernel.run("%procedure run fragile")
    assert wrong.status == "error" and "missing a required argument: 'n'" in wrong.text()
    outside = kernel.run("%procedure export --all /etc")
    assert outside.status == "error" and "outside the procedures directory" in outside.text()
    assert out(kernel.run("%procedure list")) == before


def test_procedures_appear_in_apis(kernel):
    cell = kernel.run("%apis procedures.fragile")
    # the agent profile prints text; the human profile displays Markdown with text alongside
    text = cell.stdout or cell.displays[0]["text/plain"]
    assert text.startswith("procedures.fragile(n)") and "2 runs" in text
