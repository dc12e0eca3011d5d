"""Argument checks shared by the facade and the store: pydantic field types with clear messages.

Each ``Annotated`` type below normalises one kind of argument (text, tags, metadata, times, enum
choices ...) and raises :class:`InvalidArgumentError` naming the argument and what is allowed.
:func:`parse_params` validates a whole request model and turns pydantic's errors into one
:class:`InvalidArgumentError` with that message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError, ValidationInfo

from .errors import InvalidArgumentError
from .ids import check_id
from .layers import check_layers
from .timeutil import to_utc

#: Longest accepted content / code / description, in characters.
MAX_TEXT_CHARS = 1_000_000
#: Longest accepted short text (titles, names, types), in characters.
MAX_SHORT_CHARS = 1_000
MAX_TAGS = 64
MAX_TAG_CHARS = 100
#: Largest accepted metadata object, as compact JSON.
MAX_METADATA_BYTES = 64 * 1024
MAX_LIMIT = 1_000

ModelT = TypeVar("ModelT", bound=BaseModel)


def _name(info: ValidationInfo) -> str:
    return info.field_name or "argument"


def _text(max_chars: int, *, required: bool) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: Any, info: ValidationInfo) -> str | None:
        name = _name(info)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise InvalidArgumentError(
                f"{name} must be a string; got {type(value).__name__}"
                + (" (None is not allowed)" if value is None else "")
            )
        if required and not value.strip():
            raise InvalidArgumentError(f"{name} must be a non-empty string; got {value!r}")
        if len(value) > max_chars:
            raise InvalidArgumentError(
                f"{name} is {len(value):,} characters long; the limit is {max_chars:,}"
            )
        if "\x00" in value:
            raise InvalidArgumentError(f"{name} must not contain NUL characters")
        return value

    return check


def _text_or_empty(value: Any, info: ValidationInfo) -> str:
    text = _text(MAX_TEXT_CHARS, required=False)(value, info)
    return text or ""


def _short_name(value: Any, info: ValidationInfo) -> str:
    text = _text(MAX_SHORT_CHARS, required=True)(value, info)
    assert text is not None
    return " ".join(text.split())


def _tags(value: Any, info: ValidationInfo) -> list[str]:
    name = _name(info)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidArgumentError(
            f"{name} must be a list of strings such as ['deploy', 'staging']; "
            f"got {type(value).__name__}"
        )
    result: list[str] = []
    for tag in value:
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidArgumentError(f"{name} must contain non-empty strings; got {tag!r}")
        if any(ord(ch) < 32 for ch in tag):
            raise InvalidArgumentError(
                f"{name} must not contain control characters (tabs, newlines ...); got {tag!r}"
            )
        norm = " ".join(tag.split()).lower()
        if len(norm) > MAX_TAG_CHARS:
            raise InvalidArgumentError(
                f"each of {name} must be at most {MAX_TAG_CHARS} characters; got {len(norm)}"
            )
        if norm not in result:
            result.append(norm)
    if len(result) > MAX_TAGS:
        raise InvalidArgumentError(f"{name} may hold at most {MAX_TAGS} tags; got {len(result)}")
    return result


def _metadata(value: Any, info: ValidationInfo) -> dict[str, Any]:
    name = _name(info)
    if value is None or value == {}:
        return {}
    if not isinstance(value, dict):
        raise InvalidArgumentError(
            f"{name} must be a dict of JSON values such as {{'source': 'slack'}}; "
            f"got {type(value).__name__}"
        )
    if any(not isinstance(key, str) for key in value):
        raise InvalidArgumentError(f"{name} keys must be strings")
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            f"{name} must hold only JSON values (str, int, float, bool, None, list, dict): {exc}"
        ) from None
    if len(encoded.encode()) > MAX_METADATA_BYTES:
        raise InvalidArgumentError(
            f"{name} is {len(encoded.encode()):,} bytes as JSON; the limit is "
            f"{MAX_METADATA_BYTES:,}"
        )
    return json.loads(encoded)


def number_between(low: float, high: float) -> Callable[[Any, ValidationInfo], float]:
    """A check accepting a number in ``[low, high]``."""

    def check(value: Any, info: ValidationInfo) -> float:
        name = _name(info)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidArgumentError(
                f"{name} must be a number between {low:g} and {high:g}; got {value!r}"
            )
        if math.isnan(value) or not low <= value <= high:
            raise InvalidArgumentError(
                f"{name} must be between {low:g} and {high:g}; got {value!r}"
            )
        return float(value)

    return check


def integer_between(low: int, high: int) -> Callable[[Any, ValidationInfo], int]:
    """A check accepting an integer in ``[low, high]``."""

    def check(value: Any, info: ValidationInfo) -> int:
        name = _name(info)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(
                f"{name} must be an integer between {low} and {high}; got {value!r}"
            )
        if not low <= value <= high:
            raise InvalidArgumentError(f"{name} must be between {low} and {high}; got {value!r}")
        return value

    return check


def _time(value: Any, info: ValidationInfo) -> datetime | None:
    if value is None:
        return None
    return to_utc(value, argument=_name(info))


def _required_time(value: Any, info: ValidationInfo) -> datetime:
    if value is None:
        raise InvalidArgumentError(
            f"{_name(info)} must be a datetime, a date or an ISO-8601 string; got None"
        )
    return to_utc(value, argument=_name(info))


def _layers(value: Any, info: ValidationInfo) -> list[str] | None:
    return check_layers(value, argument=_name(info))


def _flag(value: Any, info: ValidationInfo) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{_name(info)} must be True or False; got {value!r}")
    return value


def choice(allowed: Sequence[str], *, optional: bool = False) -> BeforeValidator:
    """A validator accepting one of ``allowed`` (or an Enum member with such a value)."""

    def check(value: Any, info: ValidationInfo) -> str | None:
        if value is None and optional:
            return None
        raw = value.value if isinstance(value, Enum) else value
        if isinstance(raw, str) and raw.strip().lower() in allowed:
            return raw.strip().lower()
        raise InvalidArgumentError(
            f"{_name(info)} must be one of {', '.join(allowed)}; got {value!r}"
        )

    return BeforeValidator(check)


def item_id(prefix: str, *, optional: bool = False) -> BeforeValidator:
    """A validator accepting a well-formed id with the given prefix."""

    def check(value: Any, info: ValidationInfo) -> str | None:
        if value is None and optional:
            return None
        return check_id(value, prefix, argument=_name(info))

    return BeforeValidator(check)


check_text = _text(MAX_TEXT_CHARS, required=True)
check_short_name = _short_name
check_any_text = _text_or_empty
check_tags = _tags
check_metadata = _metadata

Text = Annotated[str, BeforeValidator(check_text)]
OptionalText = Annotated[str | None, BeforeValidator(_text(MAX_TEXT_CHARS, required=False))]
AnyText = Annotated[str, BeforeValidator(_text_or_empty)]
ShortName = Annotated[str, BeforeValidator(_short_name)]
Tags = Annotated[list[str], BeforeValidator(_tags)]
Metadata = Annotated[dict[str, Any], BeforeValidator(_metadata)]
Importance = Annotated[float, BeforeValidator(number_between(0.0, 1.0))]
Strength = Annotated[float, BeforeValidator(number_between(0.0, 1e9))]
Seconds = Annotated[float, BeforeValidator(number_between(0.0, 1e12))]
Similarity = Annotated[float, BeforeValidator(number_between(0.01, 1.0))]
Limit = Annotated[int, BeforeValidator(integer_between(1, MAX_LIMIT))]


def bounded_int(low: int, high: int) -> BeforeValidator:
    """A validator accepting an integer in ``[low, high]``."""
    return BeforeValidator(integer_between(low, high))


Timestamp = Annotated[datetime | None, BeforeValidator(_time)]
RequiredTimestamp = Annotated[datetime, BeforeValidator(_required_time)]
Layers = Annotated[list[str] | None, BeforeValidator(_layers)]
Flag = Annotated[bool, BeforeValidator(_flag)]


def parse_params(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """Validate ``data`` against a request model; any problem -> :class:`InvalidArgumentError`."""
    if not isinstance(data, dict):
        raise InvalidArgumentError(f"parameters must be a dict; got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _readable(model, exc) from None


def _readable(model: type[BaseModel], exc: ValidationError) -> InvalidArgumentError:
    error = exc.errors()[0]
    loc = [str(part) for part in error.get("loc", ())]
    where = _location(loc[:-1]) if len(loc) > 1 else ""
    prefix = f"{where}: " if where else ""
    original = (error.get("ctx") or {}).get("error")
    if isinstance(original, InvalidArgumentError):
        return InvalidArgumentError(prefix + str(original))
    name = loc[-1] if loc else "argument"
    kind = error.get("type")
    allowed = ", ".join(model.model_fields)
    if kind == "extra_forbidden":
        return InvalidArgumentError(f"{prefix}unexpected argument {name!r}; allowed: {allowed}")
    if kind == "missing":
        return InvalidArgumentError(f"{prefix}{name} is required")
    return InvalidArgumentError(f"{prefix}{name}: {error.get('msg')}; got {error.get('input')!r}")


def _location(parts: list[str]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text
