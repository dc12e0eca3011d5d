"""Kernels for the benign suite: stock ipykernel (the reference) and Athena in every configuration.

One kernel per (configuration, test module), shared by all of its cases; each kernel has its own
fresh memory store.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from benign_kernels import CONFIGS, KernelConfig, install_stock_kernelspec
from kernel_helpers import start_kernel

from athena_kernel.client import AthenaClient


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``benign`` marker."""
    config.addinivalue_line(
        "markers", "benign: the benign suite (ordinary agent cells must run unchanged)"
    )


@pytest.fixture(scope="module", params=CONFIGS, ids=lambda c: c.id)
def benign_kernel(request: pytest.FixtureRequest) -> Iterator[tuple[KernelConfig, AthenaClient]]:
    """A running kernel of one configuration, shared by the module's cases."""
    config: KernelConfig = request.param
    if config.is_stock:
        install_stock_kernelspec()
        client = start_kernel(config.kernel)
    else:
        client = start_kernel(config.kernel, ATHENA_ISOLATION=config.isolation or "")
    yield config, client
    client.stop()
