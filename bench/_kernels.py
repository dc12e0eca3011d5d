"""Shared by the benchmarks: an isolated Jupyter environment with Athena's and a stock kernelspec.

Kernels are started from kernelspecs installed into a temporary JUPYTER_PATH (never the user's
home), all pointing at this interpreter, so Athena and stock ipykernel run on the same Python.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

STOCK = "bench-stock-python"


def isolated_jupyter(store_dir: str | None = None) -> Path:
    """Create the temporary environment, export it, and return its root."""
    from athena_kernel.kernelspecs_install import install

    root = Path(tempfile.mkdtemp(prefix="athena-bench-"))
    kernels = root / "jupyter-path" / "kernels"
    for sub in ("jupyter-data", "jupyter-config", "jupyter-runtime", "ipython"):
        (root / sub).mkdir(parents=True)
    os.environ.update(
        {
            "JUPYTER_PATH": str(root / "jupyter-path"),
            "JUPYTER_DATA_DIR": str(root / "jupyter-data"),
            "JUPYTER_CONFIG_DIR": str(root / "jupyter-config"),
            "JUPYTER_RUNTIME_DIR": str(root / "jupyter-runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "IPYTHONDIR": str(root / "ipython"),
            "ATHENA_STORE": str(Path(store_dir or root) / "bench-store" / "memory.duckdb"),
        }
    )
    install(prefix=str(root / "prefix"), python=sys.executable)
    (root / "jupyter-path").mkdir(exist_ok=True)
    os.replace(root / "prefix" / "share" / "jupyter" / "kernels", kernels)
    stock = kernels / STOCK
    stock.mkdir()
    (stock / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "stock ipykernel (bench)",
                "language": "python",
            }
        )
    )
    return root


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    """p50 / p95 / mean of a sample."""
    return {"p50": pct(values, 50), "p95": pct(values, 95), "mean": statistics.fmean(values)}
