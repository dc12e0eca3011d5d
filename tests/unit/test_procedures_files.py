"""Procedure sources (name, syntax, policy, shape) and export/import files."""

from __future__ import annotations

import pytest

from athena_kernel.policy import PolicyViolation
from athena_kernel.procedures.files import (
    parse_file,
    read_procedure_files,
    render_file,
    resolve_directory,
)
from athena_kernel.procedures.source import ProcedureError, check_name, validate_procedure

CODE = '''def weekly(memory, days=7, *, tag="ops"):
    """Count recent events.

    Args:
        days: How far back.
    """
    return len(memory.events.recent(100))
'''


def test_names_must_be_identifiers() -> None:
    assert check_name("weekly_report") == "weekly_report"
    for bad in ("../etc", "a/b", "with space", "class", "", "_private", "1st"):
        with pytest.raises(ProcedureError, match="invalid procedure name"):
            check_name(bad)


def test_shape_of_a_procedure() -> None:
    shape = validate_procedure("weekly", CODE)
    assert shape.takes_memory
    assert shape.signature == "weekly(days=7, *, tag='ops')"
    assert shape.params[0].description == "How far back."
    assert shape.summary == "Count recent events."


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(ProcedureError, match="line 2"):
        validate_procedure("f", "def f():\n    return (\n")


def test_policy_applies_as_to_any_cell() -> None:
    with pytest.raises(PolicyViolation, match=r"\[policy.import\] line 1"):
        validate_procedure("f", "import os\ndef f():\n    return 1\n")


def test_must_define_the_named_function() -> None:
    with pytest.raises(ProcedureError, match="must define a top-level function named 'f'"):
        validate_procedure("f", "def g():\n    return 1\n")


def test_export_file_round_trip(tmp_path) -> None:
    record = {"name": "weekly", "version": 3, "description": "Weekly count", "code": CODE}
    path = tmp_path / "weekly.py"
    path.write_text(render_file(record))
    text = path.read_text()
    assert text.startswith('"""Athena procedure.') and "version: 3" in text
    back = parse_file(path)
    assert (back.name, back.version, back.description) == ("weekly", 3, "Weekly count")
    assert back.code == CODE and not back.edited
    path.write_text(text.replace("days=7", "days=14"))
    assert parse_file(path).edited


def test_files_stay_inside_their_root(tmp_path) -> None:
    (tmp_path / "root" / "sub").mkdir(parents=True)
    root = str(tmp_path / "root")
    assert resolve_directory("sub", root, create=False) == (tmp_path / "root" / "sub").resolve()
    for outside in ("..", "/etc", "sub/../../x"):
        with pytest.raises(PermissionError, match="outside the procedures directory"):
            resolve_directory(outside, root, create=True)


def test_foreign_files_are_reported_not_imported(tmp_path) -> None:
    (tmp_path / "plain.py").write_text("print('not a procedure')\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    found = {f["name"]: f for f in read_procedure_files(str(tmp_path), str(tmp_path))}
    assert "front matter" in found["plain"]["error"]
    assert "not valid Python" in found["broken"]["error"]


def test_export_never_overwrites_a_file_it_did_not_write(tmp_path) -> None:
    from athena_kernel.memory import open_backend
    from athena_kernel.procedures.files import export_procedures

    store = open_backend(":memory:")
    store.call("procedures.save", {"name": "conftest", "code": "def conftest():\n    return 1\n"})
    victim = tmp_path / "conftest.py"
    victim.write_text("import os  # the user's own file\n")
    with pytest.raises(PermissionError, match="not an exported Athena procedure"):
        export_procedures(store, ["conftest"], ".", str(tmp_path))
    assert victim.read_text() == "import os  # the user's own file\n"
    victim.unlink()
    export_procedures(store, ["conftest"], ".", str(tmp_path))  # a fresh file is fine
    export_procedures(store, ["conftest"], ".", str(tmp_path))  # and so is re-exporting it
    store.close()


def test_default_root_is_a_dedicated_directory(monkeypatch, tmp_path) -> None:
    from athena_kernel.config import AthenaSettings
    from athena_kernel.kernel_ops import procedure_files_root

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    root = procedure_files_root(AthenaSettings(environ={}))
    assert root == str(tmp_path / "athena" / "procedures")
