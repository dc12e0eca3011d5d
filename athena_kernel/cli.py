"""``athena-kernel install | uninstall | list`` (also ``python -m athena_kernel install``)."""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .kernelspecs_install import default_target, find_installed, install, uninstall

COMMANDS = ("install", "uninstall", "list")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="athena-kernel",
        description="Manage Athena's kernelspecs: 'athena' (Athena (agent)) and 'athena-lab' "
        "(Athena (notebook)). To run a kernel: python -m athena_kernel -f CONNECTION_FILE.",
    )
    parser.add_argument("--version", action="version", version=f"athena-kernel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    inst = sub.add_parser("install", help="install both kernelspecs (again = replace)")
    where = inst.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="into the user's Jupyter data dir")
    where.add_argument(
        "--sys-prefix", action="store_true", help="into this Python environment (sys.prefix)"
    )
    where.add_argument("--prefix", metavar="P", help="under prefix P (P/share/jupyter/kernels)")
    inst.add_argument(
        "--name",
        metavar="N",
        help="kernel names N and N-lab instead of athena and athena-lab",
    )
    inst.add_argument(
        "--profile",
        choices=("agent", "human", "both"),
        default="both",
        help="install only the agent (athena) or human (athena-lab) kernelspec",
    )

    uninst = sub.add_parser("uninstall", help="remove Athena kernelspecs")
    uninst.add_argument("names", nargs="*", help="kernel names (default: every Athena kernelspec)")

    sub.add_parser("list", help="list the Athena kernelspecs Jupyter can see")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``athena-kernel`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "install":
            if args.user:
                target: dict[str, object] = {"user": True}
            elif args.sys_prefix:
                target = {"prefix": sys.prefix}
            elif args.prefix:
                target = {"prefix": args.prefix}
            else:
                target = default_target()
            profiles = ("agent", "human") if args.profile == "both" else (args.profile,)
            for spec in install(name=args.name, profiles=profiles, **target):  # type: ignore[arg-type]
                print(
                    f"installed {spec.name!r} ({spec.display_name}, {spec.profile}) in {spec.path}"
                )
        elif args.command == "uninstall":
            removed = uninstall(args.names or None)
            for spec in removed:
                print(f"removed {spec.name!r} from {spec.path}")
            if not removed:
                print("no Athena kernelspecs installed")
        else:
            specs = find_installed()
            if not specs:
                print("no Athena kernelspecs installed (run: athena-kernel install)")
            for spec in specs:
                print(f"{spec.name:<16} {spec.profile:<6} {spec.display_name:<24} {spec.path}")
    except ValueError as exc:
        print(f"athena-kernel: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
