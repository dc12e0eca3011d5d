"""The kernel application: ``python -m athena_kernel -f {connection_file}``."""

from __future__ import annotations

from typing import Any

from ipykernel.kernelapp import IPKernelApp
from ipykernel.zmqshell import ZMQInteractiveShell
from IPython.core.profiledir import ProfileDir
from jupyter_client.session import Session
from traitlets import List, Unicode, default

from . import __version__
from .config import AthenaSettings
from .kernel import AthenaKernel


class AthenaKernelApp(IPKernelApp):
    """Launches an AthenaKernel (``--help-all`` lists every setting)."""

    name = "athena-kernel"
    version = __version__
    description = (
        "Athena Kernel: a Jupyter kernel where agents write Python against a pre-bound `memory` "
        "API. Settings live on AthenaSettings (see docs/configuration.md); they can be given as "
        "--AthenaSettings.<name>=<value>, in athena_kernel_config.py in any Jupyter config "
        "directory, or as ATHENA_<NAME> environment variables (the environment wins)."
    )
    classes = [AthenaSettings, AthenaKernel, ZMQInteractiveShell, ProfileDir, Session]

    kernel_class = AthenaKernel  # type: ignore[assignment]
    subcommands: dict[str, Any] = {}

    config_file_name = Unicode("athena_kernel_config.py")

    # Stock kernel settings (ipython_kernel_config.py) apply too; athena's file overrides them.
    config_files = List(Unicode(), ["ipython_kernel_config.py", "athena_kernel_config.py"])

    @default("config_file_paths")
    def _default_config_file_paths(self) -> list[str]:
        from jupyter_core.paths import jupyter_config_path

        # lowest priority first: traitlets loads later paths over earlier ones
        return list(reversed(jupyter_config_path()))


def main(argv: list[str] | None = None) -> None:
    """Start the kernel (what the kernelspec's argv runs)."""
    AthenaKernelApp.launch_instance(argv=argv)
