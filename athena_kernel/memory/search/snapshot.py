"""A small, versioned, checksummed file format for index snapshots (no pickle).

Layout (all integers little-endian)::

    magic      12 bytes  b"ATHENA-SRCH\\n"
    version    u32       FORMAT_VERSION
    header_len u64       length of the JSON header
    header     JSON      {"meta": {...}, "arrays": [{"name", "dtype", "shape", "offset"}...]}
    padding    to a multiple of 64 bytes, then each array's raw bytes (64-byte aligned)
    digest     32 bytes  SHA-256 of everything before it

Files are written to a temporary name in the same directory, flushed to disk and renamed over
the target, so a crash leaves either the old snapshot or the new one. Reading verifies magic,
version, length and digest before trusting anything, and raises :class:`SnapshotError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FORMAT_VERSION", "MAGIC", "SnapshotError", "read_snapshot", "write_snapshot"]

MAGIC = b"ATHENA-SRCH\n"
FORMAT_VERSION = 1
_PREFIX = struct.Struct("<12sIQ")
_DIGEST_LEN = 32
_ALIGN = 64
#: dtypes a snapshot may contain (anything else marks a foreign or corrupt file)
_ALLOWED_DTYPES = frozenset({"<i4", "<i8", "<u2", "<f4", "<f8", "|b1", "|u1"})


class SnapshotError(ValueError):
    """The file is not a readable snapshot (missing, foreign, truncated, corrupt or too new)."""


def _pad(n: int) -> int:
    return (-n) % _ALIGN


def write_snapshot(
    path: Path | str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
) -> None:
    """Atomically write ``meta`` (JSON-able) and named numpy ``arrays`` to ``path``."""
    path = Path(path)
    entries = []
    offset = 0
    prepared: list[np.ndarray] = []
    for name, array in arrays.items():
        arr = np.ascontiguousarray(array)
        dtype = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
        arr = arr.astype(dtype, copy=False)
        if arr.dtype.str not in _ALLOWED_DTYPES:
            raise TypeError(f"array {name!r} has unsupported dtype {arr.dtype.str}")
        entries.append(
            {"name": name, "dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        )
        offset += arr.nbytes + _pad(arr.nbytes)
        prepared.append(arr)
    header = json.dumps(
        {"meta": dict(meta), "arrays": entries}, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
    head = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(header)) + header
    head += b"\0" * _pad(len(head))

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:

            def emit(chunk: bytes | memoryview) -> None:
                digest.update(chunk)
                fh.write(chunk)

            emit(head)
            for arr in prepared:
                view = memoryview(arr.reshape(-1).view(np.uint8)) if arr.size else b""
                emit(view)
                emit(b"\0" * _pad(arr.nbytes))
            fh.write(digest.digest())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def read_snapshot(path: Path | str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read a file written by :func:`write_snapshot`: ``(meta, arrays)``.

    Arrays are read-only views on the file's bytes. Raises :class:`SnapshotError` when the file is
    missing, foreign, truncated, corrupt or from a newer format version.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SnapshotError(f"snapshot {path} does not exist") from exc
    except OSError as exc:
        raise SnapshotError(f"snapshot {path} cannot be read: {exc}") from exc
    if len(data) < _PREFIX.size + _DIGEST_LEN:
        raise SnapshotError(f"{path} is not a search snapshot (too short: {len(data)} bytes)")
    magic, version, header_len = _PREFIX.unpack_from(data, 0)
    if magic != MAGIC:
        raise SnapshotError(f"{path} is not a search snapshot (bad magic {magic[:12]!r})")
    if version != FORMAT_VERSION:
        raise SnapshotError(
            f"{path} has snapshot format version {version}; this build reads version "
            f"{FORMAT_VERSION} (rebuild the index from the store)"
        )
    body = memoryview(data)[: len(data) - _DIGEST_LEN]
    if hashlib.sha256(body).digest() != data[-_DIGEST_LEN:]:
        raise SnapshotError(f"{path} is corrupt or truncated (checksum mismatch)")
    start = _PREFIX.size
    if start + header_len > len(body):
        raise SnapshotError(f"{path} is truncated (header runs past the end)")
    try:
        header = json.loads(bytes(body[start : start + header_len]).decode("utf-8"))
        meta = header["meta"]
        entries = header["arrays"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{path} has an unreadable header: {exc}") from exc
    if not isinstance(meta, dict) or not isinstance(entries, list):
        raise SnapshotError(f"{path} has a malformed header")
    data_start = start + header_len + _pad(start + header_len)
    arrays: dict[str, np.ndarray] = {}
    for entry in entries:
        try:
            name, dtype_str = str(entry["name"]), str(entry["dtype"])
            shape = tuple(int(x) for x in entry["shape"])
            offset = int(entry["offset"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SnapshotError(f"{path} has a malformed array entry: {entry!r}") from exc
        if dtype_str not in _ALLOWED_DTYPES or any(x < 0 for x in shape) or offset < 0:
            raise SnapshotError(f"{path} has an invalid array entry {name!r}")
        dtype = np.dtype(dtype_str)
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        begin = data_start + offset
        end = begin + count * dtype.itemsize
        if end > len(body):
            raise SnapshotError(f"{path} is truncated (array {name!r} runs past the end)")
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=begin).reshape(shape)
    return meta, arrays
