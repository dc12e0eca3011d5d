"""Which magics a cell may run, with which arguments.

IPython turns ``%x``, ``%%x``, ``!cmd``, ``x?`` into calls on ``get_ipython()``
(``run_line_magic``, ``run_cell_magic``, ``system``, ``getoutput``). The validator checks those
calls statically; the ``get_ipython()`` a cell gets checks them again at run time. Both use
:func:`check_magic`.

- shell escapes (``!cmd``, ``%sx``, ``%%bash``, ``%%script`` …) are never allowed;
- magics that leave the sandbox (``%run``, ``%load``, ``%env``, ``%cd``, ``%%writefile``,
  ``%store``, ``%pip``, ``%config``, ``%load_ext`` …) are never allowed, whatever the allowlist;
- everything else must be on the ``allowed_magics`` allowlist;
- allowed magics that run code (``%time``, ``%timeit``, ``%%capture``) have that code validated
  like a cell; a few allowed magics have arguments that would leave the sandbox (``%history -f``,
  ``%xmode verbose``, ``%pinfo obj._private``) and those arguments are refused.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from .errors import PolicyViolation
from .options import PolicyConfig
from .vocabulary import is_reserved_name

#: Shell escapes: never allowed.
SHELL_MAGICS = frozenset(
    {
        "system",
        "sx",
        "sc",
        "bash",
        "sh",
        "zsh",
        "script",
        "perl",
        "ruby",
        "python",
        "python2",
        "python3",
        "pypy",
        "!",
    }
)
#: ``get_ipython()`` methods that run shell commands.
SHELL_METHODS = frozenset({"system", "getoutput", "system_raw", "system_piped"})
#: ``get_ipython()`` methods that run magics (checked by :func:`check_magic`).
MAGIC_METHODS = frozenset({"run_line_magic", "run_cell_magic"})

#: Magics that leave the sandbox (files, environment, configuration, extensions, debugger …).
NEVER_MAGICS = frozenset(
    [
        "run",
        "load",
        "loadpy",
        "env",
        "set_env",
        "cd",
        "pushd",
        "popd",
        "dirs",
        "dhist",
        "bookmark",
        "writefile",
        "file",
        "store",
        "pip",
        "conda",
        "mamba",
        "micromamba",
        "uv",
        "save",
        "edit",
        "ed",
        "config",
        "load_ext",
        "unload_ext",
        "reload_ext",
        "alias",
        "unalias",
        "alias_magic",
        "rehashx",
        "logstart",
        "logon",
        "logoff",
        "logstop",
        "logstate",
        "notebook",
        "debug",
        "pdb",
        "prun",
        "macro",
        "autoawait",
        "autocall",
        "automagic",
        "killbgscripts",
        "code_wrap",
        "gui",
        "matplotlib",
        "pylab",
        "colors",
        "doctest_mode",
        "autosave",
        "connect_info",
        "qtconsole",
        "more",
        "less",
        "clear",
        "man",
        "sx",
        "system",
    ]
)

CodeValidator = Callable[[str, int], None]
_OBJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _reject(rule: str, message: str, advice: str) -> PolicyViolation:
    return PolicyViolation(rule, message, advice)


def check_magic(
    kind: str,
    name: str,
    line: str,
    cell: str | None,
    config: PolicyConfig,
    validate_code: CodeValidator,
) -> None:
    """Raise :class:`PolicyViolation` unless ``%name line`` (or ``%%name line\\ncell``) may run.

    ``kind`` is ``"line"`` or ``"cell"``. ``validate_code(source, line_offset)`` validates code
    the magic would execute (IPython syntax allowed); ``line_offset`` is the number of cell lines
    before that code.
    """
    prefix = "%%" if kind == "cell" else "%"
    if name in SHELL_MAGICS:
        raise _reject(
            "magic.shell",
            f"{prefix}{name} runs shell commands, which are not available in the sandbox",
            "use Python code (and memory.* for data) instead of the shell",
        )
    if name in NEVER_MAGICS:
        raise _reject(
            "magic.forbidden",
            f"{prefix}{name} is not available in the sandbox (it reaches files, the environment "
            "or the kernel's configuration)",
            _allowed_advice(config),
        )
    if name not in config.allowed_magics:
        raise _reject(
            "magic.forbidden",
            f"{prefix}{name} is not on the sandbox's magic allowlist",
            _allowed_advice(config),
        )
    checker = _ARGUMENT_CHECKS.get(name)
    if checker is not None:
        checker(kind, line, cell, config, validate_code)


def _allowed_advice(config: PolicyConfig) -> str:
    return "allowed magics: " + ", ".join(f"%{m}" for m in sorted(config.allowed_magics))


def _argument(message: str, advice: str) -> PolicyViolation:
    return _reject("magic.argument", message, advice)


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line, posix=True)
    except ValueError:
        return line.split()


def _check_target_name(name: str, magic: str, config: PolicyConfig) -> None:
    if not _IDENTIFIER.match(name) or is_reserved_name(name):
        raise _argument(
            f"%{magic} cannot store its result in {name!r}",
            "use a plain variable name (letters, digits, underscores, not starting with _)",
        )
    if name in config.bound_names:
        raise _argument(f"%{magic} cannot overwrite {name!r}", "use another variable name")


# --------------------------------------------------------------------------- argument checks
def _check_time(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    code_line = _NO_RAISE.sub(" ", line)
    if kind == "cell":
        if code_line.strip():
            raise _argument(
                "%%time takes no statement on its first line", "put the code below %%time"
            )
        validate(cell or "", 1)
    else:
        validate(code_line, 0)


_NO_RAISE = re.compile(r"(?:^|\s)--no-raise-error(?=\s|$)")
_TIMEIT_OPTION = re.compile(r"^\s*(-[nrp]\s*\d+|-[tcqo]\b|-v\s+\S+)")


def _check_timeit(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    rest = line
    while True:
        match = _TIMEIT_OPTION.match(rest)
        if not match:
            break
        option = match.group(1).strip()
        if option.startswith("-v"):
            _check_target_name(option[2:].strip(), "timeit", config)
        rest = rest[match.end() :]
    if rest.lstrip().startswith("-"):
        raise _argument(
            f"%timeit option {rest.split()[0]!r} is not supported in the sandbox",
            "use -n N -r R -p P -t -c -q -o -v NAME",
        )
    validate(rest.strip(), 0)
    if kind == "cell":
        validate(cell or "", 1)


def _check_capture(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    options = {"--no-stdout", "--no-stderr", "--no-display"}
    names = [t for t in _split(line) if t not in options]
    if any(t.startswith("-") for t in names):
        raise _argument(
            f"unknown %%capture option in {line!r}", "use --no-stdout, --no-stderr, --no-display"
        )
    if len(names) > 1:
        raise _argument("%%capture takes at most one output name", "write %%capture name")
    if names:
        _check_target_name(names[0], "capture", config)
    if kind == "cell":
        validate(cell or "", 1)


def _check_history(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    for token in _split(line):
        if token.startswith("-") and any(flag in token[1:] for flag in "fgl"):
            raise _argument(
                f"%history {token} writes files or reads other sessions' history",
                "use %history with -n, -o, -p, -t, -r and ranges of this session",
            )
        if not token.startswith("-") and ("/" in token or "~" in token):
            raise _argument(
                f"%history range {token!r} refers to other sessions",
                "use ranges of this session, e.g. %history 1-5",
            )


def _check_xmode(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    if line.strip().lower() in ("verbose", "docs"):
        raise _argument(
            f"%xmode {line.strip()} would print internal variables in tracebacks",
            "use %xmode Plain, Context or Minimal",
        )


def _check_object(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    target = " ".join(t for t in line.split() if t not in ("-r",)).strip()
    if target and not _OBJECT_NAME.match(target):
        raise _argument(
            f"cannot inspect {target!r}: only public names (a.b.c, no _private parts) can be "
            "inspected",
            "inspect the public API, e.g. memory.recall?",
        )


def _check_psearch(
    kind: str, line: str, cell: str | None, config: PolicyConfig, validate: CodeValidator
) -> None:
    for token in _split(line):
        if token.startswith("-") and "a" in token[1:]:
            raise _argument("%psearch -a lists private names", "search public names only")
        if not token.startswith("-") and any(part.startswith("_") for part in token.split(".")):
            raise _argument(f"%psearch pattern {token!r} reaches private names", "use public names")


_ARGUMENT_CHECKS: dict[str, Callable[[str, str, str | None, PolicyConfig, CodeValidator], None]] = {
    "time": _check_time,
    "timeit": _check_timeit,
    "capture": _check_capture,
    "history": _check_history,
    "hist": _check_history,
    "xmode": _check_xmode,
    "pinfo": _check_object,
    "pinfo2": _check_object,
    "pdef": _check_object,
    "pdoc": _check_object,
    "psource": _check_object,
    "pfile": _check_object,
    "page": _check_object,
    "psearch": _check_psearch,
}
