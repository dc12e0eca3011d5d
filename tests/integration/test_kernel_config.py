"""Settings reach a real kernel from a Jupyter config file, argv and the environment."""

from __future__ import annotations

import pytest
from kernel_helpers import start_kernel

pytestmark = pytest.mark.kernel


def test_config_file_and_environment_reach_the_kernel(tmp_path):
    (tmp_path / "athena_kernel_config.py").write_text(
        "c.AthenaSettings.max_output_chars = 1234\nc.AthenaSettings.cell_timeout = 77\n"
    )
    kernel = start_kernel("athena", JUPYTER_CONFIG_DIR=str(tmp_path), ATHENA_CELL_TIMEOUT="55")
    try:
        status = kernel.run("%sandbox status").stdout
        assert "output budget 1234 chars" in status  # from the config file
        assert "cell timeout 55 s" in status  # the environment wins over the file
        assert "profile agent" in status  # from the kernelspec's argv
    finally:
        kernel.stop()


def test_lab_kernelspec_runs_the_human_profile():
    kernel = start_kernel("athena-lab")
    try:
        status = kernel.run("%sandbox status").stdout
        assert "profile human" in status and "output budget 100000 chars" in status
    finally:
        kernel.stop()
