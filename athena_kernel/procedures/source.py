"""What a procedure's source must be: valid under the cell policy, defining a function NAME."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..discovery.catalog import Param, render_signature
from ..discovery.docstrings import parse_docstring


class ProcedureError(ValueError):
    """A procedure cannot be saved, found or run as asked (the message says why and what to do)."""


@dataclass(frozen=True)
class ProcedureShape:
    """The function a procedure's source defines: its parameters and docstring."""

    name: str
    params: list[Param]
    returns: str
    takes_memory: bool  #: the first parameter is ``memory`` (passed in automatically)
    summary: str
    description: str

    @property
    def signature(self) -> str:
        """``name(a, b=2) -> T`` as a caller writes it (without ``memory``)."""
        return render_signature(self.name, self.params, self.returns)


def check_name(name: str) -> str:
    """A procedure name must be a Python identifier (so ``procedures.NAME`` works)."""
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise ProcedureError(
            f"invalid procedure name {name!r}: use a Python identifier such as "
            "'weekly_report' (letters, digits, underscores; no leading underscore, no path "
            "characters)"
        )
    import keyword

    if keyword.iskeyword(name):
        raise ProcedureError(f"invalid procedure name {name!r}: it is a Python keyword")
    return name


#: Public attributes of the ``procedures`` object: a procedure with such a name could not be
#: reached as ``procedures.NAME`` (a unit test keeps this in step with ProceduresNamespace).
RESERVED_NAMES = frozenset({"names"})


def check_new_name(name: str) -> str:
    """A name a procedure may be saved under: an identifier that ``procedures.NAME`` reaches."""
    check_name(name)
    if name in RESERVED_NAMES:
        raise ProcedureError(
            f"invalid procedure name {name!r}: procedures.{name} is taken by the procedures "
            f"object itself; choose another name (e.g. {name}_list)"
        )
    return name


def parse_source(name: str, code: str) -> ast.Module:
    """Parse the code; a syntax error names the line and column.

    Hostile input (nesting that blows the parser's stack, null bytes) is a
    :class:`ProcedureError` too, never a RecursionError escaping into the kernel.
    """
    if not isinstance(code, str):
        raise ProcedureError(
            f"procedure {name!r}: the code must be text, not {type(code).__name__}"
        )
    try:
        return ast.parse(code, filename=f"<procedure {name}>")
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", col {exc.offset}" if exc.offset else "")
        raise ProcedureError(
            f"procedure {name!r} has a syntax error at {where}: {exc.msg}"
        ) from None
    except (RecursionError, MemoryError):
        raise ProcedureError(
            f"procedure {name!r} nests too deeply to be parsed: flatten the expression "
            "(loops, intermediate variables)"
        ) from None
    except (ValueError, OverflowError) as exc:
        raise ProcedureError(f"procedure {name!r} cannot be parsed: {exc}") from None


def validate_procedure(name: str, code: str, settings: Any = None) -> ProcedureShape:
    """Check ``code`` for procedure ``name``: syntax, the cell policy, and ``def NAME(...)``.

    Raises ProcedureError (bad name, syntax, missing function) or the policy's
    PolicyViolation (with its rule id, line and advice) — exactly what a cell would get.
    """
    from ..policy import PolicyConfig, validate
    from ..policy.source import check_source_size

    check_new_name(name)
    if isinstance(code, str):
        check_source_size(code, PolicyConfig.from_settings(settings))
    tree = parse_source(name, code)
    validate(code, settings)
    return shape_of(name, tree)


def shape_of(name: str, tree: ast.Module) -> ProcedureShape:
    """The signature of the top-level ``def name(...)`` in ``tree``."""
    func = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if func is None:
        defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        hint = f" (it defines {', '.join(defined)})" if defined else ""
        raise ProcedureError(
            f"procedure {name!r} must define a top-level function named {name!r}{hint}: "
            f"write `def {name}(memory, ...):` — its parameters are the procedure's"
        )
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    takes_memory = bool(positional) and positional[0].arg == "memory"
    doc = parse_docstring(ast.get_docstring(func))
    params: list[Param] = []
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        if i == 0 and takes_memory:
            continue
        params.append(_param(arg, default, "positional or keyword", doc.args))
    if args.vararg is not None:
        params.append(_param(args.vararg, None, "*args", doc.args))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append(_param(arg, default, "keyword", doc.args))
    if args.kwarg is not None:
        params.append(_param(args.kwarg, None, "**kwargs", doc.args))
    returns = ast.unparse(func.returns) if func.returns is not None else ""
    return ProcedureShape(name, params, returns, takes_memory, doc.summary, doc.description)


def _param(arg: ast.arg, default: ast.expr | None, kind: str, docs: dict[str, str]) -> Param:
    return Param(
        name=arg.arg,
        annotation=ast.unparse(arg.annotation) if arg.annotation is not None else "",
        default=ast.unparse(default) if default is not None else None,
        kind=kind,
        description=docs.get(arg.arg, ""),
    )
