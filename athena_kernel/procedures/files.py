"""Export procedures as plain ``.py`` files (readable without Athena) and import them back.

Kernel-side only: user code cannot touch files, so ``%procedure export/import`` reach this
through the kernel's services, and only inside one directory tree (``procedure_files_root``).

A file looks like::

    \"\"\"Athena procedure.

    name: weekly_report
    version: 3
    description: Summarise the week's events by outcome
    hash: 1f0c9a3b5e7d2a44
    exported: 2026-11-21T18:00:00+00:00
    \"\"\"

    def weekly_report(memory, days=7):
        ...
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..memory.codehash import code_hash
from .source import ProcedureError, check_name

MARKER = "Athena procedure."
FIELDS = ("name", "version", "description", "hash", "exported")


@dataclass(frozen=True)
class ProcedureFile:
    """A procedure read back from an exported file."""

    path: str
    name: str
    code: str
    description: str
    version: int | None
    hash: str
    edited: bool  #: the code no longer matches the hash it was exported with


def resolve_directory(directory: str, root: str, *, create: bool) -> Path:
    """``directory`` (relative to ``root``, or absolute) if it lies inside ``root``."""
    base = Path(root).resolve()
    target = (base / os.path.expanduser(directory)).resolve()
    if target != base and base not in target.parents:
        raise PermissionError(
            f"{directory!r} is outside the procedures directory {str(base)!r}; export and "
            "import only work inside it (setting procedure_files_root)"
        )
    if create:
        target.mkdir(parents=True, exist_ok=True)
    elif not target.is_dir():
        raise FileNotFoundError(f"no directory {str(target)!r}")
    return target


def render_file(record: dict[str, Any]) -> str:
    """The text of an exported procedure file."""
    description = " ".join(str(record.get("description") or "").split())
    front = [
        MARKER,
        "",
        f"name: {record['name']}",
        f"version: {record['version']}",
        f"description: {description}",
        f"hash: {record.get('code_hash') or code_hash(record['code'])}",
        f"exported: {datetime.now(timezone.utc).replace(microsecond=0).isoformat()}",
    ]
    doc = '"""' + "\n".join(front).replace('"""', "'''") + '\n"""\n\n'
    return doc + record["code"].strip("\n") + "\n"


def parse_file(path: Path) -> ProcedureFile:
    """Read an exported file back; the front matter must carry at least ``name``."""
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ProcedureError(
            f"{path.name}: not valid Python (line {exc.lineno}: {exc.msg})"
        ) from None
    doc = ast.get_docstring(tree, clean=True)
    if not doc or not doc.startswith(MARKER) or not tree.body:
        raise ProcedureError(f"{path.name}: not an exported Athena procedure (no front matter)")
    meta: dict[str, str] = {}
    for line in doc.splitlines()[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip() in FIELDS:
            meta[key.strip()] = value.strip()
    name = check_name(meta.get("name") or path.stem)
    first = tree.body[0]
    code_start = first.end_lineno or 1
    code = "\n".join(text.splitlines()[code_start:]).strip("\n") + "\n"
    digest = meta.get("hash", "")
    version = int(meta["version"]) if meta.get("version", "").isdigit() else None
    return ProcedureFile(
        path=str(path),
        name=name,
        code=code,
        description=meta.get("description", ""),
        version=version,
        hash=digest,
        edited=bool(digest) and digest != code_hash(code),
    )


def _is_export(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.read(len(MARKER) + 3) == '"""' + MARKER
    except (OSError, UnicodeDecodeError):
        return False


def export_procedures(store: Any, names: list[str] | None, directory: str, root: str) -> list[str]:
    """Write one ``NAME.py`` per procedure (all when ``names`` is None); return the paths.

    ``store`` is the memory backend (``call(op, params)``) — the real, untokenized code.
    """
    target = resolve_directory(directory, root, create=True)
    if names is None:
        names = [p["name"] for p in store.call("procedures.list", {})]
    written = []
    for name in names:
        record = store.call("procedures.get", {"name": check_name(name)})
        path = target / f"{name}.py"
        if path.exists() and not _is_export(path):
            raise PermissionError(
                f"{path} exists and is not an exported Athena procedure: it is not overwritten "
                "(export to another directory, or move the file away)"
            )
        _write_regular_file(path, render_file(record))
        written.append(str(path))
    return written


def _write_regular_file(path: Path, text: str) -> None:
    """Write ``path`` without following a symbolic link planted there (the kernel writes it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        kind = "is a symbolic link" if path.is_symlink() else f"cannot be written ({exc.strerror})"
        raise PermissionError(
            f"{str(path)!r} {kind}; export writes regular files inside the procedures "
            "directory only — remove it or export to another directory"
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_procedure_files(directory: str, root: str) -> list[dict[str, Any]]:
    """Every exported procedure file in ``directory`` (errors reported per file)."""
    source = resolve_directory(directory, root, create=False)
    found: list[dict[str, Any]] = []
    base = Path(root).resolve()
    for path in sorted(source.glob("*.py")):
        real = path.resolve()
        if base not in real.parents or not real.is_file():
            error = "not a regular file inside the procedures directory (a link elsewhere?)"
            found.append({"path": str(path), "name": path.stem, "error": error})
            continue
        try:
            item = parse_file(path)
            found.append({**item.__dict__, "error": None})
        except (ProcedureError, OSError, UnicodeDecodeError) as exc:
            found.append({"path": str(path), "name": path.stem, "error": str(exc)})
    return found
