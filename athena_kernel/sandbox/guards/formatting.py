"""A safe ``str.format`` / ``str.format_map``.

``"{0.__class__.__init__.__globals__}".format(x)`` walks attributes inside the format machinery,
where no guard sees it; it broke other in-process interpreters. RestrictedPython refuses
``str.format`` outright, which breaks ordinary code. Here field lookups (``{0.attr}``,
``{0[key]}``) go through the sandbox's guarded ``getattr`` instead, so the method works and the
trick does not.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any


class SandboxFormatter(string.Formatter):
    """``string.Formatter`` whose attribute lookups use the sandbox's guarded getattr."""

    def __init__(self, guarded_getattr: Callable[..., Any]) -> None:
        super().__init__()
        self._guarded_getattr = guarded_getattr

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, Any]:
        """Resolve ``field_name`` (``0.attr[key]``) with guarded attribute access."""
        first, rest = _field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, part in rest:
            obj = self._guarded_getattr(obj, part) if is_attr else obj[part]
        return obj, first


def _field_name_split(field_name: str) -> tuple[Any, Any]:
    import _string  # the C helper string.Formatter itself uses

    return _string.formatter_field_name_split(field_name)


def make_format_functions(
    guarded_getattr: Callable[..., Any],
) -> tuple[Callable[..., str], Callable[[str, Mapping[str, Any]], str]]:
    """``(safe_format, safe_format_map)`` bound to one sandbox's guarded getattr."""
    formatter = SandboxFormatter(guarded_getattr)

    def safe_format(template: str, /, *args: Any, **kwargs: Any) -> str:
        """``template.format(*args, **kwargs)`` with guarded field lookups."""
        if not isinstance(template, str):
            raise TypeError(f"format() needs a str template, not {type(template).__name__}")
        return formatter.vformat(template, args, kwargs)

    def safe_format_map(template: str, mapping: Mapping[str, Any], /) -> str:
        """``template.format_map(mapping)`` with guarded field lookups."""
        if not isinstance(template, str):
            raise TypeError(f"format_map() needs a str template, not {type(template).__name__}")
        return formatter.vformat(template, (), mapping)

    return safe_format, safe_format_map
