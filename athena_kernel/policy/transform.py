"""The RestrictedPython transform, adapted so ordinary code keeps working.

:class:`SandboxTransformer` is RestrictedPython's ``RestrictingNodeTransformer`` (attribute reads
through ``_getattr_``, writes through ``_write_``, classes through ``__metaclass__``, unknown syntax
refused) with these changes:

- *made safe instead of forbidden*: augmented assignment on attributes and items, ``nonlocal``,
  ``match``, ``str.format`` (guarded at run time), private attributes of the cell's own objects,
  the special methods in :data:`~athena_kernel.policy.vocabulary.SPECIAL_METHODS`, ``print``
  (a normal builtin), class keywords and class line numbers;
- *no guard where it adds nothing*: subscript reads, iteration and tuple unpacking run natively
  (they cannot reach anything attribute access does not already control);
- *added*: ``**``, ``*``, ``<<``, ``//`` and ``%`` go through size guards unless an operand is a
  small literal; every ``except`` block starts by re-raising interrupts; ``__exit__`` methods are
  wrapped so they cannot swallow an interrupt.
"""

from __future__ import annotations

import ast
from typing import Any

from RestrictedPython.transformer import RestrictingNodeTransformer

from . import vocabulary as v
from .class_aliases import class_alias_names
from .constfold import ConstantFolder
from .errors import PolicyViolation
from .options import PolicyConfig

_GUARDED_OPS: dict[type[ast.operator], str] = {
    ast.Pow: v.POW,
    ast.Mult: v.MUL,
    ast.LShift: v.LSHIFT,
    ast.FloorDiv: v.FLOORDIV,
    ast.Mod: v.MOD,
}
_AUG_SYMBOLS: dict[type[ast.operator], str] = {
    ast.Pow: "**=",
    ast.Mult: "*=",
    ast.LShift: "<<=",
    ast.FloorDiv: "//=",
    ast.Mod: "%=",
}
#: ``x * k`` / ``x << k`` with a literal ``|k|`` up to this stays native (linear growth only).
_SMALL_LITERAL = 64


def _locate(new: Any, old: Any) -> Any:
    """Give ``new`` the position of ``old`` (without walking subtrees, unlike copy_locations)."""
    new.lineno = getattr(old, "lineno", 1)
    new.col_offset = getattr(old, "col_offset", 0)
    new.end_lineno = getattr(old, "end_lineno", new.lineno)
    new.end_col_offset = getattr(old, "end_col_offset", new.col_offset)
    return new


def _name(identifier: str, location: ast.AST | None = None) -> ast.Name:
    name = ast.Name(identifier, ast.Load())
    return _locate(name, location) if location is not None else name


def _call(func: str, args: list[ast.expr], location: ast.AST) -> ast.Call:
    return _locate(ast.Call(func=_name(func, location), args=args, keywords=[]), location)


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, (ast.USub, ast.UAdd))
        and isinstance(node.operand, ast.Constant)
    ):
        value = node.operand.value
        if isinstance(value, (int, float, complex)) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
    return None


def _stays_native(op: ast.operator, left: ast.AST, right: ast.AST) -> bool:
    """Operations that cannot build a huge result in one step (literal operands)."""
    lval, rval = _literal(left), _literal(right)
    if isinstance(op, ast.Mult):
        for value in (lval, rval):
            if isinstance(value, (float, complex)):
                return True
            if isinstance(value, int) and abs(value) <= _SMALL_LITERAL:
                return True
        return False
    if isinstance(op, ast.LShift):
        return isinstance(rval, int) and 0 <= rval <= _SMALL_LITERAL
    if isinstance(op, (ast.FloorDiv, ast.Mod)):
        return isinstance(rval, (int, float)) or isinstance(lval, (str, bytes))
    if isinstance(op, ast.Pow):
        return isinstance(rval, float) or isinstance(lval, float)
    return True


