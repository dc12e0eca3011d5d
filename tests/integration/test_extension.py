"""`%load_ext athena_kernel` in plain IPython and in a stock ipykernel."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from kernel_helpers import fresh_store

from athena_kernel.client import AthenaClient


def test_extension_in_plain_ipython(tmp_path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("ATHENA_STORE", str(tmp_path / "ext.duckdb"))
    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file left behind for atexit to write
    shell = InteractiveShell.instance(config=config)
    try:
        shell.run_cell("%load_ext athena_kernel", store_history=False)
        shell.run_cell("%load_ext athena_kernel", store_history=False)  # twice is harmless
        result = shell.run_cell("m = memory.remember('loaded as an extension'); m.content")
        assert result.success, result.error_in_exec
        assert result.result == "loaded as an extension"
        hits = shell.run_cell("[h.id == m.id for h in memory.recall('extension')]").result
        assert hits == [True]
        shell.run_cell("%reset -f", store_history=False)
        assert shell.run_cell("memory.stats().counts['semantic']").result == 1
        failed = shell.run_cell("%output 1")
        assert not failed.success  # explains it needs an Athena kernel
        # %apis and %procedure work here too; procedures still run through the sandbox
        assert "memory.graph" in shell.run_cell("apis().text").result
        saved = shell.run_cell(
            "%%procedure save double\ndef double(memory, x):\n    return 2 * x\n"
        )
        assert saved.success, saved.error_in_exec
        assert shell.run_cell("procedures.double(21)").result == 42
        shell.run_cell("%%procedure save peek\ndef peek(memory):\n    return memory._backend\n")
        escaped = shell.run_cell("procedures.peek()")
        assert not escaped.success  # private attributes are out of reach in procedures
        assert "double" in shell.run_cell("apis('procedures').text").result
        shell.run_cell("%unload_ext athena_kernel", store_history=False)
        assert "memory" not in shell.user_ns
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.kernel
def test_extension_in_a_stock_kernel(tmp_path):
    import os

    spec = Path(os.environ["JUPYTER_PATH"]) / "kernels" / "stock-python-ext"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "stock python (test)",
                "language": "python",
            }
        )
    )
    with AthenaClient("stock-python-ext", env={"ATHENA_STORE": fresh_store()}) as kernel:
        assert kernel.run("%load_ext athena_kernel").ok
        cell = kernel.run("memory.remember('from a stock kernel').content")
        assert cell.value == "'from a stock kernel'", cell.text()
        status = kernel.run("%sandbox status")
        assert "IPython extension" in status.stdout
