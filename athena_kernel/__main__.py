"""``python -m athena_kernel``: start a kernel, or manage kernelspecs (install/uninstall/list)."""

from __future__ import annotations

import sys


def _main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("install", "uninstall", "list"):
        from .cli import main as cli_main

        return cli_main(sys.argv[1:])
    from .app import main as kernel_main

    kernel_main()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
