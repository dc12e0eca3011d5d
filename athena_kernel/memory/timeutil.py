"""Timestamps of the memory API: timezone-aware UTC everywhere.

Inputs may be ``datetime`` (naive = UTC), ``date`` (midnight UTC) or ISO-8601 strings; on the
wire and in results they are ISO-8601 strings / aware ``datetime`` objects. The store keeps naive
UTC ``TIMESTAMP`` values.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .errors import InvalidArgumentError

UTC = timezone.utc


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (microsecond precision)."""
    return datetime.now(UTC)


def to_utc(value: object, *, argument: str) -> datetime:
    """Coerce a datetime, date or ISO-8601 string to an aware UTC datetime.

    Raises:
        InvalidArgumentError: naming ``argument`` when the value is of another type or unparsable.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidArgumentError(
                f"{argument} must be a datetime, a date or an ISO-8601 string such as "
                f"'2024-05-01T13:00:00Z'; got {value!r}"
            ) from None
    else:
        raise InvalidArgumentError(
            f"{argument} must be a datetime, a date or an ISO-8601 string; "
            f"got {type(value).__name__}"
        )
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_naive_utc(value: datetime) -> datetime:
    """The naive UTC datetime DuckDB ``TIMESTAMP`` columns hold."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def iso(value: datetime | None) -> str | None:
    """ISO-8601 text of a (naive = UTC) datetime, ``None`` stays ``None``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def epoch(value: datetime) -> float:
    """UTC epoch seconds of a (naive = UTC) datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def cutoff_from(value: object, *, argument: str, now: datetime | None = None) -> datetime:
    """A point in time from an age (``timedelta``, seconds) or an absolute time (datetime/ISO)."""
    now = now or utcnow()
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise InvalidArgumentError(f"{argument} must not be negative; got {value!r}")
        return now - value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise InvalidArgumentError(f"{argument} must not be negative; got {value!r}")
        return now - timedelta(seconds=float(value))
    try:
        return to_utc(value, argument=argument)
    except InvalidArgumentError:
        raise InvalidArgumentError(
            f"{argument} must be a timedelta (an age such as timedelta(days=7)), a number of "
            f"seconds, or a datetime/ISO-8601 string; got {value!r}"
        ) from None
