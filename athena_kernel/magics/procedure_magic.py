"""``%procedure`` / ``%%procedure``: save a cell as a named, versioned, validated procedure, and
list, show, diff, roll back, run, export and import procedures."""

from __future__ import annotations

import ast
import shlex
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class

from ..procedures.runner import ProcedureArgumentError
from ..procedures.source import (
    ProcedureError,
    check_name,
    check_new_name,
    validate_procedure,
)

USAGE = """usage:
  %%procedure save NAME [-m "message"] [-d "description"]   (the cell body is the code)
  %procedure list
  %procedure show NAME [--version N]
  %procedure history NAME
  %procedure diff NAME V1 V2
  %procedure rollback NAME V
  %procedure delete NAME
  %procedure run NAME [ARG ...] [KEY=VALUE ...]              (Python literals)
  %procedure export NAME|--all DIR
  %procedure import DIR"""


@magics_class
class ProcedureMagics(Magics):
    """The skill library: procedures saved from cells, versioned, runnable by name."""

    def __init__(self, shell: Any, *, memory: Any, services: Any, runner: Any, policy: Any) -> None:
        super().__init__(shell)
        self._memory = memory
        self._services = services
        self._runner = runner
        self._policy = policy  #: PolicyConfig (or settings) procedures are validated with

    @line_cell_magic
    def procedure(self, line: str, cell: str | None = None) -> Any:
        """Save, inspect, run and share procedures (versioned code with a name).

        %procedure list | show NAME [--version N] | history NAME | diff NAME V1 V2 |
        rollback NAME V | delete NAME | run NAME [args] | export NAME|--all DIR | import DIR

        `%%procedure save NAME [-m "message"] [-d "description"]` saves the cell body as the
        next version of NAME after validating it like any cell; it must define a function
        NAME (its parameters are the procedure's; a first parameter `memory` gets the memory
        API). Identical code is not a new version; rollback adds a version equal to an old one.
        From code: procedures.NAME(...) runs the latest version, procedures.NAME.v2(...) v2.
        """
        try:
            args = shlex.split(line)
            # `run` takes Python literals: keep their quotes ('x' stays a string literal)
            literal_args = _split_keeping_quotes(line)
        except ValueError as exc:
            raise UsageError(f"cannot parse the arguments: {exc}\n{USAGE}") from None
        if not args:
            raise UsageError(USAGE)
        command, rest = args[0], args[1:]
        if command == "run":
            rest = literal_args[1:]
        handler = getattr(self, f"_cmd_{command}", None)
        if handler is None:
            raise UsageError(f"unknown %procedure command {command!r}\n{USAGE}")
        if command == "save":
            if cell is None:
                raise UsageError("save takes the code from the cell: use %%procedure save NAME")
            return self._run(handler, rest, cell)
        if cell is not None and cell.strip():
            raise UsageError(f"%%procedure {command} takes no cell body\n{USAGE}")
        if command == "run":
            # resolving the call is the magic's job (errors: usage); the run itself raises
            # whatever the procedure raises, with its own traceback
            call = self._run(handler, rest)
            return call()
        return self._run(handler, rest)

    def _run(self, handler: Any, *args: Any) -> Any:
        from ..memory.errors import MemoryAPIError

        try:
            return handler(*args)
        except (ProcedureError, MemoryAPIError, LookupError, PermissionError) as exc:
            raise UsageError(str(exc)) from None

    # ------------------------------------------------------------------ commands
    def _cmd_save(self, args: list[str], cell: str) -> None:
        options = _options(args, {"-m": "message", "-d": "description"}, positional=1)
        name = check_new_name(options["_"][0])
        code = cell.strip("\n") + "\n"
        validate_procedure(name, code, self._policy)  # the cell policy, and def NAME(...)
        before = _latest_version(self._memory, name)
        saved = self._memory.procedures.save(
            name, code, description=options.get("description"), message=options.get("message")
        )
        if before is not None and saved.version == before:
            dropped = [f"-{flag[0]}" for flag in ("message", "description") if options.get(flag)]
            note = (
                f" ({' and '.join(dropped)} not saved: only new code makes a new version)"
                if dropped
                else ""
            )
            print(f"{name}: unchanged — identical to v{saved.version}{note}")
        else:
            print(
                f"saved {name} v{saved.version} ({saved.code_hash}) — run it with "
                f"procedures.{name}(...)"
            )

    def _cmd_list(self, args: list[str]) -> None:
        _options(args, {}, positional=0)
        found = self._memory.procedures.list()
        if not found:
            print("no procedures saved yet — %%procedure save NAME")
            return
        width = max(len(p.name) for p in found)
        for p in found:
            runs = _rate(p.stats)
            print(f"{p.name:<{width}}  v{p.latest_version:<3} {runs:<22} {p.description}")

    def _cmd_show(self, args: list[str]) -> None:
        options = _options(args, {"--version": "version"}, positional=1)
        name = options["_"][0]
        version = _int(options.get("version"), "--version")
        record = self._memory.procedures.get(name, version=version)
        summary = next((p for p in self._memory.procedures.list() if p.name == name), None)
        latest = summary.latest_version if summary else record.version
        about = record.description or "(no description)"
        print(f"{name} v{record.version} (latest v{latest}) — {about}")
        if summary is not None:
            s = summary.stats
            avg = f", avg {s.avg_duration_s * 1000:.1f} ms" if s.avg_duration_s else ""
            last = f", last error: {s.last_error}" if s.last_error else ""
            print(f"runs (all versions): {_rate(s)}{avg}{last}")
        message = f", message: {record.message}" if record.message else ""
        print(f"saved {_when(record.created_at)}, hash {record.code_hash}{message}")
        print("---")
        print(record.code.rstrip("\n"))

    def _cmd_history(self, args: list[str]) -> None:
        name = _options(args, {}, positional=1)["_"][0]
        for v in self._memory.procedures.history(name):
            msg = f" — {v.message}" if v.message else ""
            print(f"v{v.version}  {_when(v.created_at)}  {v.code_hash}{msg}")

    def _cmd_diff(self, args: list[str]) -> None:
        name, v1, v2 = _options(args, {}, positional=3)["_"]
        text = self._memory.procedures.diff(name, _int(v1, "V1"), _int(v2, "V2"))
        print(text.rstrip("\n") or f"{name} v{v1} and v{v2} have the same code")

    def _cmd_rollback(self, args: list[str]) -> None:
        name, version = _options(args, {}, positional=2)["_"]
        target = _int(version, "V")
        before = _latest_version(self._memory, name)
        saved = self._memory.procedures.rollback(name, target)
        if saved.version == before:
            print(f"{name}: unchanged — v{saved.version}, the latest, has the code of v{target}")
        else:
            print(f"{name} v{saved.version} now has the code of v{target} (history kept)")

    def _cmd_delete(self, args: list[str]) -> None:
        name = _options(args, {}, positional=1)["_"][0]
        if not self._memory.procedures.delete(name):
            raise ProcedureError(f"no procedure named {name!r} — %procedure list shows them")
        print(f"deleted {name} with all its versions and run statistics")

    def _cmd_run(self, args: list[str]) -> Callable[[], Any]:
        if not args:
            raise UsageError(f"run needs a procedure name\n{USAGE}")
        name, positional, keywords = args[0], [], {}
        for token in args[1:]:
            key, sep, value = token.partition("=")
            if sep and key.isidentifier():
                keywords[key] = _literal(value, token)
            else:
                positional.append(_literal(token, token))
        check_name(name)
        self._runner.shape(name)  # unknown name: an error before anything runs

        def call() -> Any:
            try:
                return self._runner.run(name, tuple(positional), keywords, version=None)
            except ProcedureArgumentError as exc:
                raise UsageError(str(exc)) from None

        return call

    def _cmd_export(self, args: list[str]) -> None:
        if len(args) != 2:
            raise UsageError(f"export needs NAME (or --all) and a directory\n{USAGE}")
        target, directory = args
        names = None if target == "--all" else [check_name(target)]
        written = self._services.call("procedures.export", {"names": names, "directory": directory})
        for path in written:
            print(f"exported {path}")
        if not written:
            print("nothing to export")

    def _cmd_import(self, args: list[str]) -> None:
        directory = _options(args, {}, positional=1)["_"][0]
        files = self._services.call("procedures.import", {"directory": directory})
        if not files:
            print(f"no .py files in {directory}")
        for item in files:
            if item.get("error"):
                print(f"skipped {item['path']}: {item['error']}")
                continue
            name, code = item["name"], item["code"]
            try:
                validate_procedure(name, code, self._policy)
            except Exception as exc:
                print(f"skipped {item['path']}: {exc}")
                continue
            before = _latest_version(self._memory, name)
            note = " (edited since export)" if item.get("edited") else ""
            saved = self._memory.procedures.save(
                name,
                code,
                description=item.get("description") or None,
                message=f"imported from {item['path']}{note}",
            )
            state = "unchanged" if before == saved.version else f"v{saved.version}"
            print(f"imported {name}: {state}{note}")


