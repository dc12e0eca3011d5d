"""Per-request output options from an execute request's metadata.

An agent tightens or loosens one cell's output with
``{"athena": {"max_output_chars": 8000, "binary": true}}`` in the request metadata. A bad value
never stops the cell: it runs with the default and the problem is reported as a notice.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The metadata key holding Athena's per-request options.
NAMESPACE = "athena"
#: Largest budget a single request may ask for.
MAX_REQUEST_CHARS = 10_000_000
#: Option names this module reads (other components may define more keys in the namespace).
OUTPUT_OPTION_NAMES = ("max_output_chars", "binary")


@dataclass(frozen=True)
class RequestOptions:
    """Output options of one execute request (``None`` = use the kernel's setting)."""

    max_output_chars: int | None = None
    binary: bool | None = None
    notices: tuple[str, ...] = field(default_factory=tuple)


def parse_request_options(metadata: Mapping[str, Any] | None) -> RequestOptions:
    """Read and validate the output options in an execute request's ``metadata``.

    Invalid values are ignored (the setting applies) and described in ``notices``, each naming
    the option, the value received and what is accepted. Unknown keys in the ``athena``
    namespace are left to other components, except near-misses of these options ("did you
    mean"), which get a notice.
    """
    if not metadata:
        return RequestOptions()
    if not isinstance(metadata, Mapping):
        return RequestOptions(
            notices=(f"request metadata must be a JSON object, not {type(metadata).__name__}",)
        )
    raw = metadata.get(NAMESPACE)
    if raw is None:
        return RequestOptions()
    if not isinstance(raw, Mapping):
        return RequestOptions(
            notices=(
                f'metadata "{NAMESPACE}" must be an object such as '
                f'{{"{NAMESPACE}": {{"max_output_chars": 8000}}}}, not {type(raw).__name__}; '
                "output options ignored",
            )
        )
    notices: list[str] = []
    budget = _parse_budget(raw, notices)
    binary = _parse_binary(raw, notices)
    for key in raw:
        if key in OUTPUT_OPTION_NAMES or not isinstance(key, str):
            continue
        close = difflib.get_close_matches(key, OUTPUT_OPTION_NAMES, n=1, cutoff=0.75)
        if close:
            notices.append(
                f'unknown option "{NAMESPACE}.{key}" ignored; did you mean "{close[0]}"?'
            )
    return RequestOptions(max_output_chars=budget, binary=binary, notices=tuple(notices))


def _parse_budget(raw: Mapping[str, Any], notices: list[str]) -> int | None:
    if "max_output_chars" not in raw:
        return None
    value = raw["max_output_chars"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        notices.append(
            f'"{NAMESPACE}.max_output_chars" must be a whole number of characters '
            f"(1 to {MAX_REQUEST_CHARS:,}), not {value!r}; the default budget applies"
        )
        return None
    if isinstance(value, float):
        if not value.is_integer():
            notices.append(
                f'"{NAMESPACE}.max_output_chars" must be a whole number, not {value!r}; '
                "the default budget applies"
            )
            return None
        value = int(value)
    if not 1 <= value <= MAX_REQUEST_CHARS:
        notices.append(
            f'"{NAMESPACE}.max_output_chars" must be between 1 and {MAX_REQUEST_CHARS:,}, '
            f"not {value:,}; the default budget applies"
        )
        return None
    return int(value)


def _parse_binary(raw: Mapping[str, Any], notices: list[str]) -> bool | None:
    if "binary" not in raw:
        return None
    value = raw["binary"]
    if not isinstance(value, bool):
        notices.append(
            f'"{NAMESPACE}.binary" must be true or false, not {value!r}; '
            "the profile's default applies"
        )
        return None
    return value
