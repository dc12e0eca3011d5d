"""Test-wide isolation: kernels come from kernelspecs installed into a temporary JUPYTER_PATH.

Nothing is read from or written to the user's home: Jupyter's data/config/runtime dirs, IPython's
dir and the default memory store all live under one temporary directory for the session.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

_ROOT = Path(tempfile.mkdtemp(prefix="athena-tests-"))


def _isolate_environment() -> None:
    env = {
        "JUPYTER_PATH": str(_ROOT / "jupyter-path"),
        "JUPYTER_DATA_DIR": str(_ROOT / "jupyter-data"),
        "JUPYTER_CONFIG_DIR": str(_ROOT / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(_ROOT / "jupyter-runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": str(_ROOT / "ipython"),
        "ATHENA_STORE": str(_ROOT / "default-store" / "memory.duckdb"),
        # store owner processes started by tests go away soon after the last client
        "ATHENA_STORE_IDLE_TIMEOUT": "20",
        "ATHENA_TEST_ROOT": str(_ROOT),
    }
    os.environ.update(env)
    for key in ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    # Install both kernelspecs (pointing at this interpreter) into the temporary JUPYTER_PATH.
    from athena_kernel.kernelspecs_install import install

    staging = _ROOT / "kernelspec-prefix"
    install(prefix=str(staging), python=sys.executable)
    kernels = Path(env["JUPYTER_PATH"]) / "kernels"
    if kernels.exists():
        shutil.rmtree(kernels)
    shutil.copytree(staging / "share" / "jupyter" / "kernels", kernels)


_isolate_environment()


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop store owner processes the tests started, then remove the temporary tree."""
    try:
        from athena_kernel.memory import shutdown_owners  # type: ignore[attr-defined]

        shutdown_owners(_ROOT)
    except Exception:
        pass
    shutil.rmtree(_ROOT, ignore_errors=True)


def test_root() -> Path:
    """The session's temporary root directory."""
    return _ROOT