def _split_keeping_quotes(line: str) -> list[str]:
    """Split on whitespace like a shell, but keep quotes: ``'a b'`` stays one literal."""
    lexer = shlex.shlex(line, posix=False)
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def _latest_version(memory: Any, name: str) -> int | None:
    from ..memory.errors import NotFoundError

    try:
        return memory.procedures.get(name).version
    except NotFoundError:
        return None


def _rate(stats: Any) -> str:
    if not stats.run_count:
        return "never run"
    runs = "1 run" if stats.run_count == 1 else f"{stats.run_count} runs"
    return f"{runs}, {stats.successes / stats.run_count:.0%} ok"


def _when(moment: datetime) -> str:
    """A stored time (UTC; naive means UTC) as compact ISO 8601: ``2026-11-21T18:00Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M}Z"


def _options(args: list[str], flags: dict[str, str], *, positional: int) -> dict[str, Any]:
    out: dict[str, Any] = {"_": []}
    i = 0
    while i < len(args):
        token = args[i]
        if token in flags:
            if i + 1 >= len(args):
                raise UsageError(f"{token} needs a value\n{USAGE}")
            out[flags[token]] = args[i + 1]
            i += 2
            continue
        if token.startswith("-"):
            raise UsageError(f"unknown option {token!r}\n{USAGE}")
        out["_"].append(token)
        i += 1
    if len(out["_"]) != positional:
        raise UsageError(f"expected {positional} argument(s), got {len(out['_'])}\n{USAGE}")
    return out


def _int(value: str | None, what: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value.lstrip("vV"))
    except ValueError:
        raise UsageError(f"{what} must be a version number such as 2, not {value!r}") from None


def _literal(text: str, token: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise UsageError(
            f"argument {token!r} is not a Python literal: quote strings ('x'), or write "
            "numbers, lists, dicts, True/False/None"
        ) from None
