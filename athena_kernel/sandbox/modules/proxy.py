"""``ModuleProxy``: what ``import json`` gives a cell — vetted names only, never the real module.

Real "safe" modules lead to ``os`` through their own attributes (``json.codecs``, ``re.enum``,
``statistics.sys`` …). A proxy holds a fixed mapping of names to vetted callables, types and
constants; anything else is an ``AttributeError`` that lists what is available.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ...policy.errors import WriteDenied


class ModuleProxy:
    """A curated module: attribute access reads from a fixed, vetted mapping."""

    __slots__ = ("_athena_exports", "_athena_name")

    def __init__(self, name: str, exports: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_athena_name", name)
        object.__setattr__(self, "_athena_exports", MappingProxyType(dict(exports)))

    def __getattr__(self, attr: str) -> Any:
        exports = object.__getattribute__(self, "_athena_exports")
        try:
            return exports[attr]
        except KeyError:
            name = object.__getattribute__(self, "_athena_name")
            raise AttributeError(_missing_message(name, attr, exports)) from None

    def __setattr__(self, attr: str, value: Any) -> None:
        raise WriteDenied(
            f"module {object.__getattribute__(self, '_athena_name')} cannot be modified",
            "assign to a variable of your own instead",
        )

    def __delattr__(self, attr: str) -> None:
        self.__setattr__(attr, None)

    def __dir__(self) -> list[str]:
        return sorted(object.__getattribute__(self, "_athena_exports"))

    def __repr__(self) -> str:
        return f"<module '{object.__getattribute__(self, '_athena_name')}' (sandbox curated)>"

    def __reduce__(self) -> Any:
        raise TypeError("curated modules cannot be copied or pickled")


def proxy_name(proxy: ModuleProxy) -> str:
    """The dotted module name a proxy stands for."""
    return object.__getattribute__(proxy, "_athena_name")


def proxy_exports(proxy: ModuleProxy) -> Mapping[str, Any]:
    """The (read-only) mapping of names a proxy exposes."""
    return object.__getattribute__(proxy, "_athena_exports")


def _missing_message(module: str, attr: str, exports: Mapping[str, Any]) -> str:
    names = sorted(n for n in exports if not n.startswith("_"))
    shown = ", ".join(names[:40]) + (", …" if len(names) > 40 else "")
    return (
        f"module '{module}' in the sandbox has no attribute '{attr}' (it is a curated subset); "
        f"available: {shown}"
    )
