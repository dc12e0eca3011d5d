"""Helpers for tests that start real kernels (import as ``from kernel_helpers import ...``)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from athena_kernel.client import AthenaClient


def fresh_store() -> str:
    """A new store path under the session's temporary root."""
    root = Path(os.environ["ATHENA_TEST_ROOT"]) / "stores" / uuid.uuid4().hex[:8]
    root.mkdir(parents=True)
    return str(root / "memory.duckdb")


def start_kernel(name: str = "athena", **env: str) -> AthenaClient:
    """Start kernel ``name`` with its own store (unless ATHENA_STORE is given) and extra env."""
    env.setdefault("ATHENA_STORE", fresh_store())
    return AthenaClient(name, env=env).start()