class SandboxTransformer(RestrictingNodeTransformer):
    """RestrictedPython's transformer, adapted (see the module docstring)."""

    def __init__(self, config: PolicyConfig) -> None:
        super().__init__()
        self.config = config
        self.folder = ConstantFolder(config)
        self.problems: list[tuple[ast.AST, str]] = []
        #: Name nodes of special-method aliases in class bodies (``__radd__ = __add__``)
        self.alias_names: set[ast.Name] = set()

    # ------------------------------------------------------------------ errors
    def error(self, node: ast.AST, info: str) -> None:
        """Record a RestrictedPython refusal with its node (for line and column)."""
        self.problems.append((node, info))
        super().error(node, info)

    def first_problem(self) -> PolicyViolation | None:
        """The earliest refusal as a :class:`PolicyViolation`, or ``None``."""
        if not self.problems:
            return None
        node, info = min(
            self.problems,
            key=lambda p: (getattr(p[0], "lineno", 0), getattr(p[0], "col_offset", 0)),
        )
        return PolicyViolation(
            "policy.restricted",
            info,
            "rewrite this construct; see docs/security.md for what the sandbox supports",
            line=getattr(node, "lineno", 1),
            col=getattr(node, "col_offset", 0),
        )

    # ------------------------------------------------------------------ names
    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        """Reserved ``_x_``/``__x__`` names only; special methods where classes define them."""
        if name is None or not v.is_reserved_name(name):
            return
        if allow_magic_methods and (name in v.SPECIAL_METHODS or name in v.DISPLAY_HOOK_METHODS):
            return
        self.error(node, f'"{name}" is a reserved name')

    def visit_Name(self, node: ast.Name) -> Any:
        """Names are checked but never rewritten (``print`` is an ordinary guarded builtin)."""
        node = self.node_contents_visit(node)
        if node not in self.alias_names:
            self.check_name(node, node.id)
        return node

    # ------------------------------------------------------------------ attributes
    def visit_Attribute(self, node: ast.Attribute) -> Any:
        """``a.b`` -> ``_getattr_(a, 'b')``; ``a.b = c`` -> ``_write_(a).b = c``."""
        attr = node.attr
        if v.is_dunder(attr) and attr not in v.ALLOWED_DUNDER_ATTRS:
            self.error(node, f'"{attr}" is not available in the sandbox')
        if attr in v.INTROSPECTION_ATTRS:
            self.error(node, f'"{attr}" is an interpreter internal')
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, ast.Load):
            return _call(v.GETATTR, [node.value, _locate(ast.Constant(attr), node)], node)
        node.value = _call(v.WRITE, [node.value], node.value)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        """Reads stay native; ``a[k] = c`` / ``del a[k]`` -> ``_write_(a)[k]``."""
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            node.value = _call(v.WRITE, [node.value], node.value)
        return node

    # ------------------------------------------------------------------ native constructs
    def guard_iter(self, node: Any) -> Any:
        """Iteration runs natively (no ``_getiter_``)."""
        return self.node_contents_visit(node)

    def visit_Assign(self, node: ast.Assign) -> Any:
        """Assignments (including tuple unpacking) run natively."""
        return self.node_contents_visit(node)

    def visit_With(self, node: ast.With) -> Any:
        """``with`` runs natively (user ``__exit__`` methods are wrapped in the class)."""
        return self.node_contents_visit(node)

    def visit_Call(self, node: ast.Call) -> Any:
        """Calls run natively, ``*args``/``**kwargs`` included."""
        return self.node_contents_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> Any:
        """``x: int = 1`` (dataclass fields, annotated variables) is allowed."""
        return self.node_contents_visit(node)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> Any:
        """``nonlocal`` is allowed (names are checked)."""
        for name in node.names:
            self.check_name(node, name)
        return node

    # ------------------------------------------------------------------ match
    def visit_Match(self, node: Any) -> Any:
        """``match`` statements are allowed."""
        return self.node_contents_visit(node)

    def visit_match_case(self, node: Any) -> Any:
        """A ``case`` clause: the pattern is checked, the guard and body transformed."""
        return self.node_contents_visit(node)

    def _check_dotted(self, node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and sub.attr.startswith("_"):
                self.error(sub, f'"{sub.attr}" cannot be used in a pattern')
            elif isinstance(sub, ast.Name):
                self.check_name(sub, sub.id)

    def visit_MatchValue(self, node: Any) -> Any:
        """``case 1`` / ``case Color.RED``: dotted names stay untransformed (pattern syntax)."""
        self._check_dotted(node.value)
        return node

    def visit_MatchSingleton(self, node: Any) -> Any:
        """``case None``."""
        return node

    def visit_MatchSequence(self, node: Any) -> Any:
        """``case [a, *rest]``."""
        return self.node_contents_visit(node)

    def visit_MatchMapping(self, node: Any) -> Any:
        """``case {"k": v, **rest}``."""
        for key in node.keys:
            self._check_dotted(key)
        node.patterns = [self.visit(p) for p in node.patterns]
        self.check_name(node, node.rest)
        return node

    def visit_MatchClass(self, node: Any) -> Any:
        """``case Point(x=0)``: keyword attributes must be public."""
        self._check_dotted(node.cls)
        for name in node.kwd_attrs:
            if name.startswith("_"):
                self.error(node, f'"{name}" cannot be used in a pattern')
        node.patterns = [self.visit(p) for p in node.patterns]
        node.kwd_patterns = [self.visit(p) for p in node.kwd_patterns]
        return node

    def visit_MatchStar(self, node: Any) -> Any:
        """``*rest`` in a sequence pattern."""
        self.check_name(node, node.name)
        return node

    def visit_MatchAs(self, node: Any) -> Any:
        """``case x`` / ``case ... as x``."""
        self.check_name(node, node.name)
        return self.node_contents_visit(node)

    def visit_MatchOr(self, node: Any) -> Any:
        """``case a | b``."""
        return self.node_contents_visit(node)

    # ------------------------------------------------------------------ operators
    def visit_BinOp(self, node: ast.BinOp) -> Any:
        """Route ``**``, ``*``, ``<<``, ``//``, ``%`` through size guards unless provably small."""
        guard = _GUARDED_OPS.get(type(node.op))
        native = (
            guard is None
            or self.folder.is_known(node)
            or _stays_native(node.op, node.left, node.right)
        )
        node = self.node_contents_visit(node)
        if native:
            return node
        return _call(guard, [node.left, node.right], node)  # type: ignore[arg-type]

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        """``x op= y`` on names, attributes and items; size-guarded for ``*=``, ``**=`` …"""
        symbol = _AUG_SYMBOLS.get(type(node.op))
        guarded = symbol is not None and not _stays_native(node.op, node.target, node.value)
        target = node.target
        if not guarded:
            return self.node_contents_visit(
                node
            )  # targets get _write_ via visit_Attribute/Subscript
        value = self.visit(node.value)
        if isinstance(target, ast.Name):
            self.check_name(target, target.id)
            assign = ast.Assign(
                targets=[_locate(ast.Name(target.id, ast.Store()), target)],
                value=_call(
                    v.INPLACEVAR,
                    [
                        _locate(ast.Constant(symbol), node),
                        _locate(ast.Name(target.id, ast.Load()), target),
                        value,
                    ],
                    node,
                ),
            )
            return _locate(assign, node)
        if isinstance(target, ast.Attribute):
            if target.attr.startswith("__"):
                self.error(target, f'"{target.attr}" cannot be assigned')
            obj = self.visit(target.value)
            call = _call(
                v.INPLACE_ATTR,
                [
                    obj,
                    _locate(ast.Constant(target.attr), node),
                    _locate(ast.Constant(symbol), node),
                    value,
                ],
                node,
            )
        elif isinstance(target, ast.Subscript):
            obj = self.visit(target.value)
            key = self._slice_value(target.slice)
            call = _call(
                v.INPLACE_ITEM, [obj, key, _locate(ast.Constant(symbol), node), value], node
            )
        else:  # pragma: no cover - the grammar allows nothing else
            self.error(node, "unsupported augmented assignment target")
            return node
        return _locate(ast.Expr(call), node)

    def _slice_value(self, node: ast.expr) -> ast.expr:
        """An expression evaluating to the subscript key (slices become ``_slice_(a, b, c)``)."""
        if isinstance(node, ast.Slice):
            parts = [
                self.visit(part) if part is not None else _locate(ast.Constant(None), node)
                for part in (node.lower, node.upper, node.step)
            ]
            return _call(v.SLICE, parts, node)
        if isinstance(node, ast.Tuple):
            items = [self._slice_value(elt) for elt in node.elts]
            return _locate(ast.Tuple(items, ast.Load()), node)
        return self.visit(node)

    # ------------------------------------------------------------------ exceptions
    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> Any:
        """Every ``except`` block first re-raises an interrupt (the cell timeout)."""
        node = self.node_contents_visit(node)
        self.check_name(node, node.name)
        node.body.insert(0, _locate(ast.Expr(_call(v.RERAISE, [], node)), node))
        return node

    # ------------------------------------------------------------------ classes
    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        """Add ``metaclass=__metaclass__`` (keeping other keywords, decorators, line numbers)."""
        self.check_name(node, node.name)
        self.alias_names |= class_alias_names(node)
        node = self.node_contents_visit(node)
        if any(keyword.arg == "metaclass" for keyword in node.keywords):
            self.error(node, 'The keyword argument "metaclass" is not allowed.')
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef) and statement.name == "__exit__":
                statement.decorator_list.append(_name(v.GUARD_EXIT, statement))
        keyword = _locate(ast.keyword(arg="metaclass", value=_name(v.METACLASS, node)), node)
        node.keywords = [*node.keywords, keyword]
        return node


def restrict_tree(tree: ast.AST, config: PolicyConfig) -> ast.AST:
    """Transform a validated tree for guarded execution; raise :class:`PolicyViolation`."""
    transformer = SandboxTransformer(config)
    new_tree = transformer.visit(tree)
    problem = transformer.first_problem()
    if problem is not None:
        raise problem
    ast.fix_missing_locations(new_tree)
    return new_tree
