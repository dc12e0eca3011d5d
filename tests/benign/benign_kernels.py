"""Kernel configurations of the benign suite and the stock ipykernel kernelspec."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

#: Kernelspec of plain ipykernel on this interpreter (installed into the session's JUPYTER_PATH).
STOCK_KERNEL = "benign-stock-python"


@dataclass(frozen=True)
class KernelConfig:
    """A kernelspec and the isolation mode it runs cells in (``None``: stock ipykernel)."""

    kernel: str
    isolation: str | None

    @property
    def id(self) -> str:
        """Short test id, e.g. ``athena-process``."""
        return self.kernel if self.isolation is None else f"{self.kernel}-{self.isolation}"

    @property
    def is_stock(self) -> bool:
        """True for the stock ipykernel reference."""
        return self.isolation is None


#: Stock first: it checks that the expectations are what CPython itself prints.
CONFIGS = [
    KernelConfig(STOCK_KERNEL, None),
    KernelConfig("athena", "process"),
    KernelConfig("athena", "inprocess"),
    KernelConfig("athena-lab", "process"),
    KernelConfig("athena-lab", "inprocess"),
]


def install_stock_kernelspec() -> None:
    """Write the stock kernelspec into the first JUPYTER_PATH entry (the session's temp dir)."""
    root = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / STOCK_KERNEL
    root.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "stock ipykernel (benign reference)",
        "language": "python",
    }
    (root / "kernel.json").write_text(json.dumps(spec))
