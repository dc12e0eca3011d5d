"""Fixtures of the adversarial suite: a canary, a place files must not appear, real kernels."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from kernel_helpers import start_kernel

from athena_kernel.client import AthenaClient


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "security: the adversarial suite (tests/security)")


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world-readable file outside any sandbox scratch dir; its secret must never leak."""
    path = tmp_path_factory.mktemp("canary") / "secret.txt"
    path.write_text("CANARY-" + uuid.uuid4().hex)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    return path


@pytest.fixture(scope="session")
def forbidden_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world-writable directory: if an attack can write anywhere, it can write here."""
    path = tmp_path_factory.mktemp("forbidden")
    path.chmod(0o777)
    return path


@pytest.fixture(scope="module", params=["process", "inprocess"])
def attacked_kernel(request: pytest.FixtureRequest) -> Iterator[AthenaClient]:
    """An `athena` kernel per isolation mode, with short limits so exhaustion attacks end fast."""
    client = start_kernel(
        "athena",
        ATHENA_ISOLATION=request.param,
        ATHENA_CELL_TIMEOUT="4",
        ATHENA_INTERRUPT_GRACE="2",
        ATHENA_MEMORY_LIMIT_MB="256",
    )
    client.mode = request.param  # type: ignore[attr-defined]
    yield client
    client.stop()
