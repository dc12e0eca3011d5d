"""examples/quickstart.ipynb executes cleanly under nbclient with the athena-lab kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from kernel_helpers import fresh_store
from nbclient import NotebookClient

pytestmark = pytest.mark.kernel

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs(monkeypatch):
    monkeypatch.setenv("ATHENA_STORE", fresh_store())
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="athena-lab", timeout=120)
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    # exactly one error: the cell tagged raises-exception (the sandbox rejecting `import os`)
    assert [e.ename for e in errors] == ["PolicyViolation"]
    text = "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "alice.smith@example.com" not in text and "[EMAIL_" in text
    assert "staging" in text
