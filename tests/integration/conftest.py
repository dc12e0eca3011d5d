"""Fixtures that start real Athena kernels through jupyter_client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kernel_helpers import start_kernel

from athena_kernel.client import AthenaClient


@pytest.fixture(scope="module")
def agent_kernel() -> Iterator[AthenaClient]:
    """One `athena` (agent profile) kernel shared by a test module."""
    client = start_kernel("athena")
    yield client
    client.stop()


@pytest.fixture(scope="module")
def lab_kernel() -> Iterator[AthenaClient]:
    """One `athena-lab` (human profile) kernel shared by a test module."""
    client = start_kernel("athena-lab")
    yield client
    client.stop()
