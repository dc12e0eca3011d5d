"""Exceptions of the memory API.

Every error a caller can get from ``memory`` derives from :class:`MemoryAPIError`; the common ones
also derive from the builtin a Python programmer would expect (``KeyError`` for a missing item,
``ValueError`` for a bad argument). Errors raised inside the store's owner process travel back as
plain data (:func:`error_to_wire`) and are re-raised in the caller as the same class with the
same message (:func:`error_from_wire`).
"""

from __future__ import annotations

from typing import Any


class MemoryAPIError(Exception):
    """Base class of every error raised by the memory API."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(MemoryAPIError, ValueError):
    """An argument has a wrong type or value; the message names it and what is allowed."""


class NotFoundError(MemoryAPIError, KeyError):
    """No item with that id (or name, or version) exists."""


class ConflictError(MemoryAPIError):
    """The request contradicts what is stored (a reused id, an ambiguous name)."""


class SchemaVersionError(MemoryAPIError):
    """The store was written by a newer version of athena_kernel than the one running."""


class StoreLockedError(MemoryAPIError):
    """Another process holds the store file open for writing."""


class StoreUnavailableError(MemoryAPIError):
    """The store's owner process could not be reached or started."""


class StoreInternalError(MemoryAPIError):
    """An unexpected failure inside the store (a bug); the store itself stays consistent."""


_WIRE_CLASSES: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        MemoryAPIError,
        InvalidArgumentError,
        NotFoundError,
        ConflictError,
        SchemaVersionError,
        StoreLockedError,
        StoreUnavailableError,
        StoreInternalError,
    )
}


def error_to_wire(exc: BaseException) -> dict[str, Any]:
    """Plain-data form of an exception: ``{"type": class name, "message": text}``.

    Only the memory API's own exception classes keep their type; anything else is reported as
    :class:`StoreInternalError` naming the original type.
    """
    if type(exc).__name__ in _WIRE_CLASSES and isinstance(exc, MemoryAPIError):
        return {"type": type(exc).__name__, "message": str(exc)}
    return {
        "type": "StoreInternalError",
        "message": f"internal store error ({type(exc).__name__}): {exc}",
    }


def error_from_wire(data: Any) -> MemoryAPIError:
    """Rebuild the exception described by :func:`error_to_wire` (unknown types -> base class)."""
    if not isinstance(data, dict):
        return StoreInternalError(f"malformed error reply from the store: {data!r}")
    cls = _WIRE_CLASSES.get(str(data.get("type")), MemoryAPIError)
    exc = cls(str(data.get("message", "")))
    assert isinstance(exc, MemoryAPIError)
    return exc
